// Downsampling a 100,000-point training loss to 1,000 points: in-thread and through the worker pool.
// Usage: cd server && npx tsx ../bench/downsample-metrics.ts   (BENCH_POINTS, BENCH_MAX_POINTS, BENCH_RUNS to change it)
import { performance } from "node:perf_hooks";
import type { MetricSeries } from "../server/src/contracts/worker-tasks.js";
import { downsampleSeries } from "../server/src/workers/downsample.js";
import { createWorkerPool } from "../server/src/workers/pool.js";

const POINTS = Number(process.env.BENCH_POINTS ?? 100_000);
const MAX_POINTS = Number(process.env.BENCH_MAX_POINTS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 5;

/** A noisy decaying loss logged every 4 steps, with a spike every 1,750 points and one NaN: the points a chart must not lose. */
function trainingLoss(points: number): { series: MetricSeries; anomalySteps: number[] } {
  let seed = 7;
  const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
  const values = Float64Array.from({ length: points }, (_, i) => 2.5 * Math.exp(-i / (points / 4)) + 0.25 + (random() - 0.5) * 0.2);
  const anomalies = Array.from({ length: Math.floor((points - 1) / 1_750) }, (_, k) => (k + 1) * 1_750);
  for (const i of anomalies) values[i] = values[i]! * (3 + 5 * random());
  const nan = Math.floor(points * 0.8) + 1;
  values[nan] = Number.NaN;
  const steps = Float64Array.from({ length: points }, (_, i) => i * 4);
  return {
    series: { steps, values, times: Float64Array.from({ length: points }, (_, i) => 1_700_000_000_000 + i * 900) },
    anomalySteps: [...anomalies, nan].map((i) => steps[i]!),
  };
}

function copyOf(series: MetricSeries): MetricSeries {
  return { steps: series.steps.slice(), values: series.values.slice(), times: series.times.slice() };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Median ms of `run` over RUNS runs after WARMUP; each run gets a fresh copy, since the pool takes ownership. */
async function measure(source: MetricSeries, run: (series: MetricSeries) => MetricSeries | Promise<MetricSeries>): Promise<number> {
  const timings: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const series = copyOf(source);
    const t0 = performance.now();
    await run(series);
    if (i >= WARMUP) timings.push(performance.now() - t0);
  }
  return median(timings);
}

async function main(): Promise<void> {
  const pool = createWorkerPool(1);
  try {
    const { series: source, anomalySteps } = trainingLoss(POINTS);
    const expected = downsampleSeries(source, MAX_POINTS);
    const pooled = await pool.downsample(copyOf(source), MAX_POINTS);
    if (JSON.stringify(Array.from(pooled.steps)) !== JSON.stringify(Array.from(expected.steps))) throw new Error("the pool and the pure function kept different points");
    const keptSteps = new Set(expected.steps);
    const inThreadMs = await measure(source, (series) => downsampleSeries(series, MAX_POINTS));
    const poolMs = await measure(source, (series) => pool.downsample(series, MAX_POINTS));
    process.stdout.write(`${JSON.stringify({
      benchmark: "downsample a training loss keeping every bucket's min and max",
      points: POINTS, maxPoints: MAX_POINTS, keptPoints: expected.steps.length, runs: RUNS,
      spikesAndNaN: anomalySteps.length, spikesAndNaNKept: anomalySteps.filter((step) => keptSteps.has(step)).length,
      inThreadMs: +inThreadMs.toFixed(3), poolMs: +poolMs.toFixed(3), poolOverheadMs: +(poolMs - inThreadMs).toFixed(3),
    })}\n`);
  } finally {
    await pool.close();
  }
}

await main();
