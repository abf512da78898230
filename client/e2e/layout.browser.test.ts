import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { uploadVersion } from "../../server/test/evaluation-suite";
import type { TestApp } from "../../server/test/harness";
import { chromiumPath, openStudio, screenshot, settled, type Studio } from "./browser";

/*
 * Issue 11, items 2 and 13: every page at 1440×900 and on a 390×844 phone (screenshots of each under
 * test-artifacts/browser/), nothing wider than the phone's screen, the navigation in a drawer there, labels above
 * their inputs, dialogs within the screen; and the dark theme, which follows the system until toggled.
 */

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const BROWSER_BLUE = ["rgb(0, 0, 238)", "rgb(85, 26, 139)"];

interface Overflow {
  scrollWidth: number;
  innerWidth: number;
  /** visible elements reaching past the right edge of the screen, as tag.class "text" */
  offenders: string[];
  /** text squeezed into a column a few letters wide */
  squeezed: string[];
}

/** What sticks out of the screen sideways: an element clipped by a scrolling ancestor only counts where it shows. */
function measureOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} "${(element.textContent ?? "").trim().slice(0, 40)}"`;
    const offenders: string[] = [];
    const squeezed: string[] = [];
    for (const element of document.querySelectorAll("body *")) {
      const rect = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden") continue;
      let right = rect.right;
      for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) {
        if (getComputedStyle(ancestor).overflowX !== "visible") right = Math.min(right, ancestor.getBoundingClientRect().right);
      }
      if (right > width + 1) offenders.push(describe(element));
      const ownText = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent ?? "").join("").trim();
      if (ownText.length >= 6 && /\w{4}/.test(ownText) && rect.width < 30 && rect.height > 3 * parseFloat(style.lineHeight || "20")) squeezed.push(describe(element));
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: width, offenders: offenders.slice(0, 10), squeezed: squeezed.slice(0, 10) };
  });
}

describe.skipIf(!chromiumPath)("layout on a desktop and a phone, and the dark theme, in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  const pages: { name: string; path: string }[] = [];

  beforeAll(async () => {
    studio = await openStudio();
    app = studio.app;
    page = studio.page;
    const [first, second] = [await uploadVersion(app, "phone-waltz", "1.0", 21), await uploadVersion(app, "phone-waltz", "1.1", 22)];
    const experiment = await app.gql(
      `mutation { createExperiment(input: { name: "phone-experiment", baseModelId: "tunes-s" }) { __typename ... on CreateExperimentSuccess { experiment { id } } } }`,
    );
    const abTest = await app.gql(
      `mutation ($input: CreateAbTestInput!) { createAbTest(input: $input) { __typename ... on CreateAbTestSuccess { test { id } } } }`,
      { input: { name: "phone 1.0 vs 1.1", adapterAId: first, adapterBId: second, prompts: ["a waltz on a small screen"], trialsPerPrompt: 1, seed: 1, durationSeconds: 2 } },
    );
    const delivery = await app.gql(
      `mutation { createDelivery(input: { mode: HTTP, url: "http://127.0.0.1:9/sdapi/v1/txt2img", prompt: "a harbour at dusk" }) { __typename ... on CreateDeliverySuccess { delivery { id } } } }`,
    );
    const grid = await app.gql(
      `mutation ($input: CreateGenerationGridInput!) { createGenerationGrid(input: $input) { __typename ... on CreateGenerationGridSuccess { grid { id } } } }`,
      { input: { baseModelId: "tunes-s", prompt: "a waltz in a grid on a small screen", adapters: [{ adapterId: first }, { adapterId: second }], weights: [0.5, 1, 1.5], seeds: [1, 2, 3, 4], durationSeconds: 2 } },
    );
    const job = await app.gql(
      `mutation { createGenerationJob(input: { prompt: "a waltz on its own page", baseModelId: "tunes-s", durationSeconds: 2, samples: 3 }) { __typename ... on CreateGenerationJobSuccess { job { id } } } }`,
    );
    const experimentId: string = experiment.data.createExperiment.experiment.id;
    pages.push(
      { name: "dashboard", path: "/dashboard" },
      { name: "adapters", path: "/adapters" },
      { name: "adapter", path: `/adapters/${first}` },
      { name: "experiments", path: "/experiments" },
      { name: "experiment-new", path: "/experiments/new" },
      { name: "experiment", path: `/experiments/${experimentId}` },
      { name: "experiment-config", path: `/experiments/${experimentId}?tab=config` },
      { name: "experiment-runs", path: `/experiments/${experimentId}?tab=runs` },
      { name: "datasets", path: "/datasets" },
      { name: "ab-tests", path: "/ab-tests" },
      { name: "ab-test-new", path: "/ab-tests/new" },
      { name: "generate", path: "/generate" },
      { name: "jobs", path: "/jobs" },
      { name: "job", path: `/jobs/${job.data.createGenerationJob.job.id}` },
      { name: "grids", path: "/grids" },
      { name: "grid-new", path: "/grids/new" },
      { name: "grid", path: `/grids/${grid.data.createGenerationGrid.grid.id}` },
      { name: "deliveries", path: "/deliveries" },
      { name: "settings", path: "/settings" },
      { name: "api-keys", path: "/settings/api-keys" },
      { name: "not-found", path: "/no-such-page" },
    );
    if (abTest.data?.createAbTest.test) pages.push({ name: "ab-test", path: `/ab-tests/${abTest.data.createAbTest.test.id}` });
    if (delivery.data?.createDelivery.delivery) pages.push({ name: "delivery", path: `/deliveries/${delivery.data.createDelivery.delivery.id}` });
  });

  afterAll(async () => {
    await studio?.close();
  });

  async function visit(path: string): Promise<void> {
    await page.goto(path);
    await expect.poll(() => page.locator(".app-content > *").first().isVisible(), { message: `${path} shows a page` }).toBe(true);
    await settled(page);
  }

  test("every page at 1440×900, the sidebar beside it", async () => {
    await page.setViewportSize(DESKTOP);
    for (const { name, path } of pages) {
      await visit(path);
      expect(await page.getByRole("navigation", { name: "Main" }).isVisible(), name).toBe(true);
      await screenshot(page, `layout-desktop-${name}`);
    }
  });

  test("every page on a 390×844 phone: nothing wider than the screen, no text squeezed into a sliver", async () => {
    await page.setViewportSize(PHONE);
    for (const { name, path } of pages) {
      await visit(path);
      expect(await page.getByRole("navigation", { name: "Main" }).isVisible(), `${name}: the sidebar is hidden in the drawer`).toBe(false);
      const overflow = await measureOverflow(page);
      expect(overflow.scrollWidth, `${name}: ${overflow.offenders.join(", ")}`).toBeLessThanOrEqual(overflow.innerWidth);
      expect(overflow.offenders, name).toEqual([]);
      expect(overflow.squeezed, name).toEqual([]);
      await screenshot(page, `layout-phone-${name}`);
    }
  });

  test("on a phone the navigation is a drawer that closes once a page is chosen", async () => {
    await page.setViewportSize(PHONE);
    await visit("/dashboard");
    await page.getByTestId("open-navigation").click();
    const navigation = page.getByRole("navigation", { name: "Main" });
    await expect.poll(() => navigation.isVisible()).toBe(true);
    await settled(page);
    await screenshot(page, "layout-phone-navigation-drawer");
    await navigation.getByRole("link", { name: "Experiments" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/experiments");
    await expect.poll(() => navigation.isVisible()).toBe(false);
  });

  test("on a phone form labels stand above their inputs and a dialog fits the screen", async () => {
    await page.setViewportSize(PHONE);
    const experimentPath = pages.find((entry) => entry.name === "experiment-config")!.path;
    await visit(experimentPath);
    const datasetItem = page.locator(".n-form-item", { hasText: "Dataset" }).first();
    const label = (await datasetItem.locator(".n-form-item-label").boundingBox())!;
    const field = (await datasetItem.locator(".n-form-item-blank").boundingBox())!;
    expect(label.y + label.height).toBeLessThanOrEqual(field.y + 1);

    await visit(pages.find((entry) => entry.name === "experiment-runs")!.path);
    const start = page.getByRole("button", { name: "Start Run" });
    if (await start.isEnabled()) {
      await start.click();
      const dialog = page.getByRole("dialog");
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await settled(page);
      const box = (await dialog.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, "layout-phone-start-run-dialog");
      await page.keyboard.press("Escape");
    }
  });

  test("the dark theme follows the system until toggled, and links take the theme's colours", async () => {
    await page.setViewportSize(DESKTOP);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const isDarkColor = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return r! + g! + b! < 3 * 96;
    };

    await page.emulateMedia({ colorScheme: "dark" });
    await visit("/adapters");
    await expect.poll(async () => isDarkColor(await background())).toBe(true);
    await screenshot(page, "layout-dark-adapters");
    const linkColors = await page.locator("a:visible").evaluateAll((links) => links.map((link) => getComputedStyle(link).color));
    expect(linkColors.length).toBeGreaterThan(0);
    for (const color of linkColors) expect(BROWSER_BLUE).not.toContain(color);

    const toggle = page.getByTestId("theme-toggle");
    await toggle.click();
    await expect.poll(async () => isDarkColor(await background())).toBe(false);
    await page.reload();
    await expect.poll(async () => isDarkColor(await background())).toBe(false);
    await toggle.click();
    await expect.poll(async () => isDarkColor(await background())).toBe(true);
    expect(await page.evaluate(() => window.localStorage.getItem("lora-studio:color-scheme"))).toBeNull();

    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(async () => isDarkColor(await background())).toBe(false);
  });
});
