import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { build } from "vite";
import { startTestApp, type TestApp } from "../../server/test/harness";
import { TEST_ADMIN_KEY } from "../../server/test/test-key";
import { API_KEY_STORAGE_KEY } from "../src/api/credentials";

/*
 * What the browser tests share: the built dashboard, Debian's Chromium driven by playwright-core,
 * and screenshots under test-artifacts/browser/.
 */

const CLIENT_DIR = fileURLToPath(new URL("..", import.meta.url));
const CLIENT_DIST = join(CLIENT_DIR, "dist");
const SCREENSHOTS = fileURLToPath(new URL("../../test-artifacts/browser/", import.meta.url));
const CHROMIUM_CANDIDATES = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export const chromiumPath = CHROMIUM_CANDIDATES.find((path): path is string => Boolean(path) && existsSync(path!));

if (!chromiumPath) {
  console.warn("Skipping the browser tests: no Chromium found (set CHROME_PATH, or install it with apt-get install -y chromium).");
}

/** Builds the dashboard unless a build is there, and makes the screenshot folder. */
async function prepareDashboard(): Promise<void> {
  if (!existsSync(join(CLIENT_DIST, "index.html"))) {
    await build({ root: CLIENT_DIR, configFile: join(CLIENT_DIR, "vite.config.ts"), logLevel: "warn" });
  }
  await mkdir(SCREENSHOTS, { recursive: true });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a throwaway profile, its pages on `baseURL`. */
async function openBrowser(baseURL: string): Promise<BrowserSession> {
  const browserHome = await mkdtemp(join(tmpdir(), "lora-studio-chromium-"));
  // playwright takes the temporary --user-data-dir through a persistent context
  const context = await chromium.launchPersistentContext(join(browserHome, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, HOME: browserHome, XDG_CONFIG_HOME: join(browserHome, ".config") },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
    baseURL,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(browserHome, { recursive: true, force: true });
    },
  };
}

export interface Studio {
  app: TestApp;
  browser: BrowserSession;
  page: Page;
  close(): Promise<void>;
}

/** Signs the dashboard in with the test app's admin key before any of its scripts runs, unless a key is stored already. */
async function signInAsAdmin(context: BrowserContext): Promise<void> {
  await context.addInitScript(
    ([storageKey, apiKey]) => window.localStorage.getItem(storageKey!) ?? window.localStorage.setItem(storageKey!, apiKey!),
    [API_KEY_STORAGE_KEY, TEST_ADMIN_KEY],
  );
}

/**
 * The built dashboard served by a real API (its `env` beside CLIENT_DIST), and Chromium opened on it, signed in
 * with the admin key unless `signedIn` is false.
 */
export async function openStudio(env: Record<string, string> = {}, { signedIn = true }: { signedIn?: boolean } = {}): Promise<Studio> {
  await prepareDashboard();
  const app = await startTestApp({ env: { CLIENT_DIST, ...env } });
  const browser = await openBrowser(app.url).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  if (signedIn) await signInAsAdmin(browser.context);
  return {
    app,
    browser,
    page: browser.page,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

/** Waits until tables have loaded and transitions (dialogs, messages, feedback) have ended. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      !document.querySelector(".n-data-table-loading-wrapper") &&
      document.getAnimations().every((animation) => animation.playState !== "running" || animation.effect?.getTiming().iterations === Infinity),
    null,
    { timeout: 5_000 },
  );
}

/**
 * The entries of the open select menus, once each has finished opening. A menu moves while it opens: it scales up from
 * 90 % and, near the bottom of the window, flips above its select once measured. Playwright takes a menu that has not
 * started its transition yet for a still one, so a click begun then can press on the entry and release beside it, and
 * the browser sends no click to the entry: the choice is silently lost (seen on a busy machine as a chart left on the
 * loss after "Learning rate" was clicked). Closing menus are left out too; a closed menu kept in the page is hidden.
 */
export function menuOptions(page: Page): Locator {
  return page
    .locator(".n-base-select-menu:not([class*=transition-enter]):not([class*=transition-leave]) .n-base-select-option")
    .filter({ visible: true });
}

/** A fetch on the test app that presents its admin key, for the dashboard's own request helpers (uploadAdapter). */
export function adminFetch(app: TestApp): typeof fetch {
  return (path, init) => fetch(new URL(String(path), app.url), { ...init, headers: { ...(init?.headers as Record<string, string>), ...app.headers } });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
