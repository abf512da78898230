import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestApp } from "../../server/test/harness";
import { uploadAdapter, type AddedAdapter } from "../src/api/uploadAdapter";
import { CURRENT_MODEL_STORAGE_KEY } from "../src/composables/useCurrentModel";
import type { UploadAdapterInput } from "../src/gql/graphql";
import { adminFetch, chromiumPath, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";
import { kohyaAdapterFile, peftAdapterFiles } from "./fixtures";

const CURRENT_MODEL = "tinyllama-1.1b";

describe.skipIf(!chromiumPath)("adapters dashboard in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let context: BrowserContext;
  let page: Page;
  const seeded: Record<string, AddedAdapter> = {};

  async function seed(key: string, input: UploadAdapterInput, files: File[]): Promise<void> {
    const outcome = await uploadAdapter(input, files, adminFetch(app));
    if (!outcome.adapter) throw new Error(`seeding ${input.name} failed: ${outcome.failure.message}`);
    seeded[key] = outcome.adapter;
  }

  async function adapterState(id: string) {
    const { data } = await app.gql<{ adapter: { name: string; active: boolean; deletedAt: string | null } }>(
      "query ($id: ID!) { adapter(id: $id) { name active deletedAt } }",
      { id },
    );
    return data!.adapter;
  }

  const screenshot = (name: string) => saveScreenshot(page, name);

  const row = (text: string) => page.locator("tbody tr", { hasText: text });

  beforeAll(async () => {
    studio = await openStudio();
    app = studio.app;
    page = studio.page;
    await seed("jazz", { name: "jazz-solo", version: "1.0", tags: ["jazz", "solo"] }, peftAdapterFiles(1));
    await seed("jazzNext", { name: "jazz-solo", version: "1.1", tags: ["jazz"] }, peftAdapterFiles(2));
    await seed("piano", { name: "piano-mood", version: "1.0", active: false, tags: ["piano"] }, kohyaAdapterFile(3));
    await seed("rename", { name: "rename-me", version: "1.0" }, peftAdapterFiles(4));
    await seed("toggle", { name: "toggle-me", version: "1.0" }, peftAdapterFiles(5));
    await seed("remove", { name: "delete-me", version: "1.0" }, peftAdapterFiles(6));

    context = studio.browser.context;
    await context.addInitScript(
      ([key, model]) => window.localStorage.getItem(key!) ?? window.localStorage.setItem(key!, model!),
      [CURRENT_MODEL_STORAGE_KEY, CURRENT_MODEL],
    );
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("lists the seeded adapters with their compatibility with the current model", async () => {
    await page.goto("/adapters");
    await expect.poll(() => row("piano-mood").count()).toBe(1);
    await expect.poll(() => page.getByTestId("adapter-summary").textContent()).toBe("6 adapters");
    expect(await row("jazz-solo").first().getByText("Compatible", { exact: true }).isVisible()).toBe(true);
    expect(await row("piano-mood").getByText("Incompatible").isVisible()).toBe(true);
    await screenshot("01-adapters");
  });

  test("'Active only' hides the inactive adapter and survives a reload", async () => {
    await page.getByRole("checkbox", { name: "Active only" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("active")).toBe("1");
    await expect.poll(() => row("piano-mood").count()).toBe(0);
    expect(await row("jazz-solo").count()).toBe(2);
    await screenshot("02-active-only");

    await page.reload();
    await expect.poll(() => row("jazz-solo").count()).toBe(2);
    expect(await row("piano-mood").count()).toBe(0);
    expect(await page.getByRole("checkbox", { name: "Active only" }).getAttribute("aria-checked")).toBe("true");
    await screenshot("03-active-only-after-reload");
  });

  test("renames through the dialog", async () => {
    await page.getByRole("button", { name: "Rename rename-me 1.0" }).click();
    const dialog = page.getByRole("dialog");
    const nameInput = dialog.getByPlaceholder("Adapter name");
    expect(await nameInput.inputValue()).toBe("rename-me");

    await nameInput.fill("   ");
    await expect.poll(() => dialog.getByText("Enter a name.").isVisible()).toBe(true);
    expect(await dialog.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await nameInput.fill("x".repeat(101));
    await expect.poll(() => dialog.getByText("Names are at most 100 characters; this one has 101.").isVisible()).toBe(true);
    await screenshot("04-rename-dialog-invalid");

    await nameInput.fill("  renamed-in-dialog  ");
    await screenshot("05-rename-dialog");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => row("renamed-in-dialog").count()).toBe(1);
    expect(await row("rename-me").count()).toBe(0);
    expect((await adapterState(seeded.rename!.id)).name).toBe("renamed-in-dialog");
    await screenshot("06-renamed");
  });

  test("inline rename on the detail page is cancelled with Escape", async () => {
    await page.locator(`a[href="/adapters/${seeded.jazzNext!.id}"]`).click();
    await page.waitForURL(`**/adapters/${seeded.jazzNext!.id}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("jazz-solo");
    await screenshot("07-detail");

    await page.getByRole("button", { name: "Rename", exact: true }).click();
    const nameInput = page.getByRole("textbox", { name: "Adapter name" });
    await nameInput.fill("");
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "Enter a name." }).isVisible()).toBe(true);
    await nameInput.fill("never-saved");
    await screenshot("08-inline-rename");
    await nameInput.press("Escape");

    await expect.poll(() => nameInput.count()).toBe(0);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("jazz-solo");
    expect((await adapterState(seeded.jazzNext!.id)).name).toBe("jazz-solo");
    await screenshot("09-inline-rename-cancelled");
  });

  test("shows the configuration and files of a kohya adapter", async () => {
    await page.goto(`/adapters/${seeded.piano!.id}?tab=configuration`);
    await expect.poll(() => page.getByText("AdamW8bit").isVisible()).toBe(true);
    expect(await page.getByText("1e-4").first().isVisible()).toBe(true);
    await screenshot("10-configuration");
    await page.locator(".n-tabs-tab", { hasText: "Files" }).click();
    await expect.poll(() => page.getByText("weight × alpha / r").isVisible()).toBe(true);
    await screenshot("11-files");
  });

  test("deactivates an adapter with its switch", async () => {
    await page.goto("/adapters");
    const toggle = page.getByRole("switch", { name: "Active: toggle-me" });
    await expect.poll(() => toggle.getAttribute("aria-checked")).toBe("true");
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-checked"), { timeout: 500 }).toBe("false");
    await expect.poll(async () => (await adapterState(seeded.toggle!.id)).active).toBe(false);
    await screenshot("12-deactivated");

    await page.getByRole("checkbox", { name: "Active only" }).click();
    await expect.poll(() => row("toggle-me").count()).toBe(0);
    await screenshot("13-deactivated-hidden-by-active-only");
  });

  test("deletes an adapter after confirmation", async () => {
    await page.getByRole("button", { name: "Delete delete-me 1.0" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByText("Delete delete-me 1.0?").isVisible()).toBe(true);
    await screenshot("14-delete-confirmation");
    await dialog.getByRole("button", { name: "Delete" }).click();

    await expect.poll(() => page.getByText("Deleted delete-me 1.0").isVisible()).toBe(true);
    await expect.poll(() => row("delete-me").count()).toBe(0);
    expect((await adapterState(seeded.remove!.id)).deletedAt).not.toBeNull();
    await screenshot("15-deleted");
  });
});
