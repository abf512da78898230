import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.js";

/* GraphiQL served whole by the API (issue 11, item 1): nothing from a CDN, no inline script, files cached for good. */

async function graphiqlPage(app: TestApp): Promise<{ html: string; policy: string; assets: string[] }> {
  const res = await fetch(`${app.url}/graphql`, { headers: { accept: "text/html" } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  return { html, policy: res.headers.get("content-security-policy") ?? "", assets };
}

describe("GraphiQL from the API itself", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it("is a page whose scripts, styles and workers all come from this server, with no inline script", async () => {
    const { html, policy, assets } = await graphiqlPage(app);
    expect(html).toContain("<title>LoRA Studio GraphQL</title>");
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((match) => match[1]!);
    for (const attributes of scripts) expect(attributes).toMatch(/src="\/graphiql\/|type="application\/json"/);
    expect(assets.filter((path) => path.endsWith(".js"))).toHaveLength(2);
    expect(assets.every((path) => path.startsWith("/graphiql/"))).toBe(true);

    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("worker-src 'self'");
    expect(policy).not.toMatch(/https?:|unpkg|unsafe-eval/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it("serves its files gzipped when asked, with their types, cached for good under a versioned path", async () => {
    const { assets } = await graphiqlPage(app);
    for (const path of assets) {
      const res = await fetch(`${app.url}${path}`, { headers: { "accept-encoding": "gzip" } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("content-type"), path).toMatch(path.endsWith(".js") ? /^text\/javascript/ : path.endsWith(".css") ? /^text\/css/ : /^image\//);
      expect(res.headers.get("content-security-policy"), path).toContain("script-src 'self'");
      expect((await res.arrayBuffer()).byteLength, path).toBeGreaterThan(0);
    }
    const script = assets.find((path) => path.endsWith("graphiql.js"))!;
    const version = script.split("/")[2]!;
    for (const worker of ["editor.worker.js", "json.worker.js", "graphql.worker.js"]) {
      const res = await fetch(`${app.url}/graphiql/${version}/${worker}`);
      expect(res.status, worker).toBe(200);
      expect((await res.text()).length, worker).toBeGreaterThan(1000);
    }

    const raw = await fetch(`${app.url}${script}`, { headers: { "accept-encoding": "identity" } });
    expect(raw.headers.get("content-encoding")).toBeNull();
    expect(await raw.text()).toContain("renderYogaGraphiQL");
    // Node's fetch inflates for us; asked again raw, the body is gzip
    const zipped = await new Promise<Buffer>((resolve, reject) => {
      import("node:http").then(({ get }) =>
        get(`${app.url}${script}`, { headers: { "accept-encoding": "gzip" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve(Buffer.concat(chunks)));
        }).on("error", reject),
      );
    });
    expect(gunzipSync(zipped).toString()).toContain("renderYogaGraphiQL");
  });

  it("serves only the current version's files", async () => {
    const stale = await fetch(`${app.url}/graphiql/000000000000/graphiql.js`);
    expect(stale.headers.get("content-type") ?? "").not.toMatch(/javascript/);
    await stale.arrayBuffer();
  });
});

describe("GraphiQL with introspection off", () => {
  it("serves neither the page nor its files", async () => {
    const on = await startTestApp();
    const { assets } = await graphiqlPage(on);
    await on.close();
    const off = await startTestApp({ env: { INTROSPECTION: "off" } });
    try {
      const page = await fetch(`${off.url}/graphql`, { headers: { accept: "text/html" } });
      expect(await page.text()).not.toContain("LoRA Studio GraphQL");
      const script = await fetch(`${off.url}${assets.find((path) => path.endsWith("graphiql.js"))}`);
      expect(script.headers.get("content-type") ?? "").not.toMatch(/javascript/);
      await script.arrayBuffer();
    } finally {
      await off.close();
    }
  });
});
