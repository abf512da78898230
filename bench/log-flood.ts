// A trainer writing 20 MB/s of log through the embedded sidecar into the API while three graphql-ws subscribers read
// it slowly (each socket reads for 50 ms every 500 ms, in a process of their own): the API's event-loop delay p99 and
// its resident memory, beside the same figures with no load, from the same process run.
// Usage: pnpm bench:log-flood   (BENCH_SECONDS=..., BENCH_MB_PER_SECOND=... to change the flood)
import { spawn } from "node:child_process";
import { once } from "node:events";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startTestApp, type TestApp } from "../server/test/harness.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MB_PER_SECOND = Number(process.env.BENCH_MB_PER_SECOND ?? 20);
const SLOW_SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 3);
const TRAINER = fileURLToPath(new URL("../server/test/hostile/flood-trainer.mjs", import.meta.url));
const SUBSCRIBERS = fileURLToPath(new URL("./fixtures/slow-log-subscribers.mjs", import.meta.url));
const MIB = 1024 * 1024;

interface Figures {
  seconds: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  rssMeanMB: number;
  rssMaxMB: number;
}

/** Event-loop delay and RSS over `seconds` while `during` runs (it is awaited too). */
async function measure(seconds: number, during: Promise<unknown> = Promise.resolve()): Promise<Figures> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const rss: number[] = [];
  delay.enable();
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    rss.push(process.memoryUsage().rss);
    await sleep(100);
  }
  await during;
  delay.disable();
  return {
    seconds: +((performance.now() - started) / 1000).toFixed(1),
    eventLoopDelayP99Ms: +(delay.percentile(99) / 1e6).toFixed(1),
    eventLoopDelayMaxMs: +(delay.max / 1e6).toFixed(1),
    rssMeanMB: Math.round(rss.reduce((sum, value) => sum + value, 0) / rss.length / MIB),
    rssMaxMB: Math.round(rss.reduce((max, value) => Math.max(max, value), 0) / MIB),
  };
}

/** The slow subscribers in a process of their own; stop() ends them and gives what each received. */
function slowSubscribers(app: TestApp, runId: string) {
  const child = spawn(process.execPath, [SUBSCRIBERS, app.url, runId, app.headers.authorization!, String(SLOW_SUBSCRIBERS)], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (data: Buffer) => (output += data));
  const exited = once(child, "exit");
  return {
    stop: async (): Promise<{ chunks: number; markers: number }[]> => {
      child.kill("SIGTERM");
      await exited;
      return JSON.parse(output) as { chunks: number; markers: number }[];
    },
  };
}

async function ok(app: TestApp, query: string, variables?: Record<string, unknown>): Promise<any> {
  const { data, errors } = await app.gql(query, variables);
  if (errors) throw new Error(JSON.stringify(errors));
  return data;
}

async function ended(app: TestApp, runId: string): Promise<{ status: string; logBytes: number; lastSeq: number }> {
  for (;;) {
    const { run } = await ok(app, `query($id: ID!) { run(id: $id) { status logBytes lastSeq } }`, { id: runId });
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(run.status)) return run;
    await sleep(200);
  }
}

const trainers = [{ name: "flood", command: [process.execPath, TRAINER, "--seconds", String(SECONDS), "--mb-per-second", String(MB_PER_SECOND)], baseModels: ["tinyllama-1.1b"] }];
const app = await startTestApp({ env: { SIDECAR: "embedded", TRAINERS: JSON.stringify(trainers), RUN_LOG_MAX_MB: "1024" } });
try {
  const dataset = await ok(app, `mutation { generateDataset(input: { name: "bench", style: "blues", count: 4, seed: 1 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
  const experiment = await ok(app, `mutation($d: ID!) { createExperiment(input: { name: "bench", baseModelId: "tinyllama-1.1b", datasetId: $d }) { ... on CreateExperimentSuccess { experiment { id } } } }`, {
    d: dataset.generateDataset.dataset.id,
  });
  while (!(await ok(app, `{ sidecars { connected } }`)).sidecars.some((sidecar: { connected: boolean }) => sidecar.connected)) await sleep(100);
  const idle = await measure(SECONDS);

  const started = await ok(app, `mutation($e: ID!) { startRun(experimentId: $e) { ... on StartRunSuccess { run { id } } } }`, { e: experiment.createExperiment.experiment.id });
  const runId: string = started.startRun.run.id;
  const subscribers = slowSubscribers(app, runId);
  const run = ended(app, runId);
  const flood = await measure(SECONDS, run);
  const received = await subscribers.stop();
  const { logBytes, lastSeq } = await run;

  process.stdout.write(`${JSON.stringify({
    benchmark: `a trainer writing ${MB_PER_SECOND} MiB/s of log for ${SECONDS} s, ${SLOW_SUBSCRIBERS} slow runLogs subscribers (reading 50 ms of every 500 ms), vs no load`,
    idle,
    flood: { ...flood, storedLogMB: +(logBytes / MIB).toFixed(1), chunks: lastSeq, subscribers: received },
  })}\n`);
} finally {
  await app.close();
}
