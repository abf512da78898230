import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestApp } from "../../server/test/harness";
import { chromiumPath, openStudio, screenshot, type Studio } from "./browser";

/*
 * Issue 11, item 15: the dashboard's normalised cache. A mutation's answer updates what the page shows in place (the
 * Config tab needs no workaround of its own); a refresh after a server event leaves an open dialog and what was typed
 * in it alone.
 */

/** The GraphQL operation a request carries: urql sends queries as GET (within the URL limit), the rest as POST. */
function operationName(request: Request): string | null {
  const url = new URL(request.url());
  if (url.pathname !== "/graphql") return null;
  if (request.method() === "GET") return url.searchParams.get("operationName");
  try {
    return (JSON.parse(request.postData() ?? "{}") as { operationName?: string }).operationName ?? null;
  } catch {
    return null;
  }
}

describe.skipIf(!chromiumPath)("the normalised cache in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  let experimentId: string;
  const operations: string[] = [];

  beforeAll(async () => {
    studio = await openStudio();
    app = studio.app;
    page = studio.page;
    page.on("request", (request) => {
      const name = operationName(request);
      if (name) operations.push(name);
    });
    const dataset = await app.gql(`mutation { generateDataset(input: { name: "reels", style: "major-waltz", count: 8, seed: 3 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
    const experiment = await app.gql(
      `mutation ($datasetId: ID!) { createExperiment(input: { name: "cached-waltz", baseModelId: "tunes-s", datasetId: $datasetId }) { ... on CreateExperimentSuccess { experiment { id } } } }`,
      { datasetId: dataset.data.generateDataset.dataset.id },
    );
    experimentId = experiment.data.createExperiment.experiment.id;
  });

  afterAll(async () => {
    await studio?.close();
  });

  const tab = (name: string) => page.locator(".n-tabs-tab", { hasText: name });
  const configInput = (key: string) => page.locator(`[data-config-key="${key}"]`).last().locator("input");

  test("a saved configuration shows at once, from the mutation's answer, and stays through the refresh that follows", async () => {
    await page.goto(`/experiments/${experimentId}?tab=config`);
    await expect.poll(() => configInput("learningRate").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Edit" }).click();
    await configInput("learningRate").fill("0.0042");
    await configInput("learningRate").blur();
    operations.length = 0;
    await page.getByRole("button", { name: "Save Changes" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Edit" }).isVisible()).toBe(true);
    expect(await configInput("learningRate").inputValue()).toBe("0.0042");
    await tab("Overview").click();
    await tab("Config").click();
    await expect.poll(() => configInput("learningRate").inputValue()).toBe("0.0042");
    expect(operations).toContain("UpdateExperiment");
    // the page's own refresh on the experiment's event answers the same, and changes nothing shown
    await expect.poll(() => operations.includes("ExperimentDetail")).toBe(true);
    await expect.poll(() => configInput("learningRate").inputValue()).toBe("0.0042");
  });

  test("a refresh after a server event keeps an open dialog and what was typed in it", async () => {
    await page.goto(`/experiments/${experimentId}?tab=runs`);
    await page.getByRole("button", { name: "Start Run" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByText("Start a run").isVisible()).toBe(true);
    await dialog.getByLabel("Run name").fill("kept-while-refreshed");

    const refreshed = page.waitForRequest((request) => operationName(request) === "ExperimentDetail");
    const renamed = await app.gql(`mutation ($id: ID!) { updateExperiment(id: $id, input: { description: "changed in another tab" }) { __typename } }`, {
      id: experimentId,
    });
    expect(renamed.data.updateExperiment.__typename).toBe("UpdateExperimentSuccess");
    await refreshed;
    await expect.poll(() => tab("Overview").isVisible()).toBe(true);

    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.getByLabel("Run name").inputValue()).toBe("kept-while-refreshed");
    await screenshot(page, "cache-dialog-kept");
    await page.keyboard.press("Escape");
  });
});
