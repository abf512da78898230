import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerTunesAdapter } from "../../server/test/generation-fixtures";
import type { TestApp } from "../../server/test/harness";
import { CURRENT_MODEL_STORAGE_KEY } from "../src/composables/useCurrentModel";
import { chromiumPath, menuOptions, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";

/*
 * The adapter selectors with more adapters than the API's largest page (200): 521 of Tunes S, listed in activation
 * order as etude-000 … etude-520. One is uploaded through the API; the others are copies of its row, inserted at once.
 * The selectors list the first 50 and say how many there are; typing searches on the server.
 */

const COPIES = 520;
const TOTAL = COPIES + 1;
/** a trained word only this adapter has, far beyond the first page */
const TRAINED_WORD = "moonlit";

const etude = (index: number) => `etude-${String(index).padStart(3, "0")}`;

/** Copies of a stored adapter's row as etude-001 … etude-520, in that activation order. */
async function insertCopies(app: TestApp, sourceId: string): Promise<Map<string, string>> {
  const prisma = app.deps.db.prisma;
  // the uploaded one first: an adapter without an ordinal is composed after every adapter that has one
  const source = await prisma.adapter.update({ where: { id: sourceId }, data: { ordinal: 0 } });
  const copied = Array.from({ length: COPIES }, (_, offset) => {
    const ordinal = offset + 1;
    const name = etude(ordinal);
    const trainedWords = ordinal === 512 ? [TRAINED_WORD] : [];
    return {
      name,
      version: "1",
      baseModelId: source.baseModelId,
      format: source.format,
      source: source.source,
      storageKey: source.storageKey,
      originalFilename: source.originalFilename,
      sizeBytes: source.sizeBytes,
      sha256: source.sha256,
      rank: source.rank,
      alpha: source.alpha,
      tensorCount: source.tensorCount,
      targetModules: source.targetModules,
      ordinal,
      trainedWords,
      searchText: [name, ...trainedWords].join("\n"),
    };
  });
  // 16 values a row: 520 rows stay well under PostgreSQL's 32,767 bind variables
  const rows = await prisma.adapter.createManyAndReturn({ data: copied, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.name, row.id]));
}

describe.skipIf(!chromiumPath)("adapter selectors beyond the API's largest page, in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  let ids: Map<string, string>;

  const screenshot = (name: string) => saveScreenshot(page, `adapter-search-${name}`);
  const options = () => menuOptions(page);
  const option = (text: string) => options().filter({ hasText: text }).first();
  /** The open menu's hint (a closed menu stays in the page, hidden). */
  const menuHint = () => page.locator(".n-base-select-menu__action").filter({ visible: true });

  beforeAll(async () => {
    studio = await openStudio();
    app = studio.app;
    page = studio.page;
    const first = await registerTunesAdapter(app, etude(0), { seed: 1 });
    ids = await insertCopies(app, first);
    // Tunes S as the current model, read when the dashboard next loads
    await page.goto("/");
    await page.evaluate(([key, model]) => window.localStorage.setItem(key, model), [CURRENT_MODEL_STORAGE_KEY, "tunes-s"] as const);
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("Generate: the first page says how many there are, and typing finds adapters beyond it", async () => {
    await page.goto("/generate");
    const select = page.getByTestId("adapter-select");
    await select.click();
    await expect.poll(() => menuHint().textContent()).toBe(`Showing 50 of ${TOTAL} — type to search`);
    expect(await options().first().textContent()).toBe("None (base model)");
    expect(await option(etude(0)).textContent()).toBe(`${etude(0)} 1`);
    await screenshot("01-first-page");

    await page.keyboard.type(etude(437));
    await expect.poll(() => options().allTextContents()).toEqual(["None (base model)", `${etude(437)} 1`]);
    expect(await menuHint().count()).toBe(0);
    await option(etude(437)).click();
    await expect.poll(() => page.locator(".weight-row").getAttribute("data-adapter-name")).toBe(etude(437));
    // the box emptied with the choice: the first page again, the chosen adapter listed first
    await expect.poll(() => options().nth(1).textContent()).toBe(`${etude(437)} 1`);
    expect(await menuHint().textContent()).toBe(`Showing 50 of ${TOTAL} — type to search`);

    // by a trained word; the first choice keeps its label while it is not among the matches
    await page.keyboard.type(TRAINED_WORD);
    await expect.poll(() => options().allTextContents()).toEqual(["None (base model)", `${etude(437)} 1`, `${etude(512)} 1`]);
    await option(etude(512)).click();
    await expect.poll(() => page.locator(".weight-row").count()).toBe(2);
    await page.locator("h1").click();
    await expect.poll(() => options().count()).toBe(0);
    expect(await select.locator(".n-tag").allTextContents()).toEqual([`${etude(437)} 1`, `${etude(512)} 1`]);
    await expect.poll(() => page.getByTestId("composed-prompt").textContent()).toContain(`<lora:${etude(512)}:1>`);
    await screenshot("02-chosen-beyond-the-page");
  });

  test("A/B test: a side pre-selected beyond the first page is labelled, and the other is found by typing", async () => {
    await page.goto(`/ab-tests/new?adapterA=${ids.get(etude(480))}&adapterB=base`);
    const name = page.getByLabel("Test name");
    await expect.poll(() => name.inputValue()).toBe(`${etude(480)} 1 vs base model`);
    expect(await page.getByTestId("ab-adapter-a").textContent()).toContain(`${etude(480)} 1 · Tunes S (built-in)`);

    await page.getByTestId("ab-adapter-b").click();
    await expect.poll(() => menuHint().textContent()).toBe(`Showing 50 of ${TOTAL} — type to search`);
    await page.keyboard.type(etude(300));
    await expect.poll(() => options().allTextContents()).toEqual(["Base model (no adapter)", `${etude(300)} 1 · Tunes S (built-in)`]);
    await option(etude(300)).click();
    await expect.poll(() => name.inputValue()).toBe(`${etude(480)} 1 vs ${etude(300)} 1`);
    expect(await page.getByTestId("ab-adapter-b").textContent()).toContain(`${etude(300)} 1 · Tunes S (built-in)`);

    // A, opened again, lists its choice with the first page
    await page.getByTestId("ab-adapter-a").click();
    await expect.poll(() => options().first().textContent()).toBe(`${etude(480)} 1 · Tunes S (built-in)`);
    await screenshot("03-ab-test");
  });
});
