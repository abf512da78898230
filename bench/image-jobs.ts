// The studio's own time per image job on a generation backend: createGenerationJob sent until the job's last sample
// is stored (its finishedAt), minus the backend's own time for the txt2img request (its X-Process-Time, as the job's
// samples record it). Runs BENCH_JOBS jobs one after another against the A1111 contract server, each one 512×512
// image with two kohya SD 1.5 adapters placed in, and cleared from, the backend's LoRA folder.
// Usage: pnpm bench:image-jobs   (BENCH_JOBS=... jobs measured, after 10 unmeasured)
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "graphql-ws";
import { startA1111ContractServer } from "../server/test/contract-servers/a1111.js";
import { kohyaAdapter, upload } from "../server/test/fixtures.js";
import { createJob, progressOf } from "../server/test/generation-fixtures.js";
import { startTestApp, type TestApp } from "../server/test/harness.js";
import { percentile, round } from "./percentiles.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 200);
const WARM_UP_JOBS = 10;
const SIZE = 512;
const PROMPT = "a red fox in the snow, golden hour";

const summary = (values: number[]) => ({ p50: round(percentile(values, 50)), p99: round(percentile(values, 99)), max: round(Math.max(...values)) });

interface Measured {
  endToEndMs: number;
  backendMs: number;
}

async function uploadKohya(app: TestApp, name: string, seed: number): Promise<string> {
  const { body } = await upload(app.url, [{ name: `${name}.safetensors`, data: kohyaAdapter({ seed, width: 320 }) }], { name, version: "1" });
  if (body.data?.uploadAdapter?.__typename !== "UploadAdapterSuccess") throw new Error(`could not upload ${name}: ${JSON.stringify(body)}`);
  return body.data.uploadAdapter.adapter.id;
}

async function runJob(app: TestApp, ws: Client, input: Record<string, unknown>): Promise<Measured> {
  const sent = Date.now();
  const id = await createJob(app, input);
  await progressOf(ws, id);
  const job = await app.deps.db.prisma.generationJob.findUniqueOrThrow({ where: { id }, include: { samples: true } });
  if (job.status !== "DONE") throw new Error(`job ${id} ${job.status}: ${job.error}`);
  const backendMs = (job.samples[0]!.info as { backendMs: number }).backendMs;
  return { endToEndMs: job.finishedAt!.getTime() - sent, backendMs };
}

async function main(): Promise<void> {
  const loraDir = await mkdtemp(join(tmpdir(), "bench-loras-"));
  const backend = await startA1111ContractServer({ loraDir });
  const backends = [{ name: "bench-a1111", kind: "a1111", url: backend.url, baseModels: ["sd15"], loraDir, defaults: { steps: 20, width: SIZE, height: SIZE } }];
  const app = await startTestApp({ env: { GENERATION_BACKENDS: JSON.stringify(backends), DELIVERY_ALLOWED_HOSTS: new URL(backend.url).host } });
  const ws = app.wsClient();
  try {
    const adapters = [await uploadKohya(app, "bench-fox", 1), await uploadKohya(app, "bench-snow", 2)];
    const input = (seed: number) => ({ prompt: PROMPT, baseModelId: "sd15", seed, adapters: adapters.map((adapterId, index) => ({ adapterId, weight: 0.5 + index * 0.3 })) });
    for (let seed = 0; seed < WARM_UP_JOBS; seed += 1) await runJob(app, ws, input(seed));
    const measured: Measured[] = [];
    for (let seed = WARM_UP_JOBS; seed < WARM_UP_JOBS + JOBS; seed += 1) measured.push(await runJob(app, ws, input(seed)));
    const overhead = measured.map((job) => job.endToEndMs - job.backendMs);
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "studio overhead per image job on the A1111 contract server: createGenerationJob sent until its last sample is stored, minus the backend's own txt2img time",
        cpus: availableParallelism(),
        jobs: JOBS,
        imagesPerJob: 1,
        size: `${SIZE}x${SIZE}`,
        adaptersPerJob: adapters.length,
        overheadMs: summary(overhead),
        endToEndMs: summary(measured.map((job) => job.endToEndMs)),
        backendMs: summary(measured.map((job) => job.backendMs)),
        notes:
          "overhead covers the GraphQL mutation, the runner taking the job, copying both adapters into loraDir, refresh-loras and the LoRA listing, decoding and checking the PNG, storing the sample and its file, and removing the copies; the job's finishedAt is taken by the API on this machine's clock, as the start is",
      }, null, 2)}\n`,
    );
  } finally {
    await ws.dispose();
    await app.close();
    await backend.close();
    await rm(loraDir, { recursive: true, force: true });
  }
}

await main();
