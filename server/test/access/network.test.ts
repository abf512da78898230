import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CSRF_HEADER } from "../../src/contracts/http.js";
import { kohyaAdapter, uploadRequestBody } from "../fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";

/*
 * What a web page on another site, or a DNS-rebinding page, can make the server do: nothing. Requests are made as a
 * browser would send them (Origin, form and multipart bodies, a foreign Host), with a valid key where one would
 * be at hand, so only the network rules stand in the way.
 */

const EVIL = "https://evil.example";
const FRIEND = "https://studio.example.com";
const MUTATION = `mutation { createExperiment(input: { name: "planted", baseModelId: "tunes-s" }) { __typename } }`;

/** An HTTP request with headers fetch would not let us set (Host). */
function rawRequest(url: string, headers: Record<string, string>, method = "GET", body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Whether a WebSocket upgrade with these headers is accepted: the HTTP status of a refusal, or "open". */
function upgrade(url: string, headers: Record<string, string>): Promise<number | "open"> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, "graphql-transport-ws", { headers });
    socket.on("open", () => {
      socket.close();
      resolve("open");
    });
    socket.on("unexpected-response", (_req, res) => resolve(res.statusCode!));
    socket.on("error", () => undefined);
  });
}

describe("network defaults", () => {
  let app: TestApp;
  let clientDist: string;
  const experiments = async () => (await app.gql(`{ experiments { totalCount } }`)).data.experiments.totalCount;

  beforeAll(async () => {
    clientDist = await mkdtemp(join(tmpdir(), "lora-studio-dist-"));
    await writeFile(join(clientDist, "index.html"), "<!doctype html><title>LoRA Studio</title><div id=app></div>");
    app = await startTestApp({ env: { CORS_ORIGINS: FRIEND, CLIENT_DIST: clientDist } });
  });
  afterAll(async () => {
    await app?.close();
    await rm(clientDist, { recursive: true, force: true });
  });

  it("binds loopback and needs no key there by default", async () => {
    const { loadConfig } = await import("../../src/config/config.js");
    expect(loadConfig({})).toMatchObject({ host: "127.0.0.1", auth: "off", corsOrigins: [] });
    expect(loadConfig({ HOST: "0.0.0.0", AUTH: "keys" }).auth).toBe("keys");
    expect(loadConfig({ HOST: "::1" }).auth).toBe("off");
  });

  it("gives a cross-origin fetch from an unlisted origin no CORS grant and runs nothing", async () => {
    const preflight = await fetch(`${app.url}/graphql`, { method: "OPTIONS", headers: { origin: EVIL, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const res = await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...app.headers, origin: EVIL, "content-type": "application/json" }, body: JSON.stringify({ query: MUTATION }) });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: "ORIGIN_NOT_ALLOWED" } }] });
    expect(await experiments()).toBe(0);
  });

  it("grants a listed origin CORS for bearer keys, never credentials", async () => {
    const preflight = await fetch(`${app.url}/graphql`, { method: "OPTIONS", headers: { origin: FRIEND, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBe(FRIEND);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const res = await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...app.headers, origin: FRIEND, "content-type": "application/json" }, body: JSON.stringify({ query: "{ viewer { name } }" }) });
    expect(res.headers.get("access-control-allow-origin")).toBe(FRIEND);
    expect(await res.json()).toEqual({ data: { viewer: { name: "admin (ADMIN_API_KEY)" } } });
  });

  it("runs nothing from a cross-site form POST or a multipart POST without the CSRF header", async () => {
    const form = new URLSearchParams({ query: MUTATION });
    for (const origin of [EVIL, undefined]) {
      const res = await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...(origin ? { origin } : {}), "content-type": "application/x-www-form-urlencoded" }, body: form });
      expect(res.status).toBe(403);
    }
    const textPlain = await fetch(`${app.url}/graphql`, { method: "POST", headers: { authorization: app.headers.authorization!, "content-type": "text/plain" }, body: JSON.stringify({ query: MUTATION }) });
    expect(textPlain.status).toBe(403);
    expect(await textPlain.json()).toMatchObject({ errors: [{ extensions: { code: "CSRF_HEADER_REQUIRED" } }] });
    const multipart = uploadRequestBody([{ name: "a.safetensors", data: kohyaAdapter() }], { name: "planted", version: "1" });
    const upload = await fetch(`${app.url}/graphql`, { method: "POST", headers: { authorization: app.headers.authorization! }, body: multipart });
    expect(upload.status).toBe(403);
    expect(await upload.json()).toMatchObject({ errors: [{ extensions: { code: "CSRF_HEADER_REQUIRED" } }] });
    expect(await experiments()).toBe(0);
    expect(await app.deps.db.prisma.adapter.count()).toBe(0);
  });

  it("never runs a mutation over GET", async () => {
    const url = new URL(`${app.url}/graphql`);
    url.searchParams.set("query", MUTATION);
    const res = await fetch(url, { headers: { ...app.headers, accept: "application/json" } });
    expect(res.status).toBe(405);
    expect(await experiments()).toBe(0);
  });

  it("refuses a request whose Host is not this server's (DNS rebinding)", async () => {
    const { port } = new URL(app.url);
    for (const host of ["evil.example", `evil.example:${port}`, `localhost:${Number(port) + 1}`]) {
      const res = await rawRequest(`${app.url}/graphql`, { ...app.headers, host, "content-type": "application/json" }, "POST", JSON.stringify({ query: "{ viewer { name } }" }));
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ errors: [{ extensions: { code: "HOST_NOT_ALLOWED" } }] });
    }
    expect((await rawRequest(`${app.url}/`, { host: "evil.example" })).status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(`${app.url}/graphql`, { ...app.headers, host, "content-type": "application/json" }, "POST", JSON.stringify({ query: "{ viewer { name } }" }))).status, host).toBe(200);
    }
  });

  it("refuses a WebSocket from a foreign Origin or Host", async () => {
    const ws = `${app.url.replace("http", "ws")}/graphql`;
    const { port } = new URL(app.url);
    expect(await upgrade(ws, { origin: EVIL })).toBe(403);
    expect(await upgrade(ws, { origin: "null" })).toBe(403);
    expect(await upgrade(ws, { host: "evil.example" })).toBe(403);
    expect(await upgrade(ws, { origin: `http://localhost:${port}`, host: `localhost:${port}` })).toBe("open");
    expect(await upgrade(ws, { origin: FRIEND })).toBe("open");
    expect(await upgrade(ws, {})).toBe("open");
  });

  it("refuses SSE from a foreign Origin", async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { ...app.headers, origin: EVIL, "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: "subscription { activity { id } }" }),
    });
    expect(res.status).toBe(403);
    await res.body?.cancel();
  });

  it("sets clickjacking, nosniff and content-security headers on every response", async () => {
    const responses = {
      dashboard: await fetch(`${app.url}/`),
      deepLink: await fetch(`${app.url}/adapters/some-id`),
      api: await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...app.headers, "content-type": "application/json" }, body: JSON.stringify({ query: "{ version }" }) }),
      graphiql: await fetch(`${app.url}/graphql`, { headers: { accept: "text/html" } }),
      health: await fetch(`${app.url}/healthz`),
      file: await fetch(`${app.url}/runs/nope/log`),
    };
    for (const [name, res] of Object.entries(responses)) {
      expect(res.headers.get("x-frame-options"), name).toBe("SAMEORIGIN");
      expect(res.headers.get("x-content-type-options"), name).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), name).toContain("frame-ancestors 'self'");
      await res.arrayBuffer();
    }
    const dashboardPolicy = responses.dashboard.headers.get("content-security-policy")!;
    expect(dashboardPolicy).toContain("script-src 'self';");
    expect(dashboardPolicy).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(responses.deepLink.headers.get("content-security-policy")).toBe(dashboardPolicy);
    expect(responses.api.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("sends the CSRF header the dashboard and sidecar use through a preflight only", async () => {
    const preflight = await fetch(`${app.url}/graphql`, { method: "OPTIONS", headers: { origin: EVIL, "access-control-request-method": "POST", "access-control-request-headers": CSRF_HEADER } });
    expect(preflight.headers.get("access-control-allow-headers")).toBeNull();
  });
});
