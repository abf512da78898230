// Lists 50 of 10,000 adapters with their base model over HTTP and prints latency percentiles.
// Usage: pnpm bench:list  (BENCH_POSTGRES=1 measures a scratch database on TEST_DATABASE_URL's PostgreSQL server)
import { performance } from "node:perf_hooks";
import { startTestApp } from "../server/test/harness.js";
import { createScratchDatabase } from "../server/test/postgres.js";

const TOTAL = Number(process.env.BENCH_ADAPTERS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CHUNK = 1_000; // rows per insert, far below PostgreSQL's 32,767 bind variables

const QUERY = `query($after: String) { adapters(first: 50, after: $after, filter: { active: true }) {
  totalCount pageInfo { endCursor } edges { node { id name version format rank alpha tags active sizeBytes
  baseModel { id displayName modality capabilities { resolution maxDurationSeconds maxTokens } } } } } }`;

type ListResponse = { data?: { adapters: { edges: unknown[]; pageInfo: { endCursor: string } } }; errors?: unknown[] };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function seed(app: Awaited<ReturnType<typeof startTestApp>>): Promise<void> {
  const baseModels = ["sd15", "sdxl", "musicgen-small", "llama-3-8b"];
  for (let start = 0; start < TOTAL; start += CHUNK) {
    const data = Array.from({ length: Math.min(CHUNK, TOTAL - start) }, (_, k) => {
      const i = start + k;
      return {
        name: `bench-adapter-${Math.floor(i / 4)}`, version: `1.${i % 4}`, baseModelId: baseModels[i % baseModels.length]!,
        format: "PEFT" as const, source: "REGISTERED" as const, storageKey: `bench-${i}`, originalFilename: "adapter_model.safetensors",
        sizeBytes: BigInt(1_000_000 + i), sha256: i.toString(16).padStart(64, "0"), rank: 8, alpha: 16, tensorCount: 8,
        tags: [`tag-${i % 20}`], active: i % 10 !== 0,
      };
    });
    await app.deps.db.prisma.adapter.createMany({ data });
  }
}

async function main(): Promise<void> {
  const database = process.env.BENCH_POSTGRES ? await createScratchDatabase() : null;
  const app = await startTestApp({ databaseUrl: database?.url });
  try {
    const seedStart = performance.now();
    await seed(app);
    const seedMs = performance.now() - seedStart;
    const timings: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < REQUESTS + 20; i++) {
      const t0 = performance.now();
      const response: ListResponse = await app.gql(QUERY, { after });
      const { data, errors } = response;
      const ms = performance.now() - t0;
      if (errors || data?.adapters.edges.length !== 50) throw new Error(`bad response: ${JSON.stringify(errors)}`);
      after = i % 10 === 9 ? null : data.adapters.pageInfo.endCursor;
      if (i >= 20) timings.push(ms); // the first requests warm the JIT and the database caches
    }
    timings.sort((a, b) => a - b);
    process.stdout.write(`${JSON.stringify({
      benchmark: "list 50 of N adapters with base model over HTTP",
      database: app.deps.db.kind, adapters: TOTAL, requests: REQUESTS, seedMs: Math.round(seedMs),
      p50Ms: +percentile(timings, 50).toFixed(2), p95Ms: +percentile(timings, 95).toFixed(2), maxMs: +timings.at(-1)!.toFixed(2),
    })}\n`);
  } finally {
    await app.close();
    await database?.drop();
  }
}

await main();
