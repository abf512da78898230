import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerTunesAdapter } from "../../server/test/generation-fixtures";
import type { TestApp } from "../../server/test/harness";
import { CURRENT_MODEL_STORAGE_KEY } from "../src/composables/useCurrentModel";
import { chromiumPath, menuOptions, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";

/*
 * Issue 13: a weight × seed grid against the real server with its embedded sidecar. One Tunes S adapter (a real PEFT
 * file, as the built-in trainer writes it) at two weights and two seeds, made from the New grid form; its cells
 * followed live until each has a player; one rated; two cells of different weights taken to a pre-filled blind A/B test.
 */

const PROMPT = "a lively waltz in major";
const ADAPTER = "grid-waltz";
const LIVE = { timeout: 120_000, interval: 250 };
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface GridCells {
  generationGrid: { adapters: { rows: { cells: { weight: number; seed: number; job: { samples: { ratingCount: number; averageRating: number | null }[] } }[] }[] }[] };
}

describe.skipIf(!chromiumPath)("weight × seed grids in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  let adapterId: string;
  let gridId: string;

  /** The same page at 1440×900 and on a 390×844 phone. */
  async function screenshots(name: string): Promise<void> {
    await saveScreenshot(page, `grids-${name}`);
    await page.setViewportSize(PHONE);
    await saveScreenshot(page, `grids-${name}-390`);
    await page.setViewportSize(DESKTOP);
  }

  const options = () => menuOptions(page);
  const cell = (weight: string, seed: number) => page.locator(`[data-testid=grid-cell][data-weight="${weight}"][data-seed="${seed}"]`);
  const choose = (weight: string, seed: number) => page.getByRole("checkbox", { name: `Select ${ADAPTER} 1 at ${Number(weight).toFixed(2)}, seed ${seed}` });

  beforeAll(async () => {
    studio = await openStudio({ SIDECAR: "embedded" });
    app = studio.app;
    page = studio.page;
    adapterId = await registerTunesAdapter(app, ADAPTER, { seed: 5 });
    await studio.browser.context.addInitScript(
      ([key, model]) => window.localStorage.getItem(key!) ?? window.localStorage.setItem(key!, model!),
      [CURRENT_MODEL_STORAGE_KEY, "tunes-s"],
    );
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("the New grid form counts the cells, refuses more than 100, and makes the grid", async () => {
    await page.goto("/grids");
    await expect.poll(() => page.getByTestId("grid-summary").textContent()).toMatch(/^0 grids/);
    await page.getByRole("button", { name: "New grid" }).click();
    await page.waitForURL("**/grids/new");
    await expect.poll(() => page.getByTestId("grid-base-model").textContent()).toContain("Tunes S");

    await page.getByRole("textbox", { name: "Prompt", exact: true }).fill(PROMPT);
    await page.getByTestId("grid-adapters").click();
    await options().filter({ hasText: `${ADAPTER} 1` }).first().click();
    await page.locator("h1").click();
    await expect.poll(() => options().count()).toBe(0);
    await page.getByLabel("Weights").fill("0.5, 1.5");
    await page.getByLabel("Duration").fill("2");
    await page.getByLabel("Duration").blur();

    const count = page.getByTestId("grid-cell-count");
    const create = page.getByRole("button", { name: "Create grid" });
    await page.getByLabel("Seeds").fill(Array.from({ length: 51 }, (_, seed) => seed).join(", "));
    await expect.poll(() => count.textContent()).toBe("1 adapter × 2 weights × 51 seeds = 102 cells");
    expect(await page.getByTestId("grid-too-many-cells").textContent()).toContain("at most 100 cells");
    expect(await create.isDisabled()).toBe(true);

    await page.getByLabel("Seeds").fill("3, 4");
    await expect.poll(() => count.textContent()).toBe("1 adapter × 2 weights × 2 seeds = 4 cells");
    expect(await page.getByTestId("grid-too-many-cells").count()).toBe(0);
    await screenshots("01-new");

    // every state a cell shows, from the click on
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { cellStatesSeen: Set<string> }).cellStatesSeen = seen;
      new MutationObserver(() => {
        for (const cell of document.querySelectorAll("[data-testid=grid-cell]")) seen.add(cell.getAttribute("data-status")!);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await create.click();
    await page.waitForURL((url) => /^\/grids\/[\w-]+$/.test(url.pathname) && url.pathname !== "/grids/new");
    gridId = new URL(page.url()).pathname.split("/").at(-1)!;
  });

  test("the grid: rows of weights, columns of seeds, each cell live until it has a player and scores", async () => {
    expect(await page.getByTestId("grid-prompt").textContent()).toBe(PROMPT);
    expect(await page.getByTestId("grid-weight").allTextContents()).toEqual(["0.50", "1.50"]);
    expect(await page.getByTestId("grid-seed").allTextContents()).toEqual(["3", "4"]);
    const cells = page.getByTestId("grid-cell");
    expect(await cells.evaluateAll((found) => found.map((element) => `${element.getAttribute("data-weight")}×${element.getAttribute("data-seed")}`))).toEqual([
      "0.5×3",
      "0.5×4",
      "1.5×3",
      "1.5×4",
    ]);

    await expect.poll(() => page.getByTestId("grid-player").count(), LIVE).toBe(4);
    expect(await cells.evaluateAll((found) => found.map((element) => element.getAttribute("data-status")))).toEqual(["DONE", "DONE", "DONE", "DONE"]);
    const seen = await page.evaluate(() => [...(window as unknown as { cellStatesSeen: Set<string> }).cellStatesSeen]);
    expect(seen[0], "the cells were followed live, not loaded done").toMatch(/^(QUEUED|RUNNING)$/);
    expect(seen.at(-1)).toBe("DONE");
    for (const [weight, seed] of [["0.5", 3], ["0.5", 4], ["1.5", 3], ["1.5", 4]] as const) {
      expect(await cell(weight, seed).getByTestId("grid-player").count(), `${weight}×${seed}`).toBe(1);
      expect(await cell(weight, seed).getByTestId("grid-scores").textContent()).toContain("Notes");
    }
    await expect.poll(() => page.getByTestId("grid-progress").textContent()).toContain("4 of 4 cells done");
    const audio = cell("1.5", 4).getByTestId("grid-player");
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.src)).toMatch(/\.wav/);
  });

  test("a cell is rated in place", async () => {
    await cell("1.5", 3).locator(".n-rate__item").nth(3).click();
    await expect.poll(() => cell("1.5", 3).getByTestId("sample-rating-summary").textContent()).toBe("4 · 1 rating");
    const { data } = await app.gql<GridCells>(
      "query ($id: ID!) { generationGrid(id: $id) { adapters { rows { cells { weight seed job { samples { ratingCount averageRating } } } } } } }",
      { id: gridId },
    );
    const rated = data!.generationGrid.adapters[0]!.rows.flatMap((row) => row.cells).filter((found) => found.job.samples[0]!.ratingCount > 0);
    expect(rated.map((found) => [found.weight, found.seed, found.job.samples[0]!.averageRating])).toEqual([[1.5, 3, 4]]);
    await screenshots("02-grid");
    // the table scrolls inside itself on the phone; the page does not
    await page.setViewportSize(PHONE);
    // polled: the phone-sized layout may take a frame or more after the resize on a busy machine
    await expect.poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expect.poll(() => page.locator(".scroller").first().evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    await page.setViewportSize(DESKTOP);
  });

  test("two cells of different weights start a blind A/B test pre-filled with their settings", async () => {
    const abTest = page.getByTestId("grid-ab-test");
    expect(await abTest.isDisabled()).toBe(true);
    await choose("0.5", 3).click();
    await choose("0.5", 4).click();
    await expect.poll(() => page.getByTestId("grid-selection-hint").textContent()).toContain("differ only in their seed");
    expect(await abTest.isDisabled()).toBe(true);
    // a third choice replaces the first
    await choose("1.5", 3).click();
    await expect.poll(() => abTest.isEnabled()).toBe(true);
    expect(await choose("0.5", 3).getAttribute("aria-checked")).toBe("false");
    await abTest.click();

    await page.waitForURL(/\/ab-tests\/new\?/);
    await expect.poll(() => page.getByLabel("Weight A").inputValue()).toBe("0.5");
    expect(await page.getByLabel("Weight B").inputValue()).toBe("1.5");
    expect(await page.getByLabel("Prompts").inputValue()).toBe(PROMPT);
    expect(await page.getByLabel("Seed").inputValue()).toBe("4");
    expect(await page.getByLabel("Duration").inputValue()).toBe("2");
    await expect.poll(() => page.getByLabel("Test name").inputValue()).toBe(`${ADAPTER} 1 at 0.50 vs ${ADAPTER} 1 at 1.50`);
    expect(await page.getByTestId("ab-adapter-a").textContent()).toContain(`${ADAPTER} 1`);
    expect(await page.getByTestId("ab-adapter-b").textContent()).toContain(`${ADAPTER} 1`);
    await page.getByLabel("Trials per prompt").fill("2");
    await page.getByLabel("Trials per prompt").blur();
    await screenshots("03-ab-test-new");

    await page.getByRole("button", { name: "Create A/B test" }).click();
    await page.waitForURL((url) => /^\/ab-tests\/[\w-]+$/.test(url.pathname) && url.pathname !== "/ab-tests/new");
    const testId = new URL(page.url()).pathname.split("/").at(-1)!;
    const { data } = await app.gql<{ abTest: Record<string, unknown> }>(
      "query ($id: ID!) { abTest(id: $id) { adapterA { id } adapterB { id } weightA weightB seed prompts trialsPerPrompt } }",
      { id: testId },
    );
    expect(data!.abTest).toEqual({ adapterA: { id: adapterId }, adapterB: { id: adapterId }, weightA: 0.5, weightB: 1.5, seed: 4, prompts: [PROMPT], trialsPerPrompt: 2 });
  });

  test("the Grids page lists the grid with its adapter, weights, seeds and cells", async () => {
    await page.getByRole("link", { name: "Grids" }).click();
    await page.waitForURL("**/grids");
    await expect.poll(() => page.getByTestId("grid-summary").textContent()).toMatch(/^1 grid:/);
    const cells = await page.locator("tbody tr").first().locator("td").allTextContents();
    expect(cells.slice(0, 6)).toEqual([PROMPT, "Tunes S (built-in)", `${ADAPTER} 1`, "0.50, 1.50", "3, 4", "4"]);
    await screenshots("04-list");
  });
});
