import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerTunesAdapter } from "../../server/test/generation-fixtures";
import type { TestApp } from "../../server/test/harness";
import { pngImage } from "../../server/test/png-fixture";
import { uploadAdapter } from "../src/api/uploadAdapter";
import { CURRENT_MODEL_STORAGE_KEY } from "../src/composables/useCurrentModel";
import { adminFetch, chromiumPath, menuOptions, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";
import { kohyaAdapterFile } from "./fixtures";

/*
 * Generation against the real server with its embedded sidecar: two adapters of Tunes S (real PEFT files, as the
 * built-in trainer writes them) and one of Stable Diffusion 1.5, which the selector must show disabled. Then the
 * Jobs page, and a delivery to a stand-in for SD.Next on loopback for the model our sidecar does not serve.
 */

const PROMPT = "a lively waltz in major";
const LIVE = { timeout: 90_000, interval: 200 };

interface AdapterAggregates {
  usageCount: number;
  ratingCount: number;
  averageRating: number | null;
  deletedAt: string | null;
}

/** SD.Next's txt2img on loopback: every request gets one small PNG back, with the info its API returns. */
async function startSdNext(): Promise<{ server: Server; host: string; prompts: string[] }> {
  const prompts: string[] = [];
  const png = pngImage(24, 16).toString("base64");
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url !== "/sdapi/v1/txt2img") return void res.writeHead(404).end();
    prompts.push(JSON.parse(Buffer.concat(chunks).toString("utf8")).prompt);
    const info = { all_seeds: [1234], infotexts: ["a quiet piano room"], index_of_first_image: 0 };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ images: [png], parameters: {}, info: JSON.stringify(info) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, prompts };
}

describe.skipIf(!chromiumPath)("generation dashboard in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  let sdNext: Awaited<ReturnType<typeof startSdNext>>;
  const ids: Record<"waltzA" | "waltzB" | "piano", string> = { waltzA: "", waltzB: "", piano: "" };

  const screenshot = (name: string) => saveScreenshot(page, `generation-${name}`);
  const adapterSelect = () => page.getByTestId("adapter-select");
  const options = () => menuOptions(page);
  const option = (text: string) => options().filter({ hasText: text }).first();

  async function openSelector(): Promise<void> {
    await adapterSelect().click();
    await expect.poll(() => options().first().isVisible()).toBe(true);
  }

  /** A click outside (on the page's title, or a dialog's) closes a select that takes several values. */
  async function closeSelector(outside: Locator = page.locator("h1")): Promise<void> {
    await outside.click();
    await expect.poll(() => options().count()).toBe(0);
  }

  async function aggregates(id: string): Promise<AdapterAggregates> {
    const { data } = await app.gql<{ adapter: AdapterAggregates }>("query ($id: ID!) { adapter(id: $id) { usageCount ratingCount averageRating deletedAt } }", { id });
    return data!.adapter;
  }

  async function chooseCurrentModel(name: string): Promise<void> {
    await page.goto("/settings");
    const select = page.locator(".n-select").first();
    await select.click();
    await page.keyboard.type(name);
    await option(name).click();
    await expect.poll(() => page.getByRole("link", { name: `Current model: ${name}` }).count()).toBe(1);
  }

  /** The `n`th star of a sample's rating (1–5). */
  const star = (card: Locator, n: number) => card.locator(".n-rate__item").nth(n - 1);

  beforeAll(async () => {
    sdNext = await startSdNext();
    studio = await openStudio({ SIDECAR: "embedded", DELIVERY_ALLOWED_HOSTS: sdNext.host });
    app = studio.app;
    page = studio.page;
    ids.waltzA = await registerTunesAdapter(app, "waltz-a", { seed: 1 });
    ids.waltzB = await registerTunesAdapter(app, "waltz-b", { seed: 2 });
    const piano = await uploadAdapter({ name: "piano-mood", version: "1.0" }, kohyaAdapterFile(3), adminFetch(app));
    if (!piano.adapter) throw new Error(`seeding piano-mood failed: ${piano.failure.message}`);
    ids.piano = piano.adapter.id;

    await studio.browser.context.addInitScript(
      ([key, model]) => window.localStorage.getItem(key!) ?? window.localStorage.setItem(key!, model!),
      [CURRENT_MODEL_STORAGE_KEY, "tunes-s"],
    );
  });

  afterAll(async () => {
    await studio?.close();
    sdNext?.server.close();
  });

  test("the selector offers the adapters that fit the current model and shows the others disabled with the model they need", async () => {
    await page.goto("/generate");
    await expect.poll(() => page.getByTestId("adapter-hint").textContent()).toBe(
      "Some adapters need a different model; they are shown disabled with the model they require.",
    );
    await openSelector();
    expect(await options().allTextContents()).toEqual(["None (base model)", "waltz-a 1", "waltz-b 1", "piano-mood 1.0Requires Stable Diffusion 1.5"]);
    const disabled = options().and(page.locator(".n-base-select-option--disabled"));
    expect(await disabled.allTextContents()).toEqual(["piano-mood 1.0Requires Stable Diffusion 1.5"]);

    await option("piano-mood").hover();
    const tooltip = page.locator(".n-tooltip", { hasText: "This adapter requires" });
    await expect.poll(() => tooltip.textContent()).toBe("This adapter requires Stable Diffusion 1.5. Change model in Settings.");
    await screenshot("01-selector");

    // a disabled entry cannot be chosen
    await option("piano-mood").click({ force: true });
    await closeSelector();
    expect(await page.locator(".weight-row").count()).toBe(0);
  });

  test("generates with two weighted adapters: live progress, then samples to play, see and rate", async () => {
    await page.getByRole("textbox", { name: "Prompt", exact: true }).fill(PROMPT);
    await openSelector();
    await option("waltz-a").click();
    await option("waltz-b").click();
    await closeSelector();
    await page.getByLabel("Weight of waltz-b").fill("1.25");
    await page.getByLabel("Weight of waltz-b").blur();
    await expect.poll(() => page.getByTestId("composed-prompt").textContent()).toContain("<lora:waltz-b:1.25>");
    expect(await page.getByTestId("composed-prompt").textContent()).toContain("<lora:waltz-a:1>");

    await page.getByLabel("Duration").fill("4");
    await page.getByText("Advanced").click();
    await page.getByLabel("Samples").fill("2");
    await page.getByLabel("Seed").fill("7");
    await page.getByLabel("Seed").blur();
    await screenshot("02-form");

    // every state the progress bar shows, from the click on
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector("[data-testid=generation-progress]");
        const state = bar && `${bar.getAttribute("data-status")} ${bar.getAttribute("data-progress")}`;
        if (state && seen.at(-1) !== state) seen.push(state);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole("button", { name: "Generate" }).click();
    const progress = page.getByTestId("generation-progress");
    await expect.poll(() => progress.getAttribute("data-status"), LIVE).toBe("DONE");
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen[0]).toMatch(/^QUEUED /);
    expect(seen.at(-1)).toBe("DONE 1");
    expect(await progress.locator(".n-progress").getAttribute("aria-valuenow")).toBe("100");

    const cards = page.getByTestId("sample-card");
    await expect.poll(() => cards.count()).toBe(2);
    expect(await page.getByTestId("generation-result").textContent()).toContain("waltz-b 1 · 1.25");
    await expect.poll(() => cards.first().getByTestId("sample-waveform").getAttribute("data-columns"), LIVE).toBe("320");

    const audio = cards.first().getByTestId("sample-audio");
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration)).toBeCloseTo(4, 0);
    await audio.evaluate((element: HTMLAudioElement) => element.play());
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime), LIVE).toBeGreaterThan(0);
    await screenshot("03-samples");

    await star(cards.first(), 4).click();
    await expect.poll(() => cards.first().getByTestId("sample-rating-summary").textContent()).toBe("4 · 1 rating");
    for (const id of [ids.waltzA, ids.waltzB]) {
      // a job stacking two adapters is credited to their combination, not to either (issue 11, item 6)
      expect(await aggregates(id)).toMatchObject({ usageCount: 1, ratingCount: 0, averageRating: null });
    }
    expect(await aggregates(ids.piano)).toMatchObject({ usageCount: 0, ratingCount: 0 });
    await screenshot("04-rated");
  });

  test("an adapter deleted since it was chosen is refused with a way to drop it", async () => {
    const { data } = await app.gql<{ deleteAdapter: { __typename: string } }>("mutation ($id: ID!) { deleteAdapter(id: $id) { __typename } }", { id: ids.waltzB });
    expect(data!.deleteAdapter.__typename).toBe("DeleteAdapterSuccess");

    await page.getByRole("button", { name: "Generate" }).click();
    const refusal = page.getByTestId("generation-refusal");
    await expect.poll(() => refusal.textContent()).toContain("Adapter deleted");
    expect(await refusal.textContent()).toContain("ADAPTER_DELETED");
    await screenshot("05-adapter-deleted");

    await refusal.getByRole("button", { name: "Remove it from the selection" }).click();
    await expect.poll(() => page.locator(".weight-row").count()).toBe(1);
    expect(await refusal.count()).toBe(0);
  });

  test("the Jobs page lists the job with its adapters, the deleted one marked, and plays its samples", async () => {
    await page.goto("/jobs");
    const row = page.locator("tbody tr", { hasText: PROMPT }).first();
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await page.getByTestId("job-summary").textContent()).toBe("1 generation job");
    expect(await row.textContent()).toContain("waltz-a 1 · 1.00");
    expect(await row.getByTestId("deleted-adapter").textContent()).toBe("Deleted Adapter · 1.25");
    expect(await row.textContent()).toContain("Tunes S (built-in)");
    expect(await row.locator("td").nth(5).textContent()).toBe("2");

    await row.locator(".n-data-table-expand-trigger").click();
    const detail = page.getByTestId("generation-job-detail");
    await expect.poll(() => detail.getByTestId("sample-card").count()).toBe(2);
    expect(await detail.textContent()).toContain("seed 7");
    await expect.poll(() => detail.getByTestId("sample-rating-summary").first().textContent()).toBe("4 · 1 rating");
    await screenshot("06-jobs");

    await page.getByRole("radio", { name: "Failed" }).click({ force: true });
    await expect.poll(() => new URL(page.url()).searchParams.get("status")).toBe("FAILED");
    await expect.poll(() => page.getByText("No jobs match these filters.").isVisible()).toBe(true);
  });

  test("with a current model no adapter fits, the selector offers only the base model", async () => {
    await chooseCurrentModel("Tunes M (built-in)");
    await page.goto("/generate");
    await expect.poll(() => page.getByTestId("adapter-hint").textContent()).toBe(
      "No adapters available for Tunes M (built-in). Train or import adapters, or change model in Settings.",
    );
    await openSelector();
    expect(await options().allTextContents()).toEqual(["None (base model)"]);
    await closeSelector();
    await screenshot("07-no-adapters");
  });

  test("a model our sidecar does not serve is delivered: a prompt composed with its adapter goes to SD.Next", async () => {
    await chooseCurrentModel("Stable Diffusion 1.5");
    await page.goto("/generate");
    const note = page.getByTestId("external-model-note");
    await expect.poll(() => note.textContent()).toContain("through Deliveries");
    await screenshot("08-external-model");
    await note.getByRole("link", { name: "Deliveries" }).click();
    await page.waitForURL("**/deliveries");

    await page.getByRole("button", { name: "New delivery" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByTestId("allowed-hosts").textContent()).toBe(`Allowed hosts: ${sdNext.host}`);
    await dialog.getByLabel("URL").fill(`http://${sdNext.host}`);
    await dialog.getByRole("textbox", { name: "Prompt", exact: true }).fill("a quiet piano room");
    await dialog.getByText("Compose with adapters").click();
    await dialog.getByTestId("adapter-select").click();
    await option("piano-mood").click();
    await closeSelector(dialog.locator(".n-card-header__main"));
    await expect.poll(() => dialog.getByTestId("composed-prompt").textContent()).toContain("<lora:piano-mood:1>");
    await dialog.getByRole("button", { name: "Use the composed prompt" }).click();
    await expect.poll(() => dialog.getByRole("textbox", { name: "Prompt", exact: true }).inputValue()).toMatch(/^a quiet piano room.*<lora:piano-mood:1>$/);
    await dialog.getByText("Generation parameters").click();
    await dialog.getByLabel("Steps").fill("12");
    await dialog.getByLabel("Steps").blur();
    await screenshot("09-new-delivery");

    await dialog.getByRole("button", { name: "Deliver" }).click();
    await page.waitForURL(/\/deliveries\/[\w-]+$/);
    await expect.poll(() => page.getByTestId("delivery-status").textContent(), LIVE).toContain("Succeeded");
    await expect.poll(() => page.getByTestId("delivery-image").count()).toBe(1);
    expect(await page.getByTestId("delivery-result").textContent()).toContain("HTTP 200");
    expect(sdNext.prompts).toEqual([expect.stringContaining("<lora:piano-mood:1>")]);
    await screenshot("10-delivery");

    await page.goto("/deliveries");
    const row = page.locator("tbody tr", { hasText: sdNext.host });
    await expect.poll(() => row.textContent()).toContain("Succeeded");
    expect(await row.textContent()).toContain("1 of 3");
    await screenshot("11-deliveries");
  });
});
