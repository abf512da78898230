import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestApp } from "../../server/test/harness";
import { TEST_ADMIN_KEY } from "../../server/test/test-key";
import { chromiumPath, openStudio, screenshot, settled, type Studio } from "./browser";

/*
 * Issue 11, item 1: GraphiQL at /graphql with every request beyond this server refused, as on an air-gapped machine:
 * it opens with its title and the explorer, the signed-in key already in its headers, and runs a query and a
 * subscription (over the WebSocket).
 */

const LIVE = { timeout: 60_000, interval: 250 };

describe.skipIf(!chromiumPath)("GraphiQL without the internet, in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  const problems: string[] = [];
  const refusedRequests: string[] = [];

  beforeAll(async () => {
    studio = await openStudio();
    app = studio.app;
    page = studio.page;
    const own = new URL(app.url).host;
    await studio.browser.context.route(
      (url) => url.host !== own && url.protocol !== "data:" && url.protocol !== "blob:",
      (route) => {
        refusedRequests.push(route.request().url());
        return route.abort("internetdisconnected");
      },
    );
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("pageerror", (error) => problems.push(error.message));
  });

  afterAll(async () => {
    await studio?.close();
  });

  async function openGraphiQL(query: string): Promise<void> {
    await page.goto(`/graphql?query=${encodeURIComponent(query)}`);
    await expect.poll(() => page.locator(".graphiql-container").first().isVisible(), LIVE).toBe(true);
    await expect.poll(() => editorText(".graphiql-query-editor")).toContain(query.split(" ")[0]!);
  }

  /** an editor's text, with the no-break spaces Monaco draws turned back into spaces */
  const editorText = async (selector: string) => (await page.locator(selector).first().innerText()).replace(/\u00a0/g, " ");
  const response = () => editorText(".graphiql-response");

  async function execute(): Promise<void> {
    await page.locator(".graphiql-execute-button").click();
  }

  test("opens with its title, the explorer and the signed-in key, and runs a query", async () => {
    await openGraphiQL("{ viewer { name authenticated scopes } }");
    expect(await page.title()).toBe("LoRA Studio GraphQL");
    expect(await page.locator(".graphiql-logo").innerText()).toContain("LoRA Studio GraphQL");

    await page.getByRole("button", { name: /^Headers$/ }).click();
    await expect.poll(() => editorText(".graphiql-editor-tool")).toContain(`Bearer ${TEST_ADMIN_KEY}`);

    await execute();
    await expect.poll(response, LIVE).toContain('"authenticated": true');
    expect(await response()).toContain('"ADMIN"');

    await page.getByRole("button", { name: "Show GraphiQL Explorer" }).click();
    await expect.poll(() => editorText(".graphiql-plugin")).toContain("viewer");
    await settled(page).catch(() => undefined);
    await screenshot(page, "graphiql-query");
    expect(problems).toEqual([]);
    expect(refusedRequests).toEqual([]);
  });

  test("runs a subscription over the WebSocket, its events shown as they come", async () => {
    await openGraphiQL("subscription { activity { type subjectType message } }");
    await execute();
    await expect.poll(() => page.locator(".graphiql-execute-button[aria-label*='Stop'], .graphiql-execute-button").first().isVisible()).toBe(true);
    const created = await app.gql(`mutation { createExperiment(input: { name: "seen-in-graphiql", baseModelId: "tunes-s" }) { __typename } }`);
    expect(created.data.createExperiment.__typename).toBe("CreateExperimentSuccess");
    await expect.poll(response, LIVE).toContain('"subjectType": "Experiment"');
    await screenshot(page, "graphiql-subscription");
    expect(problems).toEqual([]);
    expect(refusedRequests).toEqual([]);
  });
});
