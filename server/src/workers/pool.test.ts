import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { MetricSeries } from "../contracts/worker-tasks.js";
import { downsampleSeries } from "./downsample.js";
import { createWorkerPool } from "./pool.js";

const pool = createWorkerPool(1);
afterAll(() => pool.close());

/** A noisy decaying loss with a NaN and a spike, one point every 10 steps. */
function trainingLoss(points: number): MetricSeries {
  const values = Float64Array.from({ length: points }, (_, i) => 2 * Math.exp(-i / (points / 5)) + 0.3 + 0.05 * Math.sin(i * 12.9898));
  values[Math.floor(points / 3)] = Number.NaN;
  values[Math.floor(points / 2)] = 25;
  return {
    steps: Float64Array.from({ length: points }, (_, i) => i * 10),
    values,
    times: Float64Array.from({ length: points }, (_, i) => 1_700_000_000_000 + i * 1_000),
  };
}

function copyOf(series: MetricSeries): MetricSeries {
  return { steps: series.steps.slice(), values: series.values.slice(), times: series.times.slice() };
}

describe("WorkerPool.downsample", () => {
  it("downsamples a large series in a worker exactly as the pure function does, moving its buffers", async () => {
    const series = trainingLoss(100_000);
    const expected = downsampleSeries(copyOf(series), 1_000);
    const completed = pool.stats().completed;

    const result = await pool.downsample(series, 1_000);

    expect(result).toEqual(expected);
    expect(pool.stats().completed).toBe(completed + 1);
    expect(series.values.length).toBe(0); // transferred, not cloned
  });

  it("copies a view into a larger buffer instead of detaching the caller's buffer", async () => {
    const whole = trainingLoss(30_000);
    const view = { steps: whole.steps.subarray(10_000), values: whole.values.subarray(10_000), times: whole.times.subarray(10_000) };

    const result = await pool.downsample(view, 500);

    expect(result).toEqual(downsampleSeries(copyOf(view), 500));
    expect(whole.values.length).toBe(30_000);
  });

  it("downsamples a small series in place, without a thread hop", async () => {
    const series = trainingLoss(5_000);
    const completed = pool.stats().completed;

    expect(await pool.downsample(series, 100)).toEqual(downsampleSeries(series, 100));
    expect(pool.stats().completed).toBe(completed);
    expect(series.values.length).toBe(5_000);
  });

  it("rejects a malformed series before it reaches a worker", async () => {
    const series = trainingLoss(10_000);
    series.steps[42] = 0;
    await expect(pool.downsample(series, 1_000)).rejects.toThrow(/steps must be finite and ascending: step 0 at index 42/);
    await expect(pool.downsample({ ...trainingLoss(10_000), times: new Float64Array(3) }, 1_000)).rejects.toThrow(ZodError);
    await expect(pool.downsample(trainingLoss(10), 1)).rejects.toThrow(ZodError);
  });
});

describe("WorkerPool file tasks beside downsample", () => {
  it("still hashes a file in a worker", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lora-pool-"));
    try {
      const bytes = Buffer.from("adapter weights");
      await writeFile(join(dir, "weights.bin"), bytes);
      expect(await pool.hashFile(join(dir, "weights.bin"))).toEqual({ sizeBytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
