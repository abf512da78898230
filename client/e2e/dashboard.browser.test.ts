import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestApp } from "../../server/test/harness";
import { uploadAdapter } from "../src/api/uploadAdapter";
import { adminFetch, chromiumPath, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";
import { peftAdapterFiles } from "./fixtures";

/*
 * The dashboard against the real server with its embedded sidecar: a fresh install first, then changes made through
 * the API while the page stays open, which the feed and the stats must show without a reload.
 */

// generous: the embedded sidecar is a process that starts (and connects) slowly on a loaded machine
const LIVE_TIMEOUT = { timeout: 60_000, interval: 250 };

describe.skipIf(!chromiumPath)("dashboard in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;

  const screenshot = (name: string) => saveScreenshot(page, `dashboard-${name}`);
  const statValue = (key: string) => page.locator(`[data-stat="${key}"] [data-testid=stat-value]`).textContent();
  const feedItem = (text: string) => page.getByTestId("activity-feed").locator("li.event", { hasText: text });

  beforeAll(async () => {
    studio = await openStudio({ SIDECAR: "embedded" });
    app = studio.app;
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("is the landing page: stat cards, health and a hint for a fresh install", async () => {
    await page.goto("/");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/dashboard");
    // the stat cards, the getting-started hint and the health panel load separately: each is waited for
    await expect.poll(() => statValue("adapters")).toBe("0");
    await expect.poll(() => statValue("experiments")).toBe("0");
    await expect.poll(() => statValue("rating")).toBe("–");
    await expect.poll(() => page.getByTestId("dashboard-getting-started").isVisible()).toBe(true);
    const database = page.getByTestId("health-database");
    await expect.poll(() => database.getByText("OK", { exact: true }).isVisible()).toBe(true);
    const sidecar = page.getByTestId("dashboard-health").locator("[data-sidecar]").first();
    await expect.poll(() => sidecar.getByText("Connected", { exact: true }).isVisible(), LIVE_TIMEOUT).toBe(true);
    await expect.poll(() => sidecar.getByText("CPU", { exact: true }).isVisible()).toBe(true);
    expect(await page.locator("nav .n-menu-item").first().textContent()).toBe("Dashboard");
    await screenshot("01-fresh-install");
  });

  test("changes made through the API appear in the feed and the stats without a reload", async () => {
    await page.evaluate(() => Object.assign(window, { dashboardNotReloaded: true }));

    const { data } = await app.gql<{ createExperiment: { experiment: { id: string } } }>(
      'mutation { createExperiment(input: { name: "live-waltz", baseModelId: "sd15" }) { ... on CreateExperimentSuccess { experiment { id } } } }',
    );
    const experimentId = data!.createExperiment.experiment.id;
    await expect.poll(() => feedItem("experiment live-waltz created").count(), LIVE_TIMEOUT).toBe(1);
    expect(await feedItem("experiment live-waltz created").locator("a").getAttribute("href")).toBe(`/experiments/${experimentId}`);
    await expect.poll(() => statValue("experiments"), LIVE_TIMEOUT).toBe("1");
    await screenshot("02-experiment-arrived");

    const outcome = await uploadAdapter({ name: "live-jazz", version: "1.0" }, peftAdapterFiles(7), adminFetch(app));
    if (!outcome.adapter) throw new Error(`uploading live-jazz failed: ${outcome.failure.message}`);
    await expect.poll(() => feedItem("live-jazz 1.0 uploaded").count(), LIVE_TIMEOUT).toBe(1);
    expect(await page.locator("li.event").first().textContent()).toContain("live-jazz 1.0 uploaded");
    await expect.poll(() => statValue("adapters"), LIVE_TIMEOUT).toBe("1");
    await expect.poll(() => page.getByTestId("dashboard-getting-started").count()).toBe(0);

    expect(await page.evaluate(() => "dashboardNotReloaded" in window)).toBe(true);
    await screenshot("03-adapter-arrived");
  });

  test("an event leads to its subject's page", async () => {
    await feedItem("live-jazz 1.0 uploaded").locator("a").click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/adapters\/[^/]+$/);
    await expect.poll(() => page.getByText("live-jazz").first().isVisible()).toBe(true);
    await screenshot("04-adapter-from-feed");
  });
});
