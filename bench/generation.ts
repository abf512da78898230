// Generation through the whole path: createGenerationJob -> the API's queue -> the embedded sidecar's warm inference
// workers (onnxruntime, adapters as rank-concatenated LoRA inputs) -> finishGeneration (WAV and MIDI rendered, scored,
// stored) -> the end of the generationProgress subscription. Prints, for each built-in model, the latency of one
// 10-second melody with 0, 1 and 5 adapters measured in the same run (interleaved, ratios to 0), and the samples per
// second of 4 concurrent jobs, and the API's event-loop delay while it stores a job of 8 30-second melodies.
// Usage: pnpm bench:generation   (BENCH_REPEATS=... latency measurements per variant)
import { availableParallelism } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { STEP_SECONDS, stepsPerBar } from "../server/src/ml/melody.js";
import { createRandom } from "../server/src/ml/random.js";
import { generateMelody, styleById } from "../server/src/ml/styles.js";
import { connectedSidecar, createJob, jobView, progressOf, registerTunesAdapter } from "../server/test/generation-fixtures.js";
import { startTestApp, type TestApp } from "../server/test/harness.js";
import { percentile, round } from "./percentiles.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const MODELS = ["tunes-s", "tunes-m"] as const;
const ADAPTER_COUNTS = [0, 1, 5] as const;
const MELODY_SECONDS = 10;
const CONCURRENT_JOBS = 4;
const SAMPLES_PER_JOB = 4;
const THROUGHPUT_ROUNDS = 3;
const PROMPT = "a gentle waltz in C major";
const STORED_JOBS = 5;
const STORED_SAMPLES = 8;
const STORED_MELODY_SECONDS = 30;
const STORED_STYLE = "minor-ballad";


async function main(): Promise<void> {
  const app = await startTestApp({ env: { SIDECAR: "embedded" } });
  const ws = createClient({ url: `${app.url.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    const sidecar = await connectedSidecar(app);
    const latency: Record<string, unknown> = {};
    let throughputAdapter = "";
    for (const model of MODELS) {
      const adapters: string[] = [];
      for (let seed = 1; seed <= 5; seed += 1) adapters.push(await registerTunesAdapter(app, `${model}-bench-${seed}`, { baseModel: model, seed, rank: 8, alpha: 16 }));
      if (model === "tunes-s") throughputAdapter = adapters[0]!;
      const input = (count: number, seed: number) => ({
        prompt: PROMPT, baseModelId: model, durationSeconds: MELODY_SECONDS, samples: 1, seed,
        adapters: adapters.slice(0, count).map((adapterId) => ({ adapterId, weight: 0.8 })),
      });
      for (const count of ADAPTER_COUNTS) await run(app, ws, input(count, 0));
      const endToEnd = new Map<number, number[]>(ADAPTER_COUNTS.map((count) => [count, []]));
      const execution = new Map<number, number[]>(ADAPTER_COUNTS.map((count) => [count, []]));
      const lengths = new Map<number, number[]>(ADAPTER_COUNTS.map((count) => [count, []]));
      for (let repeat = 1; repeat <= REPEATS; repeat += 1) {
        for (const count of ADAPTER_COUNTS) {
          const measured = await run(app, ws, input(count, repeat));
          endToEnd.get(count)!.push(measured.endToEndMs);
          execution.get(count)!.push(measured.executionMs);
          lengths.get(count)!.push(measured.seconds);
        }
      }
      const median = (series: Map<number, number[]>, count: number) => percentile(series.get(count)!, 50);
      latency[model] = Object.fromEntries(
        ADAPTER_COUNTS.map((count) => [
          `adapters${count}`,
          {
            endToEndMsMedian: round(median(endToEnd, count)),
            endToEndMsP90: round(percentile(endToEnd.get(count)!, 90)),
            executionMsMedian: round(median(execution, count)),
            ratioToBase: round(median(endToEnd, count) / median(endToEnd, 0), 2),
            meanSecondsGenerated: round(lengths.get(count)!.reduce((sum, seconds) => sum + seconds, 0) / REPEATS, 2),
          },
        ]),
      );
    }
    const throughput = await samplesPerSecond(app, ws, throughputAdapter);
    const storing = await eventLoopDelayWhileStoring();
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "generation through the API and its embedded sidecar: one 10-second melody with 0, 1 and 5 adapters; samples per second of 4 concurrent jobs; the API's event-loop delay while it stores a job of 8 30-second melodies",
        executionProviders: sidecar.executionProviders,
        cpus: availableParallelism(),
        melodySeconds: MELODY_SECONDS,
        repeats: REPEATS,
        latency,
        notes:
          "endToEnd: createGenerationJob sent until generationProgress ended; execution: the job's startedAt to finishedAt (sampling, reporting, rendering, storing); ratioToBase: endToEnd medians; meanSecondsGenerated: a melody is cut short where the model samples its end token",
        throughput,
        storing,
      }, null, 2)}\n`,
    );
  } finally {
    await ws.dispose();
    await app.close();
  }
}

interface Measured {
  endToEndMs: number;
  executionMs: number;
  samples: number;
  /** the melodies' length: a melody ends early where the model samples its end token */
  seconds: number;
}

async function run(app: TestApp, ws: ReturnType<typeof createClient>, input: Record<string, unknown>): Promise<Measured> {
  const started = performance.now();
  const id = await createJob(app, input);
  await progressOf(ws, id);
  const endToEndMs = performance.now() - started;
  const job = await jobView(app, id);
  if (job.status !== "DONE") throw new Error(`job ${id} ${job.status}: ${job.error}`);
  const executionMs = Date.parse(job.finishedAt as string) - Date.parse(job.startedAt as string);
  return { endToEndMs, executionMs, samples: job.samples.length, seconds: job.samples.reduce((sum, sample) => sum + sample.durationSeconds, 0) };
}

/** CONCURRENT_JOBS jobs of SAMPLES_PER_JOB 10-second melodies with one adapter, started together, THROUGHPUT_ROUNDS times. */
async function samplesPerSecond(app: TestApp, ws: ReturnType<typeof createClient>, adapterId: string) {
  const oneRound = async (roundIndex: number) => {
    const jobs = Array.from({ length: CONCURRENT_JOBS }, (_, index) =>
      run(app, ws, { prompt: PROMPT, baseModelId: "tunes-s", durationSeconds: MELODY_SECONDS, samples: SAMPLES_PER_JOB, seed: 100 * roundIndex + index, adapters: [{ adapterId, weight: 1 }] }),
    );
    return (await Promise.all(jobs)).reduce((sum, job) => sum + job.samples, 0);
  };
  // unmeasured: every worker thread the rounds use (inference in the sidecar, rendering in the API) is started first
  await oneRound(THROUGHPUT_ROUNDS);
  let samples = 0;
  const started = performance.now();
  for (let roundIndex = 0; roundIndex < THROUGHPUT_ROUNDS; roundIndex += 1) samples += await oneRound(roundIndex);
  const seconds = (performance.now() - started) / 1000;
  return { model: "tunes-s", concurrentJobs: CONCURRENT_JOBS, samplesPerJob: SAMPLES_PER_JOB, adaptersPerJob: 1, samples, seconds: round(seconds, 2), samplesPerSecond: round(samples / seconds) };
}

/**
 * The API's event-loop delay (what every other request and subscription waits) while finishGeneration stores a job of
 * STORED_SAMPLES 30-second melodies: WAV and MIDI rendered and written, scored, stored. A sidecar-less app, with the
 * bench reporting as the sidecar would, so that every job has the same melodies' worth of work.
 */
async function eventLoopDelayWhileStoring() {
  const app = await startTestApp();
  const asSidecar = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${app.deps.config.sidecarToken}` },
      body: JSON.stringify({ query, variables }),
    });
    const { data, errors } = (await response.json()) as { data?: any; errors?: unknown };
    if (errors) throw new Error(JSON.stringify(errors));
    return data;
  };
  try {
    const { registerSidecar } = await asSidecar(`mutation ($input: RegisterSidecarInput!) { registerSidecar(input: $input) { id } }`, {
      input: { name: "bench", executionProviders: ["cpu"], baseModels: ["tunes-m"], trainers: [], concurrency: 1 },
    });
    const bars = STORED_MELODY_SECONDS / (stepsPerBar(styleById(STORED_STYLE).meter) * STEP_SECONDS);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const storeMs: number[] = [];
    for (let jobIndex = 0; jobIndex < STORED_JOBS; jobIndex += 1) {
      const id = await createJob(app, { prompt: "a slow ballad", baseModelId: "tunes-m", durationSeconds: STORED_MELODY_SECONDS, samples: STORED_SAMPLES, seed: jobIndex });
      if (!(await app.deps.services.generation.dispatch(id, registerSidecar.id))) throw new Error(`job ${id} could not be dispatched`);
      const random = createRandom(jobIndex);
      const melodies = Array.from({ length: STORED_SAMPLES }, () => generateMelody(STORED_STYLE, random, { bars }));
      delay.enable();
      const started = performance.now();
      const { finishGeneration } = await asSidecar(`mutation ($input: FinishGenerationInput!) { finishGeneration(input: $input) { status error } }`, { input: { jobId: id, melodies } });
      storeMs.push(performance.now() - started);
      delay.disable();
      if (finishGeneration.status !== "DONE") throw new Error(`job ${id} ${finishGeneration.status}: ${finishGeneration.error}`);
    }
    const ms = (nanoseconds: number) => round(nanoseconds / 1e6);
    return {
      jobs: STORED_JOBS,
      samplesPerJob: STORED_SAMPLES,
      melodySeconds: STORED_MELODY_SECONDS,
      storeMsMedian: round(percentile(storeMs, 50)),
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      notes: "finishGeneration sent until answered; the delay is sampled every 1 ms on the API's event loop during those requests only",
    };
  } finally {
    await app.close();
  }
}

await main();
