import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestApp } from "../../server/test/harness";
import { TEST_ADMIN_KEY } from "../../server/test/test-key";
import { uploadAdapter } from "../src/api/uploadAdapter";
import { adminFetch, chromiumPath, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";
import { peftAdapterFiles } from "./fixtures";

/*
 * Signing in with API keys against the real server with AUTH=keys: the admin key signs in, creates a read key in
 * Settings, the read key sees no controls for changes, and revoking it elsewhere sends the page back to sign-in.
 */

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const ADMIN_KEY_NAME = "admin (ADMIN_API_KEY)";
/** the socket of a revoked key closes within 5 s; the page then asks the API and goes to sign-in */
const REVOCATION = { timeout: 15_000, interval: 250 };

describe.skipIf(!chromiumPath)("sign-in and API keys in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  let readKey = "";

  const path = () => new URL(page.url()).pathname;
  const keyInput = () => page.getByRole("textbox", { name: "API key" });
  const button = (name: string) => page.getByRole("button", { name, exact: true });

  /** The sidebar (when the page has one) once it has folded to icons on a phone, or opened again on a desktop. */
  async function sidebarSettled(folded: boolean): Promise<void> {
    await page.waitForFunction((folded) => {
      const sider = document.querySelector(".n-layout-sider");
      return !sider || sider.getBoundingClientRect().width <= 64 === folded;
    }, folded);
  }

  /** The same page at desktop and phone size. */
  async function screenshots(name: string): Promise<void> {
    await saveScreenshot(page, `auth-${name}-desktop`);
    await page.setViewportSize(PHONE);
    await sidebarSettled(true);
    await saveScreenshot(page, `auth-${name}-phone`);
    await page.setViewportSize(DESKTOP);
    await sidebarSettled(false);
  }

  async function signIn(key: string): Promise<void> {
    await keyInput().fill(key);
    await button("Sign in").click();
  }

  beforeAll(async () => {
    studio = await openStudio({}, { signedIn: false });
    app = studio.app;
    page = studio.page;
    const outcome = await uploadAdapter({ name: "jazz-solo", version: "1.0" }, peftAdapterFiles(1), adminFetch(app));
    if (!outcome.adapter) throw new Error(`seeding failed: ${outcome.failure.message}`);
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("asks for a key before showing anything, and keeps a wrong one out", async () => {
    await page.goto("/adapters");
    await expect.poll(path).toBe("/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/adapters");
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);
    await screenshots("01-sign-in");

    await signIn("lsk_not-a-key-of-this-studio-0123456789abcdef");
    await expect.poll(() => page.getByText("The API key is not valid.").isVisible()).toBe(true);
    expect(path()).toBe("/sign-in");
    expect(await page.evaluate(() => Object.keys(window.localStorage).filter((key) => key.includes("api-key")))).toEqual([]);
    await screenshots("02-wrong-key");
  });

  test("signs in with the admin key and returns to the page that asked", async () => {
    await signIn(TEST_ADMIN_KEY);
    await expect.poll(path).toBe("/adapters");
    await expect.poll(() => page.locator("tbody tr", { hasText: "jazz-solo" }).count()).toBe(1);
    expect(await page.getByTestId("account-name").textContent()).toBe(ADMIN_KEY_NAME);
    expect(await button("Upload").isVisible()).toBe(true);
  });

  test("creates a read key in Settings and shows its secret once", async () => {
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("link", { name: "Manage API keys" }).click();
    await expect.poll(path).toBe("/settings/api-keys");
    await button("New API key").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Key name" }).fill("listener");
    expect(await dialog.getByRole("checkbox", { name: /^Read/ }).getAttribute("aria-checked")).toBe("true");
    await dialog.getByRole("button", { name: "Create key" }).click();

    const secret = page.getByTestId("api-key-secret").locator("code");
    await expect.poll(() => secret.count()).toBe(1);
    readKey = (await secret.textContent())!;
    expect(readKey).toMatch(/^lsk_\S{40,}$/);
    await screenshots("03-secret-shown-once");
    await button("I have copied it").click();

    const row = page.getByTestId("api-key-table").locator("tbody tr", { hasText: "listener" });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain("read");
    expect(await row.textContent()).toContain("Active");
    expect(await row.textContent()).toContain(`${readKey.slice(0, 10)}…`);
    await expect.poll(() => page.getByText(readKey).count()).toBe(0);
    await screenshots("04-api-keys");
  });

  test("a read key signs in and sees no controls for changes", async () => {
    await button("Sign out").click();
    await expect.poll(path).toBe("/sign-in");
    expect(await page.getByTestId("sign-in-reason").count()).toBe(0);
    await signIn(readKey);

    // sign-in returns to the API keys page, which the read key may not open
    await expect.poll(() => page.getByTestId("scope-notice").isVisible()).toBe(true);
    expect(await page.getByTestId("account-name").textContent()).toBe("listener");
    expect(await page.getByTestId("read-only-tag").isVisible()).toBe(true);

    await page.getByRole("link", { name: "Adapters" }).click();
    await expect.poll(() => page.locator("tbody tr", { hasText: "jazz-solo" }).count()).toBe(1);
    expect(await button("Upload").count()).toBe(0);
    expect(await button("Register by path").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete jazz-solo 1.0" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Rename jazz-solo 1.0" }).count()).toBe(0);
    expect(await page.getByRole("switch", { name: "Active: jazz-solo" }).getAttribute("class")).toContain("n-switch--disabled");
    await saveScreenshot(page, "auth-05-read-only-adapters");

    await page.getByRole("link", { name: "Experiments" }).click();
    await expect.poll(() => page.getByTestId("experiment-summary").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "New experiment" }).count()).toBe(0);
    await page.getByRole("link", { name: "Datasets" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Datasets" }).isVisible()).toBe(true);
    expect(await button("Import").count()).toBe(0);

    await page.getByRole("link", { name: "Settings" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Settings" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Manage API keys" }).count()).toBe(0);
  });

  test("the activity feed says who made each change", async () => {
    await page.getByRole("link", { name: "Dashboard" }).click();
    const created = page.getByTestId("activity-feed").locator("li.event", { hasText: 'API key "listener" created' });
    await expect.poll(() => created.count()).toBe(1);
    expect(await created.getByTestId("activity-actor").textContent()).toBe(`by ${ADMIN_KEY_NAME}`);
  });

  test("revoking the key elsewhere sends the page back to sign-in, saying why", async () => {
    // the adapter list sends no request of its own when a key is revoked: only its socket can tell
    await page.getByRole("link", { name: "Adapters" }).click();
    await expect.poll(() => page.locator("tbody tr", { hasText: "jazz-solo" }).count()).toBe(1);
    const { data } = await app.gql<{ apiKeys: { id: string; name: string }[] }>("{ apiKeys { id name } }");
    const listener = data!.apiKeys.find((key) => key.name === "listener")!;
    const revoked = await app.gql(`mutation { revokeApiKey(id: "${listener.id}") { __typename } }`);
    expect(revoked.data).toEqual({ revokeApiKey: { __typename: "RevokeApiKeySuccess" } });

    // the page's activity subscription is closed 4403; the dashboard asks over HTTP, is refused (401) and signs out
    await expect.poll(path, REVOCATION).toBe("/sign-in");
    await expect.poll(() => page.getByTestId("sign-in-reason").textContent()).toContain("The API key was revoked.");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/adapters");
    await screenshots("06-revoked");
  });
});
