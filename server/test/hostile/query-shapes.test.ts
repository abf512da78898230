import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";

/*
 * Item 6 (and the limit codes of item 11): query shapes that overflowed the stack or piled up subscriptions answer a
 * coded limit error instead, before validation, and the process keeps answering.
 */

async function post(app: TestApp, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...app.headers, "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe("hostile query shapes", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it("refuses a chain of 2,000 fragments with a code, not a stack overflow", async () => {
    const fragments = Array.from({ length: 2000 }, (_, i) => `fragment F${i} on Query { ${i === 1999 ? "version" : `...F${i + 1}`} }`).join("\n");
    const answer = await post(app, `query { ...F0 }\n${fragments}`);
    expect(answer.status).toBeLessThan(500);
    expect(["TOO_MANY_FRAGMENTS", "QUERY_TOO_LARGE"]).toContain(answer.body.errors?.[0]?.extensions?.code);
    const fewer = Array.from({ length: 150 }, (_, i) => `fragment F${i} on Query { ${i === 149 ? "version" : `...F${i + 1}`} }`).join("\n");
    expect((await post(app, `query { ...F0 }\n${fewer}`)).body.errors?.[0]).toMatchObject({ extensions: { code: "TOO_MANY_FRAGMENTS" }, message: "Fragment limit of 100 exceeded, found 150." });
    await expectLive(app);
  });

  it("refuses deep list literals with a code, in the query or as a variable", async () => {
    for (const depth of [5000, 2400]) {
      const literal = `${"[".repeat(depth)}"x"${"]".repeat(depth)}`;
      const answer = await post(app, `{ parsePrompt(prompt: "a", baseModelId: ${literal}) { cleanPrompt } }`);
      expect(answer.status, `depth ${depth}`).toBeLessThan(500);
      expect(answer.body.errors?.[0]?.extensions?.code, `depth ${depth}`).toBe("QUERY_TOO_DEEP");
    }
    for (const depth of [1000, 100_000]) {
      const query = `mutation($c: JSON) { createExperiment(input: { name: "deep", baseModelId: "tunes-s", config: $c }) { __typename } }`;
      const body = `{"query":${JSON.stringify(query)},"variables":{"c":${"[".repeat(depth)}1${"]".repeat(depth)}}}`;
      const res = await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...app.headers, "content-type": "application/json" }, body });
      expect(res.status, `depth ${depth}`).toBeLessThan(500);
      expect(await res.text(), `depth ${depth}`).not.toContain("Unexpected error");
    }
    await expectLive(app);
  });

  it("names the limit a too-costly, too-deep or too-aliased query broke, with its code", async () => {
    const costly = await post(app, `{ adapters(first: 1000) { edges { node { versions(first: 100) { edges { node { id name description tags } } } } } } }`);
    const deep = await post(app, `{ __schema { types { fields { type ${"{ ofType ".repeat(20)}{ name }${" }".repeat(20)} } } } }`);
    const aliased = await post(app, `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: version`).join(" ")} }`);
    const answers = { costly, deep, aliased };
    const codes = Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.body.errors?.[0]?.extensions?.code]));
    expect(codes).toEqual({ costly: expect.stringMatching(/^(QUERY_TOO_COSTLY|GRAPHQL_VALIDATION_FAILED)$/), deep: "QUERY_TOO_DEEP", aliased: "TOO_MANY_ALIASES" });
    for (const answer of Object.values(answers)) expect(answer.body.errors?.[0]?.message).not.toMatch(/^Syntax Error/);
  });

  it("caps the subscriptions of one socket at 100, answering the rest with a code", async () => {
    const ws = app.wsClient();
    const refusals: string[] = [];
    const disposers = Array.from({ length: 1000 }, () =>
      ws.subscribe({ query: "subscription { activity { id } }" }, { next: () => undefined, error: (error) => void refusals.push(JSON.stringify(error)), complete: () => undefined }),
    );
    for (let i = 0; i < 200 && refusals.length < 900; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(refusals).toHaveLength(900);
    expect(refusals.every((refusal) => refusal.includes("TOO_MANY_SUBSCRIPTIONS"))).toBe(true);
    await expectLive(app);
    disposers.forEach((dispose) => dispose());
    await ws.dispose();
  });
});

describe("introspection in production", () => {
  it("is off with GraphiQL under NODE_ENV=production, and on again with INTROSPECTION=on", async () => {
    const production = await startTestApp({ env: { NODE_ENV: "production" } });
    const enabled = await startTestApp({ env: { NODE_ENV: "production", INTROSPECTION: "on" } });
    try {
      const refused = await post(production, getIntrospectionQuery());
      expect(refused.body.errors?.[0]?.message).toMatch(/introspection/i);
      const graphiql = await fetch(`${production.url}/graphql`, { headers: { accept: "text/html" } });
      expect(await graphiql.text()).not.toContain("LoRA Studio GraphQL");
      expect((await post(production, "{ version }")).body.data).toEqual({ version: expect.any(String) });
      expect((await post(enabled, getIntrospectionQuery())).body.errors).toBeUndefined();
    } finally {
      await production.close();
      await enabled.close();
    }
  });
});
