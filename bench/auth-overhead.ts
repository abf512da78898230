// The added cost of key checking on the adapters list query: the same query against an app with AUTH=off and one
// with AUTH=keys (an admin key presented), requests alternating between them in one run so both see the same machine.
// Usage: pnpm bench:auth
import { performance } from "node:perf_hooks";
import { startTestApp, type TestApp } from "../server/test/harness.js";

const ADAPTERS = Number(process.env.BENCH_ADAPTERS ?? 1_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000);
const WARMUP = 50;
const QUERY = `{ adapters(first: 50) { totalCount edges { node { id name version format rank alpha tags active baseModel { id displayName } } } } }`;

async function seed(app: TestApp): Promise<void> {
  const data = Array.from({ length: ADAPTERS }, (_, i) => ({
    name: `bench-adapter-${i}`, version: "1", baseModelId: "sd15", format: "PEFT" as const, source: "REGISTERED" as const,
    storageKey: `bench-${i}`, originalFilename: "adapter_model.safetensors", sizeBytes: BigInt(1_000_000 + i),
    sha256: i.toString(16).padStart(64, "0"), rank: 8, alpha: 16, tensorCount: 8, tags: [`tag-${i % 20}`],
  }));
  await app.deps.db.prisma.adapter.createMany({ data });
}

async function timedList(app: TestApp, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${app.url}/graphql`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ query: QUERY }) });
  const body = (await res.json()) as { errors?: unknown };
  if (res.status !== 200 || body.errors) throw new Error(`bad response ${res.status}: ${JSON.stringify(body)}`);
  return performance.now() - t0;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (timings: number[]) => {
  const sorted = [...timings].sort((a, b) => a - b);
  return { p50Ms: +percentile(sorted, 50).toFixed(2), p99Ms: +percentile(sorted, 99).toFixed(2) };
};

async function main(): Promise<void> {
  const open = await startTestApp({ env: { AUTH: "off" } });
  const keyed = await startTestApp();
  try {
    await Promise.all([seed(open), seed(keyed)]);
    const timings = { off: [] as number[], keys: [] as number[] };
    for (let i = 0; i < REQUESTS + WARMUP; i++) {
      const off = await timedList(open, {});
      const keys = await timedList(keyed, keyed.headers);
      if (i >= WARMUP) {
        timings.off.push(off);
        timings.keys.push(keys);
      }
    }
    const off = summary(timings.off);
    const keys = summary(timings.keys);
    process.stdout.write(`${JSON.stringify({
      benchmark: "adapters(first: 50) over HTTP with and without API key checking",
      database: keyed.deps.db.kind, adapters: ADAPTERS, requests: REQUESTS,
      authOff: off, authKeys: keys,
      addedP50Ms: +(keys.p50Ms - off.p50Ms).toFixed(2), addedP99Ms: +(keys.p99Ms - off.p99Ms).toFixed(2),
    })}\n`);
  } finally {
    await open.close();
    await keyed.close();
  }
}

await main();
