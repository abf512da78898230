import { createClient, type Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CSRF_HEADER } from "../../src/contracts/http.js";
import { kohyaAdapter, uploadRequestBody } from "../fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";

/*
 * Every transport × every kind of credential: allowed, or refused with the right code. Each describe block has its
 * own app, so the failed attempts of one (revoked and expired keys count) never reach the limit of 20 a minute.
 */

type Credential = "none" | "read" | "write" | "admin" | "sidecar" | "revoked" | "expired";
type Outcome = "ok" | 401 | 403;

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { __typename ... on CreateApiKeySuccess { secret apiKey { id } } } }`;

/** A key per credential kind, made through the API as an admin would; the expired one is dated back in the database. */
async function issueKeys(app: TestApp): Promise<Record<Credential, string | null>> {
  const create = async (name: string, scopes: string[]) => (await app.gql(CREATE_KEY, { input: { name, scopes } })).data.createApiKey;
  const [read, write, admin, sidecar, revoked, expired] = await Promise.all([
    create("reader", ["READ"]),
    create("writer", ["WRITE"]),
    create("second admin", ["ADMIN"]),
    create("gpu box", ["SIDECAR"]),
    create("revoked", ["ADMIN"]),
    create("expired", ["ADMIN"]),
  ]);
  const revocation = await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: revoked.apiKey.id });
  expect(revocation.data.revokeApiKey.__typename).toBe("RevokeApiKeySuccess");
  await app.deps.db.prisma.apiKey.update({ where: { id: expired.apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  return { none: null, read: read.secret, write: write.secret, admin: admin.secret, sidecar: sidecar.secret, revoked: revoked.secret, expired: expired.secret };
}

/** An app of the describe block's own, with a key of every kind. */
async function startKeyedApp(): Promise<{ app: TestApp; keys: Record<Credential, string | null> }> {
  const app = await startTestApp();
  return { app, keys: await issueKeys(app) };
}

const bearer = (secret: string | null): Record<string, string> => (secret ? { authorization: `Bearer ${secret}` } : {});

async function post(app: TestApp, secret: string | null, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${app.url}/graphql`, {
    method: "POST",
    headers: { ...bearer(secret), "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

/** The outcome of an HTTP GraphQL answer: ok, or the status with its code checked against it. */
function outcomeOf({ status, body }: Awaited<ReturnType<typeof post>>): Outcome {
  if (status === 200 && !body.errors) return "ok";
  const code = body.errors?.[0]?.extensions?.code;
  expect(code, `status ${status}`).toBe(status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN");
  return status as Outcome;
}

const EXPECTED: Record<string, Record<Credential, Outcome>> = {
  query: { none: 401, read: "ok", write: "ok", admin: "ok", sidecar: 403, revoked: 401, expired: 401 },
  mutation: { none: 401, read: 403, write: "ok", admin: "ok", sidecar: 403, revoked: 401, expired: 401 },
  admin: { none: 401, read: 403, write: 403, admin: "ok", sidecar: 403, revoked: 401, expired: 401 },
  sidecarOperation: { none: 401, read: 403, write: 403, admin: 403, sidecar: "ok", revoked: 401, expired: 401 },
};
const CREDENTIALS = Object.keys(EXPECTED.query!) as Credential[];

describe("HTTP: queries, mutations, key management and sidecar operations", () => {
  let app: TestApp;
  let keys: Record<Credential, string | null>;
  beforeAll(async () => ({ app, keys } = await startKeyedApp()));
  afterAll(async () => app?.close());

  it.each(CREDENTIALS)("answers %s as the scopes say", async (credential) => {
    const secret = keys[credential];
    const outcomes = {
      query: outcomeOf(await post(app, secret, `{ adapters(first: 1) { totalCount } }`)),
      mutation: outcomeOf(await post(app, secret, `mutation { createExperiment(input: { name: "e-${credential}", baseModelId: "tunes-s" }) { __typename } }`)),
      admin: outcomeOf(await post(app, secret, `{ apiKeys { id } }`)),
      sidecarOperation: outcomeOf(await post(app, secret, `mutation { reportGenerationProgress(jobId: "00000000-0000-0000-0000-000000000000", progress: 0.5) }`).then(asSidecarOutcome)),
    };
    expect(outcomes).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([operation, row]) => [operation, row[credential]])));
  });

  it("stores only what allowed callers asked for", async () => {
    const { data } = await app.gql(`{ experiments { edges { node { name } } } }`);
    expect(data.experiments.edges.map((e: any) => e.node.name).sort()).toEqual(["e-admin", "e-write"]);
  });

  it("tells anyone who they are, keys needed or not", async () => {
    const anonymous = await post(app, null, `{ viewer { authMode authenticated name scopes } }`);
    expect(anonymous.body.data.viewer).toEqual({ authMode: "KEYS", authenticated: false, name: null, scopes: [] });
    const reader = await post(app, keys.read, `{ viewer { authenticated name scopes } }`);
    expect(reader.body.data.viewer).toEqual({ authenticated: true, name: "reader", scopes: ["READ"] });
    const writer = await post(app, keys.write, `{ viewer { scopes } }`);
    expect(writer.body.data.viewer.scopes).toEqual(["READ", "WRITE"]);
  });

  it("records who made each change in the activity feed", async () => {
    const { data } = await app.gql(`{ activity(first: 50) { edges { node { type actor } } } }`);
    const actors = data.activity.edges.map((e: any) => e.node.actor);
    expect(actors).toContain("writer");
    expect(actors).toContain("second admin");
    expect(actors).toContain("admin (ADMIN_API_KEY)");
  });

  it("keeps a key's secret out of every answer but its creation", async () => {
    const created = await app.gql(CREATE_KEY, { input: { name: "once", scopes: ["READ"] } });
    const { secret } = created.data.createApiKey;
    expect(secret).toMatch(/^lsk_[\w-]{43,}$/);
    const listed = JSON.stringify((await app.gql(`{ apiKeys { id name prefix scopes createdAt lastUsedAt expiresAt revokedAt } }`)).data);
    expect(listed).not.toContain(secret);
    expect(listed).toContain(secret.slice(0, 10));
    const stored = await app.deps.db.prisma.apiKey.findFirstOrThrow({ where: { name: "once" } });
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it("refuses bad key input with a code and stores nothing", async () => {
    const before = await app.deps.db.prisma.apiKey.count();
    const bad = await app.gql(`mutation { createApiKey(input: { name: " ", scopes: [], expiresAt: "2001-01-01T00:00:00Z" }) { __typename ... on BadUserInputError { fieldErrors { field } } } }`);
    expect(bad.data.createApiKey.__typename).toBe("BadUserInputError");
    expect(bad.data.createApiKey.fieldErrors.map((e: any) => e.field).sort()).toEqual(["expiresAt", "name", "scopes"]);
    const missing = await app.gql(`mutation { revokeApiKey(id: "nope") { __typename } }`);
    expect(missing.data.revokeApiKey.__typename).toBe("NotFoundError");
    expect(await app.deps.db.prisma.apiKey.count()).toBe(before);
  });
});

/** A sidecar operation on a job that does not exist: allowed means it got as far as the domain (NOT_FOUND). */
function asSidecarOutcome(answer: Awaited<ReturnType<typeof post>>) {
  const code = answer.body.errors?.[0]?.extensions?.code;
  return code === "NOT_FOUND" ? { status: 200, body: { data: {} } } : answer;
}

describe("SSE, multipart and file routes", () => {
  let app: TestApp;
  let keys: Record<Credential, string | null>;
  let runId: string;
  beforeAll(async () => {
    ({ app, keys } = await startKeyedApp());
    const dataset = (await app.gql(`mutation { generateDataset(input: { name: "w", style: "major-waltz", count: 4, seed: 1 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`)).data.generateDataset.dataset;
    const experiment = (await app.gql(`mutation($d: ID!) { createExperiment(input: { name: "e", baseModelId: "tunes-s", datasetId: $d }) { ... on CreateExperimentSuccess { experiment { id } } } }`, { d: dataset.id })).data.createExperiment.experiment;
    runId = (await app.gql(`mutation($e: ID!) { startRun(experimentId: $e) { ... on StartRunSuccess { run { id } } } }`, { e: experiment.id })).data.startRun.run.id;
  });
  afterAll(async () => app?.close());

  async function sse(secret: string | null): Promise<Outcome> {
    const controller = new AbortController();
    const res = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { ...bearer(secret), "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: "subscription { activity { id } }" }),
      signal: controller.signal,
    });
    const text = res.headers.get("content-type")?.includes("text/event-stream") ? await firstEvent(res) : await res.text();
    controller.abort();
    if (res.status !== 200) return res.status as Outcome;
    if (text.includes("FORBIDDEN")) return 403;
    if (text.includes("UNAUTHENTICATED")) return 401;
    return "ok";
  }

  /** The first `next` event of a stream, or "" once it has been quiet for a moment (a live subscription, allowed). */
  async function firstEvent(res: Response): Promise<string> {
    const reader = res.body!.getReader();
    const quiet = new Promise<string>((resolve) => setTimeout(() => resolve(""), 1500));
    const read = reader.read().then(({ value }) => new TextDecoder().decode(value));
    return Promise.race([read, quiet]);
  }

  async function multipart(secret: string | null): Promise<Outcome> {
    const form = uploadRequestBody([{ name: "a.safetensors", data: kohyaAdapter() }], { name: `upload-${Math.random()}`, version: "1" });
    const res = await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...bearer(secret), [CSRF_HEADER]: "1" }, body: form });
    return outcomeOf({ status: res.status, body: (await res.json()) as any });
  }

  async function file(secret: string | null, path: string): Promise<Outcome> {
    const res = await fetch(`${app.url}${path}`, { headers: bearer(secret) });
    await res.arrayBuffer();
    return res.status === 200 ? "ok" : (res.status as Outcome);
  }

  it.each(CREDENTIALS)("answers %s over SSE, multipart and the file routes as the scopes say", async (credential) => {
    const secret = keys[credential];
    const outcomes = {
      sse: await sse(secret),
      multipart: await multipart(secret),
      runLog: await file(secret, `/runs/${runId}/log`),
      sidecarDataset: await file(secret, `/sidecar/runs/${runId}/dataset.jsonl`),
    };
    const refusedAs = EXPECTED.query![credential] === "ok" ? null : EXPECTED.query![credential];
    expect(outcomes).toEqual({
      sse: EXPECTED.query![credential],
      multipart: EXPECTED.mutation![credential],
      runLog: EXPECTED.query![credential],
      sidecarDataset: credential === "sidecar" ? "ok" : refusedAs === 401 ? 401 : 403,
    });
  });

  it("hands out file URLs signed for the caller, good for that path only and only until they expire", async () => {
    const reader = await post(app, keys.read, `query($id: ID!) { run(id: $id) { logUrl } }`, { id: runId });
    const logUrl: string = reader.body.data.run.logUrl;
    expect(logUrl).toMatch(new RegExp(`^/runs/${runId}/log\\?expires=\\d+&key=[\\w-]+&signature=[\\w-]+$`));
    expect((await fetch(`${app.url}${logUrl}`)).status).toBe(200);
    const url = new URL(logUrl, app.url);
    const tampered = new URL(url);
    tampered.searchParams.set("signature", `${url.searchParams.get("signature")!.slice(0, -2)}AA`);
    expect((await fetch(tampered)).status).toBe(403);
    const longer = new URL(url);
    longer.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    expect((await fetch(longer)).status).toBe(403);
    const otherPath = new URL(`/sidecar/runs/${runId}/dataset.jsonl${url.search}`, app.url);
    expect((await fetch(otherPath)).status).toBe(401);
    const elsewhere = new URL(`/runs/00000000-0000-0000-0000-000000000000/log${url.search}`, app.url);
    expect((await fetch(elsewhere)).status).toBe(403);
    const expired = app.deps.access.signer.sign(`/runs/${runId}/log`, url.searchParams.get("key"), Date.now() - 2 * 3600 * 1000);
    const refusal = await fetch(`${app.url}${expired}`);
    expect(refusal.status).toBe(403);
    expect(await refusal.json()).toMatchObject({ errors: [{ extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("expired") }] });
  });

  it("stops honouring a signed URL once its key is revoked", async () => {
    const created = await app.gql(CREATE_KEY, { input: { name: "short-lived reader", scopes: ["READ"] } });
    const { secret, apiKey } = created.data.createApiKey;
    const { logUrl } = (await post(app, secret, `query($id: ID!) { run(id: $id) { logUrl } }`, { id: runId })).body.data.run;
    expect((await fetch(`${app.url}${logUrl}`)).status).toBe(200);
    await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: apiKey.id });
    expect((await fetch(`${app.url}${logUrl}`)).status).toBe(403);
  });
});

describe("WebSocket", () => {
  let app: TestApp;
  let keys: Record<Credential, string | null>;
  beforeAll(async () => ({ app, keys } = await startKeyedApp()));
  afterAll(async () => app?.close());

  function client(secret: string | null, onClose: (code: number) => void): Client {
    return createClient({
      url: `${app.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: secret ? { authorization: `Bearer ${secret}` } : {},
      on: { closed: (event) => onClose((event as CloseEvent).code) },
    });
  }

  /** Subscribes; "ok" once the subscription runs (proven by an activity event it delivers), else the close code. */
  async function subscribe(secret: string | null): Promise<"ok" | number> {
    let closed: (code: number) => void = () => {};
    const closure = new Promise<number>((resolve) => (closed = resolve));
    const ws = client(secret, (code) => closed(code));
    const delivered = new Promise<"ok">((resolve) => {
      ws.subscribe({ query: "subscription { activity { id } }" }, { next: () => resolve("ok"), error: () => undefined, complete: () => undefined });
    });
    const poke = setInterval(() => void app.gql(`mutation { createExperiment(input: { name: "poke-${Math.random()}", baseModelId: "tunes-s" }) { __typename } }`), 300);
    try {
      return await Promise.race([delivered, closure]);
    } finally {
      clearInterval(poke);
      await ws.dispose();
    }
  }

  it.each(CREDENTIALS)("connects %s as the scopes say: 4401 without a key, 4403 revoked, expired or out of scope", async (credential) => {
    const expected = { none: 4401, read: "ok", write: "ok", admin: "ok", sidecar: 4403, revoked: 4403, expired: 4403 }[credential];
    expect(await subscribe(keys[credential])).toBe(expected);
  });

  it("closes a socket within 5 s of its key being revoked", async () => {
    const created = await app.gql(CREATE_KEY, { input: { name: "watcher", scopes: ["READ"] } });
    const { secret, apiKey } = created.data.createApiKey;
    let closed: (code: number) => void = () => {};
    const closure = new Promise<number>((resolve) => (closed = resolve));
    const ws = client(secret, (code) => closed(code));
    let events = 0;
    ws.subscribe({ query: "subscription { activity { id } }" }, { next: () => void (events += 1), error: () => undefined, complete: () => undefined });
    while (events === 0) {
      await app.gql(`mutation { createExperiment(input: { name: "poke-${Math.random()}", baseModelId: "tunes-s" }) { __typename } }`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const revokedAt = Date.now();
    await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: apiKey.id });
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("still open after 10 s"), 10_000));
    expect(await Promise.race([closure, timeout])).toBe(4403);
    // the sweep runs every 2 s; the bound here is loose so a loaded machine does not flake
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
    await ws.dispose();
  });

  it("caps the operations one socket may hold open", async () => {
    const ws = client(keys.read, () => undefined);
    const errors: string[] = [];
    for (let i = 0; i < 101; i += 1) {
      ws.subscribe({ query: "subscription { activity { id } }" }, { next: () => undefined, error: (e) => void errors.push(JSON.stringify(e)), complete: () => undefined });
    }
    const waitFor = async () => {
      for (let i = 0; i < 100 && errors.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    await waitFor();
    await ws.dispose();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("TOO_MANY_SUBSCRIPTIONS");
  });
});
