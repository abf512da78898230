import { computed, ref, shallowRef } from "vue";
import { useClientHandle } from "@urql/vue";
import {
  mergeMetricBatch,
  resumeAfterStep,
  withNewerPoints,
  type MetricPointLike,
  type NamedMetricPoint,
  type SeriesByName,
} from "../components/run/metricSeries";
import { graphql } from "../gql/gql";
import { bufferedStream, storedThenLive, useRunSession } from "./liveRunSession";
import { CHART_MAX_POINTS, fetchRunMetrics } from "./runMetricQueries";

const RunMetricStreamDocument = graphql(`
  subscription RunMetricStream($runId: ID!, $afterStep: Int!) {
    runMetrics(runId: $runId, afterStep: $afterStep) {
      name
      step
      value
      time
    }
  }
`);

/** A live run's chart moves this often: points stream in all the time, the chart redraws on this beat. */
export const LIVE_METRICS_FLUSH_MS = 4000;
/** Streamed points are kept as they come until a series is this long; then the server downsamples it again. */
export const RESAMPLE_AFTER_POINTS = 4 * CHART_MAX_POINTS;

export interface StepRange {
  fromStep: number;
  toStep: number;
}

interface ZoomedSeries {
  metric: string;
  range: StepRange;
  points: readonly MetricPointLike[];
}

function longestSeries(series: SeriesByName): number {
  return Math.max(0, ...Object.values(series).map((points) => points.length));
}

/**
 * A run's metric series: all of them from the server, then (while the run is live) the runMetrics
 * stream merged in every few seconds; once the run ends the stream stops and the series are read
 * again, complete. A zoomed chart asks the server for its step range at full detail.
 */
export function useRunMetrics(runId: () => string | null, live: () => boolean) {
  const { client } = useClientHandle();
  const series = shallowRef<SeriesByName>({});
  const storedNames = ref<string[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const zoomed = shallowRef<ZoomedSeries | null>(null);
  let zoomRequest = 0;

  function open(id: string) {
    let resampling = false;
    series.value = {};
    storedNames.value = [];
    zoomed.value = null;
    error.value = null;

    return storedThenLive(live, loading, (stopped) => {
      async function readStored(): Promise<void> {
        try {
          const snapshot = await fetchRunMetrics(client, id);
          if (stopped()) return;
          series.value = withNewerPoints(snapshot.series, series.value);
          storedNames.value = snapshot.metricNames;
        } catch (failure) {
          if (!stopped()) error.value = (failure as Error).message;
        }
      }

      function merge(batches: NamedMetricPoint[][]): void {
        if (stopped()) return;
        series.value = mergeMetricBatch(series.value, batches.flat());
        if (!resampling && longestSeries(series.value) > RESAMPLE_AFTER_POINTS) {
          resampling = true;
          void readStored().finally(() => (resampling = false));
        }
      }

      function follow() {
        const subscribe = (push: (points: NamedMetricPoint[]) => void) =>
          client.subscription(RunMetricStreamDocument, { runId: id, afterStep: resumeAfterStep(series.value) }).subscribe((result) => {
            if (result.data) push(result.data.runMetrics);
          });
        return bufferedStream(subscribe, LIVE_METRICS_FLUSH_MS, merge);
      }

      return { readStored, follow };
    });
  }

  useRunSession(runId, live, open);

  /** Asks the server for one metric in a step range; null goes back to the whole run. */
  async function zoomTo(metric: string, range: StepRange | null): Promise<void> {
    const request = ++zoomRequest;
    const id = runId();
    if (!range || !id) {
      zoomed.value = null;
      return;
    }
    try {
      const snapshot = await fetchRunMetrics(client, id, { names: [metric], ...range });
      if (request === zoomRequest) zoomed.value = { metric, range, points: snapshot.series[metric] ?? [] };
    } catch (failure) {
      if (request === zoomRequest) error.value = (failure as Error).message;
    }
  }

  // the same array while the names stay the same: a live run's flushes must not redraw an open metric menu under the pointer
  const metricNames = computed<string[]>((previous) => {
    const names = [...new Set([...storedNames.value, ...Object.keys(series.value)])].sort();
    return previous && previous.join("\n") === names.join("\n") ? previous : names;
  });

  /** The points a chart of `metric` shows: the zoomed range's when zoomed into it, else the whole run's. */
  function pointsOf(metric: string): readonly MetricPointLike[] {
    const zoom = zoomed.value;
    return zoom && zoom.metric === metric ? zoom.points : (series.value[metric] ?? []);
  }

  return { series, metricNames, loading, error, zoomed, zoomTo, pointsOf };
}
