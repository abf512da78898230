import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { storedJob, uploadVersion } from "../../server/test/evaluation-suite";
import { connectedSidecar, createJob, eventually } from "../../server/test/generation-fixtures";
import type { TestApp } from "../../server/test/harness";
import { chromiumPath, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";

/*
 * Issue 11, items 4 to 6, in Chromium against the real server and its embedded sidecar: a blind A/B test whose jobs
 * stay out of sight until it is completed from its page, ratings kept one per rater and shown back after a reload,
 * and the Compare tab saying which jobs its figures came from.
 */

const LIVE = { timeout: 120_000, interval: 250 };
const BLIND_PROMPT = "a blind hornpipe in G";
const RATED_PROMPT = "a rated reel in A minor";

describe.skipIf(!chromiumPath)("evaluation rules in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;

  const screenshot = (name: string) => saveScreenshot(page, `evaluation-rules-${name}`);

  async function jobsPageText(): Promise<string> {
    await page.goto("/jobs");
    await expect.poll(() => page.getByTestId("job-summary").isVisible()).toBe(true);
    return page.locator("body").innerText();
  }

  async function done(jobId: string): Promise<void> {
    await eventually("the job to be done", async () => (await app.deps.db.prisma.generationJob.findUniqueOrThrow({ where: { id: jobId } })).status === "DONE", LIVE.timeout);
  }

  beforeAll(async () => {
    studio = await openStudio({ SIDECAR: "embedded" });
    app = studio.app;
    page = studio.page;
    await connectedSidecar(app);
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("4: an open A/B test's jobs stay hidden, its sides look alike, and a fully judged test is completed from its page", async () => {
    const [first, second] = [await uploadVersion(app, "blind", "1", 11), await uploadVersion(app, "blind", "2", 12)];
    const { data } = await app.gql(
      `mutation ($input: CreateAbTestInput!) { createAbTest(input: $input) { __typename ... on CreateAbTestSuccess { test { id } } } }`,
      { input: { name: "blind 1 vs 2", adapterAId: first, adapterBId: second, prompts: [BLIND_PROMPT], trialsPerPrompt: 2, seed: 3, durationSeconds: 2 } },
    );
    const testId: string = data.createAbTest.test.id;
    await eventually("the A/B test to be ready", async () => (await app.gql(`query ($id: ID!) { abTest(id: $id) { status } }`, { id: testId })).data.abTest.status === "READY", LIVE.timeout);

    expect(await jobsPageText()).not.toContain(BLIND_PROMPT);
    expect((await app.gql(`{ dashboard { stats { generationsToday } } }`)).data.dashboard.stats.generationsToday).toBe(0);

    await page.goto(`/ab-tests/${testId}`);
    for (let judged = 0; judged < 2; judged += 1) {
      await expect.poll(() => page.getByTestId("ab-trial").getAttribute("data-trial-index"), LIVE).toBe(String(judged));
      const durations = await page.getByTestId("ab-player").locator(".side-header .muted").allInnerTexts();
      expect(durations).toHaveLength(2);
      expect(durations[0], "both sides show the same duration").toBe(durations[1]);
      if (judged === 0) await screenshot("01-trial");
      await page.getByRole("button", { name: /A is better/ }).click();
      await expect.poll(() => page.getByTestId("ab-test-progress").textContent()).toBe(`${judged + 1} of 2 trials judged`);
    }

    await expect.poll(() => page.getByTestId("ab-judged-hint").isVisible()).toBe(true);
    expect(await page.getByTestId("ab-verdict").textContent()).toMatch(/^No significant difference yet \(A won [0-2] of [1-2] decisive trials/);
    await screenshot("02-all-judged");
    await page.getByTestId("complete-ab-test").click();
    await expect.poll(() => page.getByTestId("ab-verdict").textContent()).toMatch(/^No significant difference \(A won/);
    expect(await page.getByTestId("complete-ab-test").count()).toBe(0);
    await screenshot("03-completed");

    await expect.poll(() => jobsPageText()).toContain(BLIND_PROMPT);
  });

  test("5: one rating per sample and rater, changed by rating again and shown back after a reload", async () => {
    const adapter = await uploadVersion(app, "rated", "1", 21);
    const jobId = await createJob(app, { prompt: RATED_PROMPT, baseModelId: "tunes-s", adapters: [{ adapterId: adapter, weight: 1 }], durationSeconds: 1, seed: 5 });
    await done(jobId);

    const openSample = async (): Promise<Locator> => {
      await page.goto("/jobs");
      const row = page.locator("tbody tr", { hasText: RATED_PROMPT }).first();
      await expect.poll(() => row.isVisible()).toBe(true);
      await row.locator(".n-data-table-expand-trigger").click();
      const card = page.getByTestId("generation-job-detail").getByTestId("sample-card").first();
      await expect.poll(() => card.isVisible()).toBe(true);
      return card;
    };
    const stars = (card: Locator) => card.locator(".n-rate__item");
    const summary = (card: Locator) => card.getByTestId("sample-rating-summary").textContent();
    const litStars = (card: Locator) => card.locator(".n-rate__item--active").count();

    let card = await openSample();
    await stars(card).nth(3).click();
    await expect.poll(() => summary(card)).toBe("4 · 1 rating");
    await stars(card).nth(4).click();
    await expect.poll(() => summary(card)).toBe("5 · 1 rating");
    await expect.poll(async () => (await app.gql(`query ($id: ID!) { adapter(id: $id) { ratingCount averageRating } }`, { id: adapter })).data.adapter).toEqual({
      ratingCount: 1,
      averageRating: 5,
    });

    await page.reload();
    card = await openSample();
    await expect.poll(() => litStars(card)).toBe(5);
    expect(await summary(card)).toBe("5 · 1 rating");
    await screenshot("04-rating-shown-back");
  });

  test("6: the Compare tab credits each version only with its single-adapter jobs and says which jobs they were", async () => {
    const [first, second] = [await uploadVersion(app, "duo", "1", 31), await uploadVersion(app, "duo", "2", 32)];
    await storedJob(app, [first], [5, 4], 0.8);
    await storedJob(app, [first, second], [1, 1, 1, 1, 1], 0.1);

    await page.goto(`/adapters/${second}?tab=compare`);
    const version1 = page.getByTestId("compare-1");
    await expect.poll(() => version1.isVisible()).toBe(true);
    if ((await version1.getAttribute("aria-checked")) !== "true") await version1.click();
    const evidence = page.getByTestId("comparison-evidence");
    await expect.poll(() => evidence.isVisible()).toBe(true);
    expect(await evidence.locator(`[data-adapter-id="${first}"]`).innerText()).toBe("1 single-adapter job; 1 multi-adapter job left out (reported as combinations)");
    expect(await evidence.locator(`[data-adapter-id="${second}"]`).innerText()).toBe("no single-adapter job yet; 1 multi-adapter job left out (reported as combinations)");
    const ratings = page.locator("tr", { has: page.getByRole("rowheader", { name: "Average rating" }) });
    expect(await ratings.locator("td").nth(0).innerText()).toBe("4.5");
    expect(await ratings.locator("td").nth(1).innerText()).toBe("—");
    await screenshot("05-compare-evidence");
  });
});
