import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { API_KEY_STORAGE_KEY } from "../api/credentials";
import { createSession } from "./useSession";

/*
 * The session against a stand-in for the API's HTTP answers to `viewer`: which keys it takes, which it has revoked.
 */

const KEYS: Record<string, { name: string; scopes: string[] } | "revoked"> = {
  lsk_reader: { name: "reader", scopes: ["READ"] },
  lsk_gpu: { name: "gpu-box", scopes: ["SIDECAR"] },
  lsk_old: "revoked",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function viewerAnswer(init?: RequestInit): Response {
  const key = new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "") ?? null;
  if (key === null) return json({ data: { viewer: { __typename: "Viewer", authMode: "KEYS", authenticated: false, name: null, keyId: null, scopes: [] } } });
  const known = KEYS[key];
  if (!known || known === "revoked") {
    const message = known ? "the API key was revoked" : "the API key is not valid";
    return json({ errors: [{ message, extensions: { code: "UNAUTHENTICATED" } }] }, 401);
  }
  return json({ data: { viewer: { __typename: "Viewer", authMode: "KEYS", authenticated: true, name: known.name, keyId: known.name, scopes: known.scopes } } });
}

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

beforeEach(() => {
  vi.stubGlobal("fetch", vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => viewerAnswer(init)));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("signing in", () => {
  test("keeps a key the API takes, and asks no more for one", async () => {
    const storage = memoryStorage();
    const session = createSession(storage);
    expect(await session.ensureViewer()).toMatchObject({ authenticated: false });
    expect(session.signInNeeded.value).toBe(true);

    expect(await session.signIn("  lsk_reader ")).toBeNull();
    expect(storage.getItem(API_KEY_STORAGE_KEY)).toBe("lsk_reader");
    expect(session.viewer.value).toMatchObject({ name: "reader", scopes: ["READ"] });
    expect(session.signInNeeded.value).toBe(false);
  });

  test("stores nothing for a key the API refuses, and says why", async () => {
    const storage = memoryStorage();
    const session = createSession(storage);
    expect(await session.signIn("lsk_guess")).toBe("The API key is not valid.");
    expect(await session.signIn("lsk_gpu")).toContain('The key "gpu-box" cannot read the studio');
    expect(storage.getItem(API_KEY_STORAGE_KEY)).toBeNull();
  });
});

test("a stored key the API has revoked is forgotten, and the sign-in page says why", async () => {
  const storage = memoryStorage({ [API_KEY_STORAGE_KEY]: "lsk_old" });
  const session = createSession(storage);
  expect(await session.ensureViewer()).toMatchObject({ authenticated: false });
  expect(storage.getItem(API_KEY_STORAGE_KEY)).toBeNull();
  expect(session.signInNeeded.value).toBe(true);
  expect(session.signInReason.value).toBe("The API key was revoked. Sign in again with a valid key.");
});

test("a key revoked while in use signs out at the first refused request, saying why", async () => {
  const storage = memoryStorage({ [API_KEY_STORAGE_KEY]: "lsk_reader" });
  const session = createSession(storage);
  expect(await session.ensureViewer()).toMatchObject({ name: "reader" });
  KEYS.lsk_reader = "revoked";
  try {
    expect((await session.fetch("/graphql")).status).toBe(401);
    await expect.poll(() => session.signInNeeded.value).toBe(true);
    expect(storage.getItem(API_KEY_STORAGE_KEY)).toBeNull();
    expect(session.signInReason.value).toBe("The API key was revoked. Sign in again with a valid key.");
  } finally {
    KEYS.lsk_reader = { name: "reader", scopes: ["READ"] };
  }
});

test("signing out forgets the key and asks for one again", async () => {
  const storage = memoryStorage({ [API_KEY_STORAGE_KEY]: "lsk_reader" });
  const session = createSession(storage);
  expect(await session.ensureViewer()).toMatchObject({ name: "reader" });
  session.signOut();
  expect(storage.getItem(API_KEY_STORAGE_KEY)).toBeNull();
  await expect.poll(() => session.signInNeeded.value).toBe(true);
  expect(session.signInReason.value).toBeNull();
});
