import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { kohyaAdapter, upload } from "./fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

describe("protocol limits and error masking", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { MAX_UPLOAD_MB: "0.001" } });
  });
  afterAll(async () => app?.close());

  it("refuses an upload over MAX_UPLOAD_MB and stores nothing", async () => {
    const { status, body } = await upload(app.url, [{ name: "big.safetensors", data: kohyaAdapter({ rank: 64 }) }], { name: "big", version: "1" });
    expect(status).toBe(413);
    expect(body.errors[0]).toMatchObject({ message: expect.stringContaining("File size limit exceeded"), extensions: { code: "REQUEST_ENTITY_TOO_LARGE" } });
    expect(await app.deps.db.prisma.adapter.count()).toBe(0);
  });

  it("refuses an oversize JSON body with 413", async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { ...app.headers, "content-type": "application/json" },
      body: JSON.stringify({ query: "{ version }", variables: { pad: "x".repeat(2 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });

  it("limits query depth and aliases", async () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: version`).join(" ");
    const tooManyAliases = await app.gql(`{ ${aliases} }`);
    expect(tooManyAliases.errors?.[0]?.message).toMatch(/alias/i);
    const deep = await app.gql(`{ adapters { edges { node { baseModel { adapterCount aliases capabilities { resolution } } } } } }`);
    expect(deep.errors).toBeUndefined();
    const nested = `{ __schema { types { fields { type ${"{ ofType ".repeat(20)}{ name }${" }".repeat(20)} } } } }`;
    expect((await app.gql(nested)).errors?.[0]?.message).toMatch(/depth/i);
    expect((await app.gql(getIntrospectionQuery())).errors).toBeUndefined();
  });

  it("applies the same limits over WebSocket", async () => {
    const client = app.wsClient();
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: version`).join(" ");
    const errors = await new Promise<readonly { message: string }[]>((resolve) => {
      client.subscribe({ query: `{ ${aliases} }` }, {
        next: (result) => resolve(result.errors ?? []),
        error: (error) => resolve(Array.isArray(error) ? error : [error as { message: string }]),
        complete: () => resolve([]),
      });
    });
    await client.dispose();
    expect(errors[0]?.message).toMatch(/alias/i);
  });

  it("masks unexpected errors and never leaks a stack trace", async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { ...app.headers, "content-type": "application/json" },
      body: JSON.stringify({ query: "mutation($id: ID!) { deleteAdapter(id: $id) { __typename } }", variables: { id: "x".repeat(10_000) } }),
    });
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(text).not.toContain("stack");
  });

  it("serves GraphiQL on /graphql to a browser", async () => {
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("LoRA Studio GraphQL");
  });
});

describe("large uploads", () => {
  it("accepts a 40 MB LoRA, over the 25 MB default body limit of yoga, under MAX_UPLOAD_MB", async () => {
    const app = await startTestApp();
    try {
      const file = kohyaAdapter({ rank: 64, width: 40 * 1024 * 1024 / 4 / 64 / 2 - 128 });
      expect(file.length).toBeGreaterThan(39 * 1024 * 1024);
      const { body } = await upload(app.url, [{ name: "large.safetensors", data: file }], { name: "large", version: "1" });
      expect(body.data.uploadAdapter).toMatchObject({ __typename: "UploadAdapterSuccess", adapter: { rank: 64, sizeBytes: file.length } });
    } finally {
      await app.close();
    }
  });
});

describe("configuration", () => {
  it("names every bad variable on its own line", () => {
    expect(() => loadConfig({ PORT: "abc", MAX_UPLOAD_MB: "-1", IMPORT_ROOTS: "relative/dir", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" }))
      .toThrowError(/PORT[\s\S]*\n[\s\S]*MAX_UPLOAD_MB|MAX_UPLOAD_MB[\s\S]*\n[\s\S]*PORT/);
    try {
      loadConfig({ PORT: "abc", MAX_UPLOAD_MB: "-1", IMPORT_ROOTS: "relative/dir", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" });
    } catch (error) {
      const lines = (error as Error).message.split("\n").slice(1);
      expect(lines.map((l) => l.trim().split(":")[0]).sort()).toEqual(["DATABASE_URL", "IMPORT_ROOTS", "LOG_LEVEL", "MAX_UPLOAD_MB", "PORT"]);
    }
  });

  it("defaults to PGlite under ./data with imports below it", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, databaseUrl: undefined, maxUploadBytes: 500 * 1024 * 1024 });
    expect(config.pgliteDir.endsWith("/data/db")).toBe(true);
    expect(config.importRoots[0]!.endsWith("/data/imports")).toBe(true);
  });
});
