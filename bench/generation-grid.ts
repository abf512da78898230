// A weight × seed grid of 100 cells on the built-in model against the same 100 jobs asked one createGenerationJob at a
// time: the wall time from the first request to the last job's end, and how long the requests themselves took, the
// two interleaved in one run of the API with its embedded sidecar.
// Usage: pnpm bench:generation-grid   (BENCH_REPEATS=... measurements of each)
import { availableParallelism } from "node:os";
import { connectedSidecar, createJob, registerTunesAdapter } from "../server/test/generation-fixtures.js";
import { startTestApp, type TestApp } from "../server/test/harness.js";
import { percentile, round } from "./percentiles.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const MODEL = "tunes-s";
const PROMPT = "a gentle waltz in C major";
const MELODY_SECONDS = 2;
const WEIGHTS = [0.2, 0.6, 1, 1.4, 1.8];
const SEEDS = Array.from({ length: 10 }, (_, index) => index + 1);

interface Measured {
  /** the first request sent until the last job ended */
  wallMs: number;
  /** the first request sent until the last one was answered */
  requestsMs: number;
}

async function main(): Promise<void> {
  const app = await startTestApp({ env: { SIDECAR: "embedded" } });
  try {
    const sidecar = await connectedSidecar(app);
    const adapters = [await registerTunesAdapter(app, "grid-bench-a", { seed: 1 }), await registerTunesAdapter(app, "grid-bench-b", { seed: 2 })];
    const settings = { prompt: PROMPT, baseModelId: MODEL, durationSeconds: MELODY_SECONDS, samples: 1 };
    const grid = () => measured(app, async () => [...(await createGrid(app, { ...settings, adapters: adapters.map((adapterId) => ({ adapterId })), weights: WEIGHTS, seeds: SEEDS }))]);
    const singles = () =>
      measured(app, async () => {
        const ids: string[] = [];
        for (const adapterId of adapters) {
          for (const weight of WEIGHTS) for (const seed of SEEDS) ids.push(await createJob(app, { ...settings, adapters: [{ adapterId, weight }], seed }));
        }
        return ids;
      });
    // unmeasured: the sidecar's inference workers and the API's rendering workers started
    await singles();
    const runs = { grid: [] as Measured[], singles: [] as Measured[] };
    for (let repeat = 0; repeat < REPEATS; repeat += 1) {
      runs.grid.push(await grid());
      runs.singles.push(await singles());
    }
    const summary = (series: Measured[]) => ({
      wallMsMedian: round(percentile(series.map((run) => run.wallMs), 50)),
      requestsMsMedian: round(percentile(series.map((run) => run.requestsMs), 50)),
      wallMs: series.map((run) => round(run.wallMs)),
    });
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "a 100-cell weight × seed grid on the built-in model (createGenerationGrid) vs the same 100 jobs by createGenerationJob one after another",
        model: MODEL,
        cells: adapters.length * WEIGHTS.length * SEEDS.length,
        melodySeconds: MELODY_SECONDS,
        executionProviders: sidecar.executionProviders,
        cpus: availableParallelism(),
        repeats: REPEATS,
        grid: summary(runs.grid),
        singleJobs: summary(runs.singles),
        notes: "wallMs: the first request sent until the last of the 100 jobs ended (the API's own generationEnded event); requestsMs: until the last request was answered; the two interleaved",
      }, null, 2)}\n`,
    );
  } finally {
    await app.close();
  }
}

/** Runs `start` (which asks for the jobs and returns their ids) and waits for every one of them to end. */
async function measured(app: TestApp, start: () => Promise<string[]>): Promise<Measured> {
  const ended = new Set<string>();
  let asked: string[] | null = null;
  const allEnded = () => asked !== null && asked.every((id) => ended.has(id));
  const endings = app.deps.events.subscribe("generationEnded")[Symbol.asyncIterator]();
  // listening from before the first request: a job may end before the last one is answered
  const following = (async () => {
    while (!allEnded()) {
      const { value, done } = await endings.next();
      if (done) return;
      ended.add(value.id);
    }
  })();
  const started = performance.now();
  asked = await start();
  const requestsMs = performance.now() - started;
  if (!allEnded()) await following;
  const wallMs = performance.now() - started;
  await endings.return?.();
  const failed = await app.deps.db.prisma.generationJob.count({ where: { id: { in: asked }, status: { not: "DONE" } } });
  if (failed > 0) throw new Error(`${failed} of the ${asked.length} jobs did not finish`);
  return { wallMs, requestsMs };
}

/** createGenerationGrid, expecting it to be accepted; returns its jobs' ids. */
async function createGrid(app: TestApp, input: Record<string, unknown>): Promise<string[]> {
  const { data, errors } = await app.gql(`mutation ($input: CreateGenerationGridInput!) { createGenerationGrid(input: $input) { __typename ... on Error { message } ... on CreateGenerationGridSuccess { grid { id } } } }`, { input });
  const result = data?.createGenerationGrid;
  if (errors || result?.__typename !== "CreateGenerationGridSuccess") throw new Error(`the grid was refused: ${JSON.stringify(errors ?? result)}`);
  const jobs = await app.deps.db.prisma.generationJob.findMany({ where: { gridId: result.grid.id }, select: { id: true } });
  return jobs.map((job) => job.id);
}

await main();
