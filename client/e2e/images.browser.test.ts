import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startA1111ContractServer, type A1111ContractServer } from "../../server/test/contract-servers/a1111";
import type { TestApp } from "../../server/test/harness";
import { uploadAdapter } from "../src/api/uploadAdapter";
import { CURRENT_MODEL_STORAGE_KEY } from "../src/composables/useCurrentModel";
import { adminFetch, chromiumPath, menuOptions, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";
import { kohyaAdapterFile } from "./fixtures";

/*
 * Image generation in the dashboard (issue 13): the real API with GENERATION_BACKENDS pointing at the AUTOMATIC1111
 * contract server, two kohya SD 1.5 adapters. Images generated on the Generate page, their job's page with the
 * thumbnails zoomed, stepped through, copied, downloaded and rated, a running job cancelled, then a blind A/B test whose
 * trials show the two images side by side (stacked on a phone) and are judged with the keyboard.
 */

const PROMPT = "a red fox in the snow";
const LIVE = { timeout: 60_000, interval: 200 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const ADAPTERS = ["fox-style", "snow-light"] as const;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.skipIf(!chromiumPath)("image generation in Chromium", () => {
  let a1111: A1111ContractServer;
  let loraDir: string;
  let studio: Studio;
  let app: TestApp;
  let page: Page;
  const ids: Record<(typeof ADAPTERS)[number], string> = { "fox-style": "", "snow-light": "" };

  /** a screenshot at the desktop size, then at the phone's */
  async function screenshots(name: string): Promise<void> {
    await saveScreenshot(page, `images-${name}-1440`);
    await page.setViewportSize(PHONE);
    await saveScreenshot(page, `images-${name}-390`);
    await page.setViewportSize(DESKTOP);
  }

  const options = () => menuOptions(page);
  const imageCards = () => page.getByTestId("sample-image-card");
  const viewer = () => page.getByTestId("sample-image-viewer");
  const star = (scope: Locator, n: number) => scope.locator(".n-rate__item").nth(n - 1);

  beforeAll(async () => {
    loraDir = await mkdtemp(join(tmpdir(), "images-browser-loras-"));
    a1111 = await startA1111ContractServer({ loraDir });
    const backends = [{ name: "a1111", kind: "a1111", url: a1111.url, baseModels: ["sd15"], loraDir, defaults: { steps: 4, width: 64, height: 64 } }];
    studio = await openStudio({ GENERATION_BACKENDS: JSON.stringify(backends), DELIVERY_ALLOWED_HOSTS: new URL(a1111.url).host });
    app = studio.app;
    page = studio.page;
    for (const [index, name] of ADAPTERS.entries()) {
      const uploaded = await uploadAdapter({ name, version: "1" }, kohyaAdapterFile(20 + index), adminFetch(app));
      if (!uploaded.adapter) throw new Error(`seeding ${name} failed: ${uploaded.failure.message}`);
      ids[name] = uploaded.adapter.id;
    }
    await studio.browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    await studio.browser.context.addInitScript(
      ([key, model]) => window.localStorage.getItem(key!) ?? window.localStorage.setItem(key!, model!),
      [CURRENT_MODEL_STORAGE_KEY, "sd15"],
    );
  });

  afterAll(async () => {
    await studio?.close();
    await a1111?.close();
    if (loraDir) await rm(loraDir, { recursive: true, force: true });
  });

  test("the dashboard's health panel lists the backend, its base models, and that it answers", async () => {
    await page.goto("/dashboard");
    const backend = page.getByTestId("health-backends").locator("[data-backend=a1111]");
    await expect.poll(() => backend.getAttribute("data-healthy")).toBe("true");
    expect(await backend.textContent()).toMatch(/a1111\s*Answering\s*AUTOMATIC1111\s*sd15/);
    await screenshots("01-dashboard");
  });

  test("generates two images with both adapters on the Generate page, with A1111's settings", async () => {
    await page.goto("/generate");
    await expect.poll(() => page.getByTestId("image-settings").isVisible()).toBe(true);
    await page.getByRole("textbox", { name: "Prompt", exact: true }).fill(PROMPT);
    await page.getByRole("textbox", { name: "Negative prompt" }).fill("blurry");
    await page.getByTestId("adapter-select").click();
    for (const name of ADAPTERS) await options().filter({ hasText: name }).first().click();
    await page.locator("h1").click();
    await page.getByLabel("Weight of snow-light").fill("0.6");
    await page.getByLabel("Weight of snow-light").blur();
    await expect.poll(() => page.getByTestId("composed-prompt").textContent()).toContain("<lora:snow-light:0.6>");
    await page.getByLabel("Width").fill("256");
    await page.getByLabel("Height").fill("192");
    await page.getByText("Advanced").click();
    await page.getByLabel("Samples").fill("2");
    await page.getByLabel("Seed").fill("77");
    await page.getByLabel("Seed").blur();
    expect(await page.getByLabel("Temperature").count()).toBe(0);
    await screenshots("02-generate-form");

    await page.getByRole("button", { name: "Generate", exact: true }).click();
    await expect.poll(() => page.getByTestId("generation-progress").getAttribute("data-status"), LIVE).toBe("DONE");
    await expect.poll(() => imageCards().count()).toBe(2);
    expect(await page.getByTestId("generation-progress").textContent()).toContain("2 images generated");
    expect(await imageCards().allTextContents()).toEqual([expect.stringContaining("seed 77 · 256×192"), expect.stringContaining("seed 78 · 256×192")]);
    const txt2img = a1111.requests.find((request) => request.path === "/sdapi/v1/txt2img")!.body;
    expect(txt2img).toMatchObject({ negative_prompt: "blurry", width: 256, height: 192, seed: 77, batch_size: 2 });
    await screenshots("03-generated");
  });

  test("the Jobs page names the backend and leads to the job's page with its images", async () => {
    await page.goto("/jobs");
    const row = page.locator("tbody tr", { hasText: PROMPT }).first();
    await expect.poll(() => row.getByTestId("job-generator").textContent()).toBe("a1111");
    expect(await row.textContent()).toContain("snow-light 1 · 0.60");
    await row.getByRole("link", { name: new RegExp(PROMPT) }).click();
    await page.waitForURL(/\/jobs\/[\w-]+$/);

    expect(await page.getByTestId("generation-job-title").textContent()).toBe("Image job");
    await expect.poll(() => imageCards().count()).toBe(2);
    const facts = page.getByTestId("generation-job-facts");
    expect(await facts.getByTestId("job-generator").textContent()).toBe("a1111");
    expect(await facts.textContent()).toContain("fox-style 1 · 1.00");
    expect(await facts.textContent()).toContain("4 steps · Euler a · CFG 7 · 256×192 · seed 77");
    expect(await facts.textContent()).toContain("blurry");
    await screenshots("04-job-page");
  });

  test("an image zoomed: arrows step through the images, its parameters copied, its PNG downloaded, Escape closes", async () => {
    await imageCards().first().getByRole("button", { name: "Zoom image 1" }).click();
    await expect.poll(() => viewer().getAttribute("data-sample-index")).toBe("0");
    await expect.poll(() => viewer().locator("img").evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(256);
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => viewer().getAttribute("data-sample-index")).toBe("1");
    expect(await viewer().getByTestId("viewer-seed").textContent()).toBe("78");
    const parameters = await viewer().getByTestId("viewer-parameters").textContent();
    expect(parameters).toMatch(/^a red fox in the snow.*<lora:lora_[\w-]+:1> <lora:lora_[\w-]+:0\.6>\nNegative prompt: blurry\nSteps: 4, .*Seed: 78, Size: 256x192, .*Lora hashes: /s);
    expect(await viewer().textContent()).toContain("a1111");
    await screenshots("05-zoomed");

    await viewer().getByRole("button", { name: "Copy prompt" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(parameters!.split("\nNegative prompt:")[0]);
    await viewer().getByRole("button", { name: "Copy parameters" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(parameters);

    const [download] = await Promise.all([page.waitForEvent("download"), viewer().getByRole("link", { name: "Download PNG" }).click()]);
    expect(download.suggestedFilename()).toBe("a-red-fox-in-the-snow_seed-78_fox-style-1+snow-light-0.6.png");
    const png = await readFile((await download.path())!);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.toString("latin1")).toContain("Seed: 78, Size: 256x192");

    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => viewer().getAttribute("data-sample-index")).toBe("0");
    await page.keyboard.press("Escape");
    await expect.poll(() => viewer().count()).toBe(0);
  });

  test("images are rated 1–5 as melodies are, and the ratings stay after a reload", async () => {
    await star(imageCards().nth(0), 4).click();
    await expect.poll(() => imageCards().nth(0).getByTestId("sample-rating-summary").textContent()).toBe("4 · 1 rating");
    await star(imageCards().nth(1), 2).click();
    await expect.poll(() => imageCards().nth(1).getByTestId("sample-rating-summary").textContent()).toBe("2 · 1 rating");
    await page.reload();
    await expect.poll(() => imageCards().nth(0).getByTestId("sample-rating-summary").textContent()).toBe("4 · 1 rating");
    await screenshots("06-rated");
  });

  test("a running image job is cancelled from its page", async () => {
    a1111.knobs.stepDelayMs = 200;
    const { data } = await app.gql<{ createGenerationJob: { job: { id: string } } }>(
      `mutation ($input: CreateGenerationJobInput!) { createGenerationJob(input: $input) { ... on CreateGenerationJobSuccess { job { id } } } }`,
      { input: { prompt: PROMPT, baseModelId: "sd15", adapters: [{ adapterId: ids["fox-style"], weight: 1 }], steps: 100 } },
    );
    await page.goto(`/jobs/${data!.createGenerationJob.job.id}`);
    const progress = page.getByTestId("generation-progress");
    await expect.poll(() => progress.getAttribute("data-status"), LIVE).toBe("RUNNING");
    await expect.poll(async () => Number(await progress.getAttribute("data-progress")), LIVE).toBeGreaterThan(0);
    await progress.getByRole("button", { name: "Cancel job" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel job" }).click();
    await expect.poll(() => progress.getAttribute("data-status"), LIVE).toBe("FAILED");
    a1111.knobs.stepDelayMs = 0;
    expect(await progress.textContent()).toContain("The job was cancelled");
    expect(await progress.getByRole("button", { name: "Cancel job" }).count()).toBe(0);
    await expect.poll(() => a1111.requests.some((request) => request.path === "/sdapi/v1/interrupt")).toBe(true);
    await screenshots("07-cancelled");
  });

  test("a blind A/B test of the two adapters shows each trial's images side by side, stacked on a phone, judged with the keyboard", async () => {
    await page.goto(`/ab-tests/new?adapterA=${ids["fox-style"]}&adapterB=${ids["snow-light"]}`);
    await expect.poll(() => page.getByLabel("Test name").inputValue()).toBe("fox-style 1 vs snow-light 1");
    await page.getByLabel("Prompts").fill(PROMPT);
    await page.getByLabel("Trials per prompt").fill("2");
    await page.getByLabel("Seed").fill("300");
    await page.getByLabel("Seed").blur();
    await page.getByRole("button", { name: "Create A/B test" }).click();
    await page.waitForURL(/\/ab-tests\/[\w-]+$/);
    await expect.poll(() => page.getByTestId("ab-trial").count(), { ...LIVE, timeout: 120_000 }).toBe(1);

    const images = page.getByTestId("ab-image");
    await expect.poll(() => images.count()).toBe(2);
    expect(await images.evaluateAll((shown) => shown.map((image) => image.getAttribute("data-side")))).toEqual(["A", "B"]);
    await expect.poll(() => images.locator("img").evaluateAll((shown) => shown.map((image) => (image as HTMLImageElement).naturalWidth))).toEqual([64, 64]);
    expect(await page.locator("body").innerText()).not.toMatch(/fox-style|snow-light/);
    const [a, b] = [await images.nth(0).boundingBox(), await images.nth(1).boundingBox()];
    expect(b!.y).toBe(a!.y);
    expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.width);
    await saveScreenshot(page, "images-08-ab-trial-1440");

    await page.setViewportSize(PHONE);
    // both boxes read in each poll: the one above is measured after the phone-sized layout too
    const stacked = async () => {
      const [above, below] = [(await images.nth(0).boundingBox())!, (await images.nth(1).boundingBox())!];
      return below.y >= above.y + above.height;
    };
    await expect.poll(stacked).toBe(true);
    await saveScreenshot(page, "images-08-ab-trial-390");
    await page.setViewportSize(DESKTOP);

    for (const [index, key] of ["a", "b"].entries()) {
      await expect.poll(() => page.getByTestId("ab-trial").getAttribute("data-trial-index")).toBe(String(index));
      await page.keyboard.press(key);
      await expect.poll(() => page.getByTestId("ab-test-progress").textContent()).toBe(`${index + 1} of 2 trials judged`);
    }
    await expect.poll(() => page.getByTestId("ab-judged-hint").isVisible()).toBe(true);
    await page.getByTestId("complete-ab-test").click();
    await expect.poll(() => page.getByTestId("ab-tally").textContent()).toMatch(/^\d wins? · \d loss(es)? · 0 ties$/);
    await screenshots("09-ab-result");
  });
});
