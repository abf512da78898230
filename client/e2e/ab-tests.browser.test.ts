import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { upload } from "../../server/test/fixtures";
import { tunesAdapterFiles } from "../../server/test/generation-fixtures";
import type { TestApp } from "../../server/test/harness";
import { chromiumPath, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";

/*
 * A blind A/B test against the real server with its embedded sidecar: two versions of one Tunes S adapter, the test
 * started from the adapter's Compare tab (or the creation page's address when that tab has no button), five trials
 * judged with the keyboard, then the verdict.
 */

const LIVE = { timeout: 120_000, interval: 250 };
const ADAPTER_NAME = "jazz";
const CHOICES = ["a", "a", "b", "t", "a"];

/** Uploads version `version` of a Tunes S adapter named `name`; returns its id. */
async function registerVersion(app: TestApp, name: string, version: string, seed: number): Promise<string> {
  const files = tunesAdapterFiles({ seed });
  const { body } = await upload(
    app.url,
    [
      { name: "adapter_config.json", data: files.config },
      { name: "adapter_model.safetensors", data: files.weights },
    ],
    { name, version, baseModelId: "tunes-s" },
  );
  if (body.data?.uploadAdapter?.__typename !== "UploadAdapterSuccess") throw new Error(`could not upload ${name} ${version}: ${JSON.stringify(body)}`);
  return body.data.uploadAdapter.adapter.id;
}

describe.skipIf(!chromiumPath)("A/B tests in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  const ids = { v1: "", v2: "" };

  const screenshot = (name: string) => saveScreenshot(page, `ab-tests-${name}`);
  const bodyText = () => page.locator("body").innerText();

  beforeAll(async () => {
    studio = await openStudio({ SIDECAR: "embedded" });
    app = studio.app;
    page = studio.page;
    ids.v1 = await registerVersion(app, ADAPTER_NAME, "1", 1);
    ids.v2 = await registerVersion(app, ADAPTER_NAME, "2", 2);
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("from the adapter's Compare tab to a pre-filled A/B test", async () => {
    await page.goto(`/adapters/${ids.v2}?tab=compare`);
    await page.waitForLoadState("networkidle");
    const start = page.getByTestId("start-ab-test");
    const version1 = page.getByTestId("compare-1");
    if ((await version1.getAttribute("aria-checked")) !== "true") await version1.click();
    await expect.poll(() => page.getByTestId("comparison-summary").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("None of the chosen versions was trained here").isVisible()).toBe(true);
    await expect.poll(() => start.isEnabled()).toBe(true);
    await start.click();
    await page.waitForURL(/\/ab-tests\/new\?/);
    const query = new URL(page.url()).searchParams;
    expect([query.get("adapterA"), query.get("adapterB")].sort()).toEqual([ids.v1, ids.v2].sort());

    const name = page.getByLabel("Test name");
    await expect.poll(() => name.inputValue()).toMatch(/^jazz [12] vs jazz [12]$/);
    expect(await page.getByTestId("ab-adapter-a").textContent()).toMatch(/jazz [12]/);
    expect(await page.getByTestId("ab-adapter-b").textContent()).toMatch(/jazz [12]/);
    await page.getByLabel("Prompts").fill("a slow ballad in minor");
    await page.getByLabel("Trials per prompt").fill("5");
    await page.getByLabel("Seed").fill("11");
    await page.getByLabel("Duration").fill("2");
    await page.getByLabel("Duration").blur();
    await screenshot("01-new");

    await page.getByRole("button", { name: "Create A/B test" }).click();
    await page.waitForURL(/\/ab-tests\/[\w-]+$/);
    await expect.poll(() => page.getByTestId("ab-trial").count(), LIVE).toBe(1);
  });

  test("five blind trials judged with the keyboard, no adapter named on the way", async () => {
    await expect.poll(() => page.getByTestId("ab-player").count()).toBe(2);
    expect(await page.getByTestId("ab-player").evaluateAll((players) => players.map((player) => player.getAttribute("data-side")))).toEqual(["A", "B"]);
    expect(await bodyText()).not.toContain(ADAPTER_NAME);
    await screenshot("02-trial");

    for (const [index, key] of CHOICES.entries()) {
      await expect.poll(() => page.getByTestId("ab-trial").getAttribute("data-trial-index")).toBe(String(index));
      expect(await bodyText()).not.toContain(ADAPTER_NAME);
      await page.keyboard.press(key);
      await expect.poll(() => page.getByTestId("ab-test-progress").textContent()).toBe(`${index + 1} of 5 trials judged`);
    }
  });

  test("the result: verdict, win rate with its interval drawn, p-value, tally", async () => {
    await expect.poll(() => page.getByTestId("ab-result").count()).toBe(1);
    expect(await page.getByTestId("ab-verdict").textContent()).not.toBe("");
    expect(await page.getByTestId("ab-tally").textContent()).toMatch(/^\d wins? · \d loss(es)? · 1 tie$/);
    expect(await page.getByTestId("ab-win-rate").textContent()).toMatch(/% \(95% CI [\d.]+%–[\d.]+%\)$/);
    expect(await page.getByTestId("ab-p-value").textContent()).toMatch(/^[\d.]+$/);
    expect(await page.getByTestId("ab-significance").textContent()).toMatch(/ignificant at 0\.05$/);
    expect(await page.getByTestId("ab-interval-band").count()).toBe(1);
    await screenshot("03-result");

    await page.goto("/ab-tests");
    const row = page.locator("tbody tr", { hasText: "jazz" }).first();
    await expect.poll(() => row.textContent()).toContain("5 of 5 judged");
    await screenshot("04-list");
  });
});
