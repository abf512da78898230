import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MetricSeries } from "../contracts/worker-tasks.js";
import { downsampleSeries } from "./downsample.js";

const POINTS = 100_000;

function seriesOf(values: number[], steps = values.map((_, i) => i)): MetricSeries {
  return {
    steps: Float64Array.from(steps),
    values: Float64Array.from(values),
    times: Float64Array.from(steps, (step) => 1_700_000_000_000 + step * 250),
  };
}

/** A decaying, noisy loss; deterministic so a failure reproduces. */
function lossCurve(points: number): number[] {
  let seed = 42;
  const noise = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.1;
  return Array.from({ length: points }, (_, i) => 2 * Math.exp(-i / 20_000) + 0.3 + noise());
}

function pointsOf(series: MetricSeries): Array<[number, number, number]> {
  return Array.from(series.steps, (step, i) => [step, series.values[i]!, series.times[i]!]);
}

/** Every output point is an input point, in input order. */
function isSubsequence(output: MetricSeries, input: MetricSeries): boolean {
  let j = 0;
  for (const [step, value, time] of pointsOf(output)) {
    while (j < input.steps.length && !(input.steps[j] === step && Object.is(input.values[j], value) && input.times[j] === time)) j++;
    if (j++ === input.steps.length) return false;
  }
  return true;
}

function expectWellFormed(output: MetricSeries, input: MetricSeries, maxPoints: number): void {
  const n = input.steps.length;
  expect(output.steps.length).toBeLessThanOrEqual(maxPoints);
  expect(output.values.length).toBe(output.steps.length);
  expect(output.times.length).toBe(output.steps.length);
  expect(isSubsequence(output, input)).toBe(true);
  expect(pointsOf(output)[0]).toEqual(pointsOf(input)[0]);
  expect(pointsOf(output).at(-1)).toEqual(pointsOf(input)[n - 1]);
}

describe("downsampleSeries", () => {
  it("returns a series that already fits unchanged", () => {
    const series = seriesOf([3, 1, 2]);
    expect(downsampleSeries(series, 3)).toBe(series);
    const empty = seriesOf([]);
    expect(downsampleSeries(empty, 2)).toBe(empty);
  });

  it("keeps the first and last points, the global extremes and ascending steps within maxPoints", () => {
    const input = seriesOf(lossCurve(POINTS));
    const output = downsampleSeries(input, 1_000);
    expectWellFormed(output, input, 1_000);
    expect(output.steps.length).toBeGreaterThan(900);
    expect(Math.min(...output.values)).toBe(Math.min(...input.values));
    expect(Math.max(...output.values)).toBe(Math.max(...input.values));
  });

  it("keeps a one-step spike and a one-step dip among 100,000 points", () => {
    const values = lossCurve(POINTS);
    values[61_234] = 40;
    values[61_240] = -3;
    const output = downsampleSeries(seriesOf(values), 1_000);
    expect(pointsOf(output)).toContainEqual([61_234, 40, 1_700_000_000_000 + 61_234 * 250]);
    expect(pointsOf(output)).toContainEqual([61_240, -3, 1_700_000_000_000 + 61_240 * 250]);
  });

  it("keeps NaN and infinite values, even two kinds in one bucket", () => {
    const values = lossCurve(POINTS);
    values[10_000] = Number.NaN;
    values[50_000] = Number.POSITIVE_INFINITY;
    values[50_001] = Number.NaN;
    values[90_000] = Number.NEGATIVE_INFINITY;
    const output = downsampleSeries(seriesOf(values), 1_000);
    const kept = new Map(pointsOf(output).map(([step, value]) => [step, value]));
    expect(kept.get(10_000)).toBeNaN();
    expect(kept.get(50_000)).toBe(Number.POSITIVE_INFINITY);
    expect(kept.get(50_001)).toBeNaN();
    expect(kept.get(90_000)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("splits the step range, not the point count, so sparse stretches keep their share", () => {
    // 9,000 points crowd steps 0..8,999; 1,000 more spread over steps 9,000..99,000.
    const steps = [...Array.from({ length: 9_000 }, (_, i) => i), ...Array.from({ length: 1_000 }, (_, i) => 9_000 + i * 90)];
    const output = downsampleSeries(seriesOf(lossCurve(steps.length), steps), 22);
    // 10 buckets of 9,900 steps: the nine beyond step 9,900 keep a minimum and a maximum each
    // (buckets of 1,000 points would have left that stretch one bucket, at most three points).
    expect(Array.from(output.steps).filter((step) => step >= 9_900).length).toBeGreaterThanOrEqual(18);
  });

  it("keeps only the endpoints when maxPoints leaves no room for a bucket", () => {
    const input = seriesOf([5, 9, 1, 7, 3]);
    expect(pointsOf(downsampleSeries(input, 2))).toEqual([pointsOf(input)[0], pointsOf(input)[4]]);
    expect(downsampleSeries(input, 3).steps).toEqual(Float64Array.from([0, 4]));
  });

  it("handles repeated steps, including a series logged at one step only", () => {
    const input = seriesOf([4, 8, 1, 6, 2], [7, 7, 7, 7, 7]);
    expect(pointsOf(downsampleSeries(input, 4))).toEqual([[7, 4, input.times[0]], [7, 8, input.times[1]], [7, 1, input.times[2]], [7, 2, input.times[4]]]);
  });

  describe("properties", () => {
    const seriesArb = (value: fc.Arbitrary<number>) =>
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: 3 }), value), { maxLength: 300 })
        .map((points) => {
          let step = 0;
          return seriesOf(
            points.map(([, v]) => v),
            points.map(([gap]) => (step += gap)),
          );
        });
    const maxPointsArb = fc.integer({ min: 2, max: 60 });

    it("stays within maxPoints, keeps the endpoints and only ever drops points", () => {
      fc.assert(
        fc.property(seriesArb(fc.double()), maxPointsArb, (input, maxPoints) => {
          const output = downsampleSeries(input, maxPoints);
          if (input.steps.length <= maxPoints) expect(output).toBe(input);
          else expectWellFormed(output, input, maxPoints);
        }),
      );
    });

    it("keeps the global minimum and maximum of finite values", () => {
      fc.assert(
        fc.property(seriesArb(fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v + 0 /* -0 ties with 0 */)), fc.integer({ min: 4, max: 60 }), (input, maxPoints) => {
          fc.pre(input.steps.length > 0);
          const output = downsampleSeries(input, maxPoints);
          expect(Math.min(...output.values)).toBe(Math.min(...input.values));
          expect(Math.max(...output.values)).toBe(Math.max(...input.values));
        }),
      );
    });

    it("shows a non-finite value whenever the input has one", () => {
      fc.assert(
        fc.property(seriesArb(fc.double()), fc.integer({ min: 4, max: 60 }), (input, maxPoints) => {
          const hasNonFinite = (series: MetricSeries) => series.values.some((value) => !Number.isFinite(value));
          expect(hasNonFinite(downsampleSeries(input, maxPoints))).toBe(hasNonFinite(input));
        }),
      );
    });
  });
});
