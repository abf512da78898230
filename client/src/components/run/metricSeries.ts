/** Metric series of runs as charts show them: names in words, live batches merged, curves and legends. */
import type { RunStatus } from "../../gql/graphql";
import { formatMetricValue } from "../../utils/format";
import { labelFromKey } from "../adapter/trainingParameters";

export interface MetricPointLike {
  step: number;
  value: number;
  time: string;
}

export interface NamedMetricPoint extends MetricPointLike {
  name: string;
}

/** Each metric's points by name, in step order. */
export type SeriesByName = Readonly<Record<string, readonly MetricPointLike[]>>;

export const LOSS_METRIC = "loss";

const METRIC_LABELS: Record<string, string> = {
  loss: "Training loss",
  eval_loss: "Eval loss",
  lr: "Learning rate",
  grad_norm: "Gradient norm",
  steps_per_second: "Steps per second",
};

/** Metrics that span orders of magnitude (a warmup, a decaying schedule) and read best on a log axis. */
const LOG_SCALE_METRICS: ReadonlySet<string> = new Set(["lr"]);

/** "eval_loss" -> "Eval loss": the axis title and selector label of a metric. */
export function metricLabel(name: string): string {
  return METRIC_LABELS[name] ?? labelFromKey(name);
}

export function prefersLogScale(name: string): boolean {
  return LOG_SCALE_METRICS.has(name);
}

/** The loss when the run has one, else its first metric; null without metrics. */
export function defaultMetric(names: readonly string[]): string | null {
  return names.includes(LOSS_METRIC) ? LOSS_METRIC : (names[0] ?? null);
}

/**
 * The series with a live batch appended. A point at or before its series' last step was already
 * there (the stream resumes a little early, see resumeAfterStep) and is skipped.
 */
export function mergeMetricBatch(series: SeriesByName, batch: readonly NamedMetricPoint[]): SeriesByName {
  const merged: Record<string, MetricPointLike[]> = {};
  for (const point of batch) {
    const points = (merged[point.name] ??= [...(series[point.name] ?? [])]);
    const last = points[points.length - 1];
    if (!last || point.step > last.step) points.push({ step: point.step, value: point.value, time: point.time });
  }
  return { ...series, ...merged };
}

/**
 * A fresh read from the server with what `current` has beyond it: points that streamed in while the
 * read was on its way are kept, not dropped.
 */
export function withNewerPoints(read: SeriesByName, current: SeriesByName): SeriesByName {
  const points = Object.entries(current).flatMap(([name, series]) => series.map((point) => ({ name, ...point })));
  return mergeMetricBatch(read, points);
}

/**
 * Where the live stream resumes: after the smallest last step among the series, so that a metric
 * reported later than another at the same step (eval_loss after loss) is not missed; -1 with none.
 */
export function resumeAfterStep(series: SeriesByName): number {
  const lastSteps = Object.values(series).flatMap((points) => (points.length > 0 ? [points[points.length - 1]!.step] : []));
  return lastSteps.length > 0 ? Math.min(...lastSteps) : -1;
}

/** A zoomed axis as whole steps to ask the server for. */
export function stepRange(min: number, max: number): { fromStep: number; toStep: number } {
  return { fromStep: Math.max(0, Math.floor(min)), toStep: Math.ceil(max) };
}

export function finalValue(points: readonly MetricPointLike[]): number | null {
  return points[points.length - 1]?.value ?? null;
}

export interface ChartPoint {
  x: number;
  y: number;
  time: string;
}

/** Points for a line chart; a log axis cannot show zero or negative values, so those are left out there. */
export function chartPoints(points: readonly MetricPointLike[], logScale: boolean): ChartPoint[] {
  return points.filter((point) => !logScale || point.value > 0).map((point) => ({ x: point.step, y: point.value, time: point.time }));
}

const INTERRUPTED: Partial<Record<RunStatus, string>> = { FAILED: "Failed", CANCELLED: "Cancelled" };

/** "Cancelled at step 37": where an interrupted run's curve ends; null for other runs. */
export function interruptionNote(status: RunStatus, points: readonly MetricPointLike[]): string | null {
  const verb = INTERRUPTED[status];
  const last = points[points.length - 1];
  return verb && last ? `${verb} at step ${last.step}` : null;
}

/** Distinct colours for up to five overlaid runs, in the order they were chosen. */
export const RUN_COLORS = ["#2080f0", "#e07b00", "#18a058", "#d03050", "#7c4dff"] as const;

export interface RunCurve {
  runId: string;
  runName: string;
  points: readonly MetricPointLike[];
  /** the metric's last value over the whole run, whatever range is shown */
  final: number | null;
}

export interface CurveDataset {
  /** the run or metric, for tooltips */
  name: string;
  /** the legend entry */
  label: string;
  data: ChartPoint[];
  borderColor: string;
  backgroundColor: string;
}

/** "run-2 · 0.8123": a legend entry naming the run and its final value. */
export function curveLabel(runName: string, final: number | null): string {
  return `${runName} · ${final === null ? "no data" : formatMetricValue(final)}`;
}

export function curveDatasets(curves: readonly RunCurve[], logScale: boolean): CurveDataset[] {
  return curves.map((curve, index) => {
    const color = RUN_COLORS[index % RUN_COLORS.length]!;
    return {
      name: curve.runName,
      label: curveLabel(curve.runName, curve.final),
      data: chartPoints(curve.points, logScale),
      borderColor: color,
      backgroundColor: color,
    };
  });
}

/** One run's curve of one metric. */
export function metricDataset(metric: string, points: readonly MetricPointLike[], logScale: boolean): CurveDataset {
  const color = RUN_COLORS[0];
  return { name: metricLabel(metric), label: metricLabel(metric), data: chartPoints(points, logScale), borderColor: color, backgroundColor: color };
}
