import type { MetricSeries } from "../contracts/worker-tasks.js";

/**
 * Reduces a series to at most `maxPoints` (>= 2) points without losing an extreme, as Weights &
 * Biases does, rather than sampling every k-th point, which misses one-step spikes.
 *
 * - A series that fits is returned unchanged (the same object).
 * - Otherwise the first and last points are always kept, and the step range between them is split
 *   into `floor(maxPoints / 2) - 1` equal-width buckets; each non-empty bucket keeps its minimum
 *   and its maximum value (one point when they coincide). Buckets follow steps, not point counts,
 *   so a zoomed-in step range re-samples into finer buckets of its own.
 * - Non-finite values are extremes too: -Infinity is a minimum, +Infinity a maximum, and a
 *   bucket's first NaN takes the maximum's slot, or the minimum's when only the minimum is
 *   finite, so a bucket keeps two kinds of non-finite value when it has them.
 * - Output steps ascend; ties keep input order. With `maxPoints` < 4 only the endpoints fit.
 */
export function downsampleSeries(series: MetricSeries, maxPoints: number): MetricSeries {
  const { steps, values } = series;
  const count = steps.length;
  if (count <= maxPoints) return series;

  const kept = new Uint32Array(maxPoints);
  let keptCount = 0;
  const keep = (index: number) => {
    // Buckets visit indices in ascending order, so a repeat can only be the last one kept.
    if (keptCount === 0 || index > kept[keptCount - 1]!) kept[keptCount++] = index;
  };

  keep(0);
  const buckets = Math.floor(maxPoints / 2) - 1;
  const first = steps[0]!;
  const span = steps[count - 1]! - first;
  let start = 0;
  while (buckets > 0 && start < count) {
    const bucket = bucketOf(steps[start]!, first, span, buckets);
    let end = start + 1;
    while (end < count && bucketOf(steps[end]!, first, span, buckets) === bucket) end++;
    const [a, b] = bucketExtremes(values, start, end);
    keep(Math.min(a, b));
    keep(Math.max(a, b));
    start = end;
  }
  keep(count - 1);
  return pick(series, kept.subarray(0, keptCount));
}

function bucketOf(step: number, first: number, span: number, buckets: number): number {
  return span > 0 ? Math.min(buckets - 1, Math.floor(((step - first) / span) * buckets)) : 0;
}

/** Indices of the minimum and maximum of values[start, end), non-finite values first. */
function bucketExtremes(values: Float64Array, start: number, end: number): [number, number] {
  let min = start;
  let max = start;
  let nan = -1;
  for (let i = start; i < end; i++) {
    const value = values[i]!;
    if (Number.isNaN(value)) {
      if (nan < 0) nan = i;
    } else {
      if (value < values[min]! || Number.isNaN(values[min]!)) min = i;
      if (value > values[max]! || Number.isNaN(values[max]!)) max = i;
    }
  }
  if (nan < 0) return [min, max];
  return Number.isFinite(values[min]!) && !Number.isFinite(values[max]!) ? [nan, max] : [min, nan];
}

function pick(series: MetricSeries, indices: Uint32Array): MetricSeries {
  const steps = new Float64Array(indices.length);
  const values = new Float64Array(indices.length);
  const times = new Float64Array(indices.length);
  indices.forEach((index, i) => {
    steps[i] = series.steps[index]!;
    values[i] = series.values[index]!;
    times[i] = series.times[index]!;
  });
  return { steps, values, times };
}
