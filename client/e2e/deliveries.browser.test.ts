import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestApp } from "../../server/test/harness";
import { chromiumPath, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";

/*
 * Deliveries as they happen: a webhook on loopback that answers 503 first and holds the second attempt until the test
 * lets it go, while the Deliveries list and a delivery's page stay open. Nothing is reloaded: the API pushes each change.
 */

const LIVE_TIMEOUT = { timeout: 20_000, interval: 250 };

/** A webhook whose first call fails with 503 and whose later calls wait for `release()`. */
class HeldWebhook {
  calls = 0;
  private readonly held: ServerResponse[] = [];
  private readonly server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      this.calls += 1;
      if (this.calls === 1) return void res.writeHead(503, { "content-type": "application/json" }).end('{"detail":"warming up"}');
      this.held.push(res);
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release(): void {
    for (const res of this.held.splice(0)) res.writeHead(200, { "content-type": "application/json" }).end('{"accepted":true}');
  }

  async close(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe.skipIf(!chromiumPath)("deliveries in Chromium, live", () => {
  const webhook = new HeldWebhook();
  let host: string;
  let app: TestApp;
  let studio: Studio;
  let page: Page;

  const screenshot = (name: string) => saveScreenshot(page, `deliveries-${name}`);
  const notReloaded = () => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  beforeAll(async () => {
    host = await webhook.listen();
    studio = await openStudio({ DELIVERY_ALLOWED_HOSTS: host });
    app = studio.app;
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
    await webhook.close();
  });

  test("a delivery made elsewhere appears in the open list and its retry and result arrive without a reload", async () => {
    await page.goto("/deliveries");
    await expect.poll(() => page.getByText("No deliveries yet").isVisible()).toBe(true);
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    const { data } = await app.gql<{ createDelivery: { delivery: { id: string } } }>(
      `mutation ($url: String!) { createDelivery(input: { mode: HTTP, url: $url, prompt: "a quiet harbour" }) { ... on CreateDeliverySuccess { delivery { id } } } }`,
      { url: `http://${host}/hook` },
    );
    const id = data!.createDelivery.delivery.id;
    const row = page.locator("tbody tr", { hasText: "a quiet harbour" });
    await expect.poll(() => row.count(), LIVE_TIMEOUT).toBe(1);
    // the first attempt fails with 503; the second is held by the webhook, so the delivery stays RUNNING
    await expect.poll(() => webhook.calls, LIVE_TIMEOUT).toBe(2);
    await expect.poll(() => row.locator("[data-status]").getAttribute("data-status"), LIVE_TIMEOUT).toBe("RUNNING");
    expect(await row.textContent()).toContain("2 of 3");
    expect(await notReloaded()).toBe(true);
    await screenshot("01-list-running");

    await row.getByRole("link").click();
    await page.waitForURL(`**/deliveries/${id}`);
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await expect.poll(() => page.getByTestId("delivery-status").getAttribute("data-status")).toBe("RUNNING");
    const history = page.getByTestId("delivery-history");
    await expect.poll(() => history.locator("li").count()).toBe(1);
    expect(await history.textContent()).toMatch(/^Attempt 1 · .+answered HTTP 503$/);
    await screenshot("02-detail-running");

    webhook.release();
    await expect.poll(() => page.getByTestId("delivery-status").getAttribute("data-status"), LIVE_TIMEOUT).toBe("SUCCEEDED");
    await expect.poll(() => page.getByTestId("delivery-result").textContent()).toContain("HTTP 200");
    expect(await page.getByTestId("delivery-result").textContent()).toContain('{"accepted":true}');
    expect(await notReloaded()).toBe(true);
    await screenshot("03-detail-succeeded");

    await page.goBack();
    await expect.poll(() => row.locator("[data-status]").getAttribute("data-status")).toBe("SUCCEEDED");
  });
});
