import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerTunesAdapter } from "../../server/test/generation-fixtures";
import type { TestApp } from "../../server/test/harness";
import { CURRENT_MODEL_STORAGE_KEY } from "../src/composables/useCurrentModel";
import { chromiumPath, menuOptions, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";

/*
 * The Generate composer as AUTOMATIC1111 users expect it (issue 11, items 3, 7, 11, 12 and 14): <lora:…> tags typed in
 * the prompt and the picker in step, the combined scale of stacked adapters, generation history with its filters,
 * adapters recommended for the prompt, and the Deliveries composer with its own base model. The real server with its
 * embedded sidecar and real PEFT adapters of Tunes S (scale alpha / r = 2).
 */

const LIVE = { timeout: 90_000, interval: 200 };

describe.skipIf(!chromiumPath)("the Generate composer in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  const ids: Record<string, string> = {};

  const screenshot = (name: string) => saveScreenshot(page, `generate-composer-${name}`);
  const promptBox = () => page.getByRole("textbox", { name: "Prompt", exact: true });
  const weightRow = (name: string) => page.locator(`.weight-row[data-adapter-name="${name}"]`);
  const generateButton = () => page.getByRole("button", { name: "Generate", exact: true });
  const visibleOption = (text: string) => menuOptions(page).filter({ hasText: text }).first();

  async function latestJob(): Promise<{ id: string; prompt: string; adapters: { weight: number; adapter: { name: string } }[] }> {
    const { data } = await app.gql<any>(`{ generationJobs(first: 1) { edges { node { id prompt adapters { weight adapter { name } } } } } }`);
    return data.generationJobs.edges[0].node;
  }

  beforeAll(async () => {
    studio = await openStudio({ SIDECAR: "embedded" });
    app = studio.app;
    page = studio.page;
    for (const [index, name] of ["lantern", "harbour", "meadow"].entries()) ids[name] = await registerTunesAdapter(app, name, { seed: index + 1 });
    const described = await app.gql<any>(`mutation ($id: ID!) { updateAdapter(id: $id, input: { description: "foghorns and bells over a quiet harbour" }) { __typename } }`, {
      id: ids.harbour,
    });
    expect(described.data.updateAdapter.__typename).toBe("UpdateAdapterSuccess");
  });

  afterAll(() => studio?.close());

  test("11: the base model is chosen on the Generate page itself, and remembered", async () => {
    await page.goto("/generate");
    await expect.poll(() => page.getByText("No current model").isVisible()).toBe(true);
    await page.getByTestId("generate-base-model").click();
    await visibleOption("Tunes S").click();
    await expect.poll(() => page.evaluate((key) => window.localStorage.getItem(key), CURRENT_MODEL_STORAGE_KEY)).toBe("tunes-s");
    await expect.poll(() => promptBox().isVisible()).toBe(true);
    expect(await page.getByText("remembered in this browser and shared with Settings").isVisible()).toBe(true);
  });

  test("3: typed <lora:…> tags become picked adapters, problems are flagged before generating, picking writes the tag", async () => {
    await promptBox().fill("night sea shanty <lora:lantern:0.6>");
    await expect.poll(() => weightRow("lantern").isVisible()).toBe(true);
    expect(await page.getByLabel("Weight of lantern").inputValue()).toBe("0.60");

    await promptBox().fill("night sea shanty <lora:lantern:0.6> <lora:nobody:1> <lora:meadow:2.5>");
    const problems = page.getByTestId("prompt-tag-problems");
    await expect.poll(() => problems.textContent()).toContain("no adapter is named 'nobody'");
    expect(await problems.textContent()).toContain("weight 2.5 is outside 0.0–2.0");
    expect(await generateButton().isDisabled()).toBe(true);
    await screenshot("3-flagged-tags");

    await promptBox().fill("night sea shanty <lora:lantern:0.6>");
    await expect.poll(() => problems.count()).toBe(0);
    await page.getByTestId("adapter-select").click();
    await visibleOption("meadow").click();
    await page.locator("h1").click();
    await expect.poll(() => promptBox().inputValue()).toBe("night sea shanty <lora:lantern:0.6> <lora:meadow:1>");
    await page.getByLabel("Weight of meadow").fill("0.5");
    await page.getByLabel("Weight of meadow").blur();
    await expect.poll(() => promptBox().inputValue()).toBe("night sea shanty <lora:lantern:0.6> <lora:meadow:0.5>");
    await expect.poll(() => page.getByTestId("composed-prompt-text").textContent()).toContain("night sea shanty, <lora:lantern:0.6> <lora:meadow:0.5>");

    await page.getByLabel("Duration").fill("2");
    await generateButton().click();
    await expect.poll(() => page.getByTestId("generation-progress").getAttribute("data-status"), LIVE).toBe("DONE");
    const job = await latestJob();
    expect(job.adapters.map((entry) => [entry.adapter.name, entry.weight])).toEqual([["lantern", 0.6], ["meadow", 0.5]]);
    expect(job.prompt).toContain("<lora:lantern:0.6>");
  });

  test("7: the composer shows the stack's combined scale and warns when it overbakes", async () => {
    const scale = page.getByTestId("combined-scale");
    await expect.poll(() => scale.textContent()).toBe("combined scale 2.20");
    expect(await page.getByTestId("overbake-warning").count()).toBe(0);
    await page.getByTestId("adapter-select").click();
    await visibleOption("harbour").click();
    await page.locator("h1").click();
    await page.getByLabel("Weight of lantern").fill("1.5");
    await page.getByLabel("Weight of lantern").blur();
    await expect.poll(() => scale.textContent()).toBe("combined scale 6.00");
    await expect.poll(() => page.getByTestId("overbake-warning").textContent()).toContain("tend to overbake");
    await screenshot("7-overbake");
    await page.getByLabel("Weight of lantern").fill("0.5");
    await page.getByLabel("Weight of lantern").blur();
    await expect.poll(() => page.getByTestId("overbake-warning").count()).toBe(0);
  });

  test("12: adapters for this prompt are recommended beside it, and added as a tag", async () => {
    await promptBox().fill("bells in the harbour at dawn");
    const recommendations = page.getByTestId("prompt-recommendations");
    const harbour = recommendations.locator('li[data-adapter-name="harbour"]');
    await expect.poll(() => harbour.isVisible()).toBe(true);
    expect(await harbour.textContent()).toMatch(/harbour|bells/);
    await harbour.getByRole("button", { name: "Add harbour" }).click();
    await expect.poll(() => promptBox().inputValue()).toBe("bells in the harbour at dawn <lora:harbour:1>");
    await expect.poll(() => weightRow("harbour").isVisible()).toBe(true);
    await screenshot("12-recommended");
  });

  test("11: Ctrl+Enter generates; each sample shows its own seed and downloads under a telling name; Jobs filter", async () => {
    await page.getByText("Advanced").click();
    await page.getByLabel("Samples").fill("2");
    await page.getByLabel("Seed").fill("40");
    await page.getByLabel("Seed").blur();
    const before = (await latestJob()).id;
    await promptBox().focus();
    await page.keyboard.press("Control+Enter");
    await expect.poll(async () => (await latestJob()).id, LIVE).not.toBe(before);
    await expect.poll(() => page.getByTestId("generation-progress").getAttribute("data-status"), LIVE).toBe("DONE");
    const cards = page.getByTestId("sample-card");
    await expect.poll(() => cards.count()).toBe(2);
    expect(await cards.nth(1).getByTestId("sample-seed").textContent()).toBe("seed 41");
    const download = page.waitForEvent("download");
    await cards.nth(1).getByRole("link", { name: "WAV" }).click();
    expect((await download).suggestedFilename()).toBe("bells-in-the-harbour-at-dawn_seed-41_harbour-1.wav");

    await page.goto("/jobs");
    const rows = page.locator("tbody tr");
    await expect.poll(() => page.getByTestId("job-summary").textContent()).toBe("2 generation jobs");
    await page.getByRole("textbox", { name: "Prompt contains" }).fill("HARBOUR");
    await expect.poll(() => page.getByTestId("job-summary").textContent()).toBe("1 generation job");
    expect(new URL(page.url()).searchParams.get("q")).toBe("HARBOUR");
    expect(await rows.first().textContent()).toContain("bells in the harbour");
    await page.getByRole("textbox", { name: "Prompt contains" }).fill("");
    await expect.poll(() => page.getByTestId("job-summary").textContent()).toBe("2 generation jobs");
    await page.getByTestId("job-filter-adapter").click();
    await visibleOption("lantern").click();
    await expect.poll(() => page.getByTestId("job-summary").textContent()).toBe("1 generation job");
    expect(await rows.first().textContent()).toContain("night sea shanty");
    await page.reload();
    await expect.poll(() => page.getByTestId("job-summary").textContent()).toBe("1 generation job");
    await page.goto(`/jobs?from=2000-01-01&to=2000-01-02`);
    await expect.poll(() => page.getByText("No jobs match these filters.").isVisible()).toBe(true);
    await page.goto(`/jobs?model=tunes-m`);
    await expect.poll(() => page.getByText("No jobs match these filters.").isVisible()).toBe(true);
    await screenshot("11-jobs-filtered");
  });

  test("14: the Deliveries composer explains an empty command list and composes for its own base model", async () => {
    await page.goto("/deliveries");
    await page.getByRole("button", { name: "New delivery" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByTestId("allowed-hosts").isVisible()).toBe(true);
    await dialog.locator(".n-radio-button", { hasText: "Command" }).click();
    const hint = dialog.getByTestId("no-command-templates");
    await expect.poll(() => hint.textContent()).toContain("DELIVERY_COMMANDS='[{\"name\": \"gen\"");
    expect(await dialog.getByTestId("command-select").count()).toBe(0);

    await dialog.getByText("Compose with adapters").click();
    await dialog.getByTestId("composer-base-model").click();
    await visibleOption("Tunes M").click();
    await expect.poll(() => dialog.getByTestId("adapter-hint").textContent()).toContain("No adapters available for Tunes M");
    expect(await page.evaluate((key) => window.localStorage.getItem(key), CURRENT_MODEL_STORAGE_KEY)).toBe("tunes-s");
    await screenshot("14-delivery-composer");
  });
});
