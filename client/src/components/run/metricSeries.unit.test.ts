import { describe, expect, test } from "vitest";
import {
  chartPoints,
  curveDatasets,
  defaultMetric,
  interruptionNote,
  mergeMetricBatch,
  metricLabel,
  prefersLogScale,
  resumeAfterStep,
  RUN_COLORS,
  stepRange,
  withNewerPoints,
  type SeriesByName,
} from "./metricSeries";

const T = "2026-01-01T10:00:00.000Z";
const point = (step: number, value: number) => ({ step, value, time: T });

test("metricLabel names known metrics and spells out the others", () => {
  expect(metricLabel("loss")).toBe("Training loss");
  expect(metricLabel("lr")).toBe("Learning rate");
  expect(metricLabel("in_scale_ratio")).toBe("In scale ratio");
});

test("the learning rate reads on a log axis by default", () => {
  expect(prefersLogScale("lr")).toBe(true);
  expect(prefersLogScale("loss")).toBe(false);
});

test("defaultMetric prefers the loss", () => {
  expect(defaultMetric(["eval_loss", "loss", "lr"])).toBe("loss");
  expect(defaultMetric(["lr"])).toBe("lr");
  expect(defaultMetric([])).toBeNull();
});

describe("mergeMetricBatch", () => {
  const series: SeriesByName = { loss: [point(1, 2), point(2, 1.5)], eval_loss: [point(2, 1.9)] };

  test("appends new steps and starts series it has not seen", () => {
    const merged = mergeMetricBatch(series, [
      { name: "loss", ...point(3, 1.2) },
      { name: "lr", ...point(3, 0.001) },
    ]);
    expect(merged.loss!.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(merged.lr).toEqual([point(3, 0.001)]);
    expect(merged.eval_loss).toBe(series.eval_loss);
  });

  test("skips points a series already has, and leaves the input alone", () => {
    const merged = mergeMetricBatch(series, [{ name: "loss", ...point(2, 9) }]);
    expect(merged.loss).toEqual([point(1, 2), point(2, 1.5)]);
    expect(series.loss).toHaveLength(2);
  });
});

test("withNewerPoints keeps what streamed in beyond a fresh read", () => {
  const read = { loss: [point(1, 2), point(50, 1)] };
  const current = { loss: [point(1, 2), point(2, 1.9), point(50, 1), point(51, 0.9)], lr: [point(51, 0.001)] };
  expect(withNewerPoints(read, current)).toEqual({ loss: [point(1, 2), point(50, 1), point(51, 0.9)], lr: [point(51, 0.001)] });
});

test("resumeAfterStep resumes after the series that is furthest behind", () => {
  expect(resumeAfterStep({ loss: [point(1, 2), point(40, 1)], eval_loss: [point(20, 1.4)] })).toBe(20);
  expect(resumeAfterStep({ loss: [] })).toBe(-1);
  expect(resumeAfterStep({})).toBe(-1);
});

test("stepRange widens a zoomed axis to whole steps", () => {
  expect(stepRange(12.4, 57.2)).toEqual({ fromStep: 12, toStep: 58 });
  expect(stepRange(-3, 10)).toEqual({ fromStep: 0, toStep: 10 });
});

test("chartPoints leaves out values a log axis cannot show", () => {
  const points = [point(1, 0), point(2, 0.5)];
  expect(chartPoints(points, false)).toEqual([
    { x: 1, y: 0, time: T },
    { x: 2, y: 0.5, time: T },
  ]);
  expect(chartPoints(points, true)).toEqual([{ x: 2, y: 0.5, time: T }]);
});

test("interruptionNote says where a failed or cancelled run stopped", () => {
  expect(interruptionNote("CANCELLED", [point(1, 2), point(37, 1)])).toBe("Cancelled at step 37");
  expect(interruptionNote("FAILED", [])).toBeNull();
  expect(interruptionNote("COMPLETED", [point(60, 1)])).toBeNull();
});

test("curveDatasets gives each run its colour and a legend with its final value", () => {
  const datasets = curveDatasets(
    [
      { runId: "a", runName: "run-1", points: [point(1, 2)], final: 0.81234 },
      { runId: "b", runName: "run-2", points: [], final: null },
    ],
    false,
  );
  expect(datasets.map((dataset) => dataset.label)).toEqual(["run-1 · 0.8123", "run-2 · no data"]);
  expect(datasets.map((dataset) => dataset.borderColor)).toEqual([RUN_COLORS[0], RUN_COLORS[1]]);
});
