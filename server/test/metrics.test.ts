import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.js";

const METRICS_TOKEN = "metrics-token-for-the-scraper";
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeySuccess { secret } } }`;

interface Exposition {
  types: Map<string, string>;
  samples: { name: string; labels: string; value: number }[];
}

/** The Prometheus text format: `# TYPE name type` lines, and `name{labels} value` samples. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Exposition["samples"] = [];
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const sample = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (sample) samples.push({ name: sample[1]!, labels: sample[2] ?? "", value: Number(sample[3]) });
  }
  return { types, samples };
}

async function readMetrics(app: TestApp, authorization: string | null): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await fetch(`${app.url}/metrics`, { headers: authorization ? { authorization } : {} });
  return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
}

async function gaugeValue(app: TestApp, name: string): Promise<number | undefined> {
  const { text } = await readMetrics(app, `Bearer ${METRICS_TOKEN}`);
  return parseExposition(text).samples.find((sample) => sample.name === name)?.value;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never saw ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("/metrics", () => {
  let app: TestApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp({ env: { METRICS_TOKEN } });
    for (const [name, scope] of [["reader", "READ"], ["gpu box", "SIDECAR"]] as const) {
      keys[scope] = (await app.gql(CREATE_KEY, { input: { name, scopes: [scope] } })).data.createApiKey.secret;
    }
  });
  afterAll(() => app.close());

  it("answers METRICS_TOKEN and a key with the read scope, in the exposition format", async () => {
    for (const authorization of [`Bearer ${METRICS_TOKEN}`, `Bearer ${keys.READ}`]) {
      const { status, text, contentType } = await readMetrics(app, authorization);
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      const { types } = parseExposition(text);
      expect(Object.fromEntries([...types].filter(([name]) => name.startsWith("lora_studio_")))).toEqual({
        lora_studio_graphql_request_duration_seconds: "histogram",
        lora_studio_graphql_active_subscriptions: "gauge",
        lora_studio_queue_depth: "gauge",
        lora_studio_sidecars_connected: "gauge",
        lora_studio_runs: "gauge",
        lora_studio_generation_jobs: "gauge",
        lora_studio_deliveries: "gauge",
        lora_studio_run_log_bytes: "gauge",
      });
      expect(types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
      expect(types.get("process_resident_memory_bytes")).toBe("gauge");
    }
  });

  it("refuses no credential, a wrong token and a key without the read scope, with a code", async () => {
    const refusals = await Promise.all([null, "Bearer not-the-metrics-token", `Bearer ${keys.SIDECAR}`].map((authorization) => readMetrics(app, authorization)));
    expect(refusals.map(({ status, text }) => [status, JSON.parse(text).errors[0].extensions.code])).toEqual([
      [401, "UNAUTHENTICATED"],
      [401, "UNAUTHENTICATED"],
      [403, "FORBIDDEN"],
    ]);
  });

  it("times GraphQL operations by name and reports queue depths and connected sidecars", async () => {
    await app.gql(`query MetricsProbe { viewer { authenticated } }`);
    const { samples } = parseExposition((await readMetrics(app, `Bearer ${METRICS_TOKEN}`)).text);
    const probeCount = samples.find((sample) => sample.name === "lora_studio_graphql_request_duration_seconds_count" && sample.labels.includes('operation="MetricsProbe"'));
    expect(probeCount).toMatchObject({ value: 1 });
    expect(probeCount!.labels).toContain('type="query"');
    const depths = samples.filter((sample) => sample.name === "lora_studio_queue_depth").map((sample) => [sample.labels, sample.value]);
    expect(depths).toEqual([['{queue="runs"}', 0], ['{queue="generation"}', 0], ['{queue="deliveries"}', 0]]);
    expect(samples.find((sample) => sample.name === "lora_studio_sidecars_connected")?.value).toBe(0);
  });

  it("counts a subscription while it is open", async () => {
    const client = app.wsClient();
    const unsubscribe = client.subscribe({ query: `subscription { activity { id } }` }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await eventually(async () => (await gaugeValue(app, "lora_studio_graphql_active_subscriptions")) === 1, "the subscription counted");
    unsubscribe();
    await eventually(async () => (await gaugeValue(app, "lora_studio_graphql_active_subscriptions")) === 0, "the subscription's end counted");
    await client.dispose();
  });
});

describe("/healthz", () => {
  it("reports the database, the queue depths and the connected sidecars (no Redis field without REDIS_URL)", async () => {
    const app = await startTestApp();
    try {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", database: "pglite", queues: { runs: 0, generation: 0, deliveries: 0 }, sidecars: { connected: 0 } });
    } finally {
      await app.close();
    }
  });
});
