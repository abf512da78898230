// Cluster mode, measured (README "Cluster"): two API replicas (node processes) on one PostgreSQL and one Redis, with
// one and then two sidecar processes. Prints generation samples per second and training runs per minute with 1 and
// with 2 sidecars (jobs and runs created through both replicas), and the log fan-out of one chatty run to many
// graphql-ws subscribers spread over the 2 replicas (lines per second delivered, write-to-subscriber latency p50/p99;
// the run writes BENCH_LINES_PER_SECOND lines a second once every subscriber listens),
// beside the same run followed by as many subscribers of one embedded process. Needs PostgreSQL (TEST_DATABASE_URL)
// and Redis (TEST_REDIS_URL); prints why it skipped otherwise.
// Usage: pnpm bench:cluster   (BENCH_SUBSCRIBERS, BENCH_LINES, BENCH_JOBS, BENCH_RUNS to change the sizes)
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { createClient, type Client } from "graphql-ws";
import { WebSocket } from "ws";
import { eventually } from "../server/test/generation-fixtures.js";
import { startTestApp } from "../server/test/harness.js";
import { TEST_HEADERS } from "../server/test/test-key.js";
import { createDataset, ok, runEnded, startRun } from "../server/test/cluster/operations.js";
import { clusterUnavailable, startCluster, type Replica, type SidecarProcess } from "../server/test/cluster/processes.js";
import { newMeasure, nowMicros, record, summary, type Measured } from "./log-latency.js";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 200);
const LINES = Number(process.env.BENCH_LINES ?? 5000);
const JOBS = Number(process.env.BENCH_JOBS ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 4);
const SAMPLES_PER_JOB = 4;
const CHATTY_MODEL = "tinyllama-1.1b";
const LINES_PER_SECOND = Number(process.env.BENCH_LINES_PER_SECOND ?? 1000);
/** the paced trainer starts writing this long after it was started: long enough for every subscriber to be listening */
const START_DELAY_MS = 5000;
const TRAINERS = JSON.stringify([{ name: "paced", command: [process.execPath, fileURLToPath(new URL("./fixtures/paced-trainer.mjs", import.meta.url))], baseModels: [CHATTY_MODEL] }]);
/** a built-in run of a few seconds on a CPU */
const TRAINING_CONFIG = { rank: 4, alpha: 8, epochs: 1, maxSteps: 60, evalEvery: 20, warmupSteps: 5, batchSize: 32 };
const CREATE_JOB = `mutation($input: CreateGenerationJobInput!) { createGenerationJob(input: $input) { ... on CreateGenerationJobSuccess { job { id } } } }`;

const round = (value: number, digits = 2) => +value.toFixed(digits);
const elapsedSeconds = (since: number) => (performance.now() - since) / 1000;

/** Waits until the sidecar's inference workers hold warm sessions, so that the first jobs measure generation, not start-up. */
function warm(sidecar: SidecarProcess): Promise<boolean> {
  return eventually(`sidecar ${sidecar.name}'s warm sessions`, async () => sidecar.output().includes("warm sessions"), 120_000);
}

/** JOBS generation jobs created through the replicas in turn, until all are done. */
async function generationRate(replicas: Replica[]) {
  const started = performance.now();
  const ids: string[] = [];
  for (let index = 0; index < JOBS; index += 1) {
    const input = { prompt: "a gentle waltz in C major", baseModelId: "tunes-s", durationSeconds: 10, samples: SAMPLES_PER_JOB, seed: index };
    ids.push((await ok(replicas[index % replicas.length]!, CREATE_JOB, { input })).createGenerationJob.job.id);
  }
  await eventually("every generation job to end", async () => {
    const statuses = await Promise.all(ids.map(async (id) => (await ok(replicas[0]!, `query($id: ID!) { generationJob(id: $id) { status } }`, { id })).generationJob.status));
    return statuses.every((status) => status === "DONE");
  }, 600_000);
  const seconds = elapsedSeconds(started);
  return { jobs: JOBS, samples: JOBS * SAMPLES_PER_JOB, seconds: round(seconds), samplesPerSecond: round((JOBS * SAMPLES_PER_JOB) / seconds) };
}

/** RUNS runs of the built-in trainer started through the replicas in turn, until all have ended. */
async function trainingRate(replicas: Replica[], datasetId: string) {
  const started = performance.now();
  const ids: string[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const replica = replicas[index % replicas.length]!;
    const created = await ok(replica, `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { ... on CreateExperimentSuccess { experiment { id } } } }`, {
      input: { name: `bench-${Date.now()}-${index}`, baseModelId: "tunes-s", datasetId, config: TRAINING_CONFIG },
    });
    ids.push((await ok(replica, `mutation($id: ID!) { startRun(experimentId: $id) { ... on StartRunSuccess { run { id } } } }`, { id: created.createExperiment.experiment.id })).startRun.run.id);
  }
  const ended = await Promise.all(ids.map((id) => runEnded(replicas[0]!, id, 600_000)));
  const seconds = elapsedSeconds(started);
  return { runs: RUNS, completed: ended.filter((run) => run.status === "COMPLETED").length, seconds: round(seconds), runsPerMinute: round((RUNS * 60) / seconds) };
}

/** SUBSCRIBERS graphql-ws clients spread over `urls`, each following the run's log (before it writes) until it has every line. */
async function fanOut(urls: string[], runId: string) {
  const clients: Client[] = Array.from({ length: SUBSCRIBERS }, (_, index) =>
    createClient({ url: `${urls[index % urls.length]!.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: TEST_HEADERS.authorization } }),
  );
  const measures: Measured[] = clients.map(() => newMeasure());
  const since = nowMicros();
  /** the paced trainer waits before it writes: lines per second count from the first line received */
  let firstReceived = 0;
  await Promise.all(
    clients.map(
      (client, index) =>
        new Promise<void>((resolve, reject) =>
          client.subscribe<{ runLogs: { data: string } }>({ query: `subscription($id: ID!) { runLogs(runId: $id) { data } }`, variables: { id: runId } }, {
            next: ({ data }) => {
              firstReceived ||= performance.now();
              record(data!.runLogs.data, measures[index]!, since);
              if (measures[index]!.lines >= LINES) resolve();
            },
            error: reject,
            complete: resolve,
          }),
        ),
    ),
  );
  const total: Measured = { ...newMeasure(), seconds: elapsedSeconds(firstReceived) };
  for (const measure of measures) {
    total.lines += measure.lines;
    total.bytes += measure.bytes;
    for (const latency of measure.latenciesMs) total.latenciesMs.push(latency);
  }
  await Promise.all(clients.map((client) => client.dispose()));
  return { subscribers: clients.length, ...summary(total) };
}

async function embeddedFanOut() {
  const app = await startTestApp({ env: { SIDECAR: "embedded", TRAINERS, WORKER_THREADS: "1" } });
  try {
    const runId = await startRun(app, await createDataset(app), CHATTY_MODEL);
    return await fanOut([app.url], runId);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const unavailable = await clusterUnavailable();
  if (unavailable) {
    process.stdout.write(`${JSON.stringify({ benchmark: "cluster mode", skipped: unavailable })}\n`);
    return;
  }
  Object.assign(process.env, { BENCH_LINES: String(LINES), BENCH_LINES_PER_SECOND: String(LINES_PER_SECOND), BENCH_START_DELAY_MS: String(START_DELAY_MS) });
  const cluster = await startCluster({ env: { TRAINERS, WORKER_THREADS: "1", LOG_LEVEL: "warn" } });
  let results: Record<string, unknown>;
  try {
    const replicas = await Promise.all([cluster.startReplica(), cluster.startReplica()]);
    const datasetId = await createDataset(replicas[0]!);
    await warm(await cluster.startSidecar(replicas[0]!, "bench-1"));
    const generationOne = await generationRate(replicas);
    const trainingOne = await trainingRate(replicas, datasetId);
    await warm(await cluster.startSidecar(replicas[1]!, "bench-2"));
    const generationTwo = await generationRate(replicas);
    const trainingTwo = await trainingRate(replicas, datasetId);
    const chattyRun = await startRun(replicas[1]!, datasetId, CHATTY_MODEL);
    const clusterFanOut = await fanOut(replicas.map((replica) => replica.url), chattyRun);
    results = {
      generation: { oneSidecar: generationOne, twoSidecars: generationTwo },
      training: { oneSidecar: trainingOne, twoSidecars: trainingTwo },
      logFanOut: { lines: LINES, twoReplicas: clusterFanOut },
    };
  } finally {
    await cluster.close();
  }
  const embedded = await embeddedFanOut();
  (results.logFanOut as Record<string, unknown>).oneEmbeddedProcess = embedded;
  process.stdout.write(`${JSON.stringify({ benchmark: "cluster mode: 2 API replicas on PostgreSQL + Redis, 1 and 2 sidecars", cores: availableParallelism(), ...results })}\n`);
}

await main();
