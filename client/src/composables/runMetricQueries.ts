import type { Client } from "@urql/vue";
import type { SeriesByName } from "../components/run/metricSeries";
import { graphql } from "../gql/gql";
import type { RunMetricSeriesFragment } from "../gql/graphql";

graphql(`
  fragment RunMetricSeries on Run {
    id
    metricNames
    metrics(names: $names, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
      name
      totalPoints
      downsampled
      points {
        step
        value
        time
      }
    }
  }
`);

const RunMetricsDocument = graphql(`
  query RunMetrics($id: ID!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {
    run(id: $id) {
      ...RunMetricSeries
    }
  }
`);

const RunsMetricsDocument = graphql(`
  query RunsMetrics($ids: [ID!]!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {
    runs(ids: $ids) {
      ...RunMetricSeries
    }
  }
`);

/** About one point per pixel of a wide chart; the server keeps each bucket's minimum and maximum. */
export const CHART_MAX_POINTS = 1000;

/** Which series and which steps to ask for: all of both when left out. */
export interface MetricWindow {
  names?: string[];
  fromStep?: number;
  toStep?: number;
}

export interface RunMetricsSnapshot {
  metricNames: string[];
  series: SeriesByName;
  /** true when a series had more points in the window than were sent */
  downsampled: boolean;
}

function snapshotOf(run: RunMetricSeriesFragment): RunMetricsSnapshot {
  return {
    metricNames: run.metricNames,
    series: Object.fromEntries(run.metrics.map((metric) => [metric.name, metric.points])),
    downsampled: run.metrics.some((metric) => metric.downsampled),
  };
}

/** A run's metric series in a window, downsampled by the server; throws with the API's message when it fails. */
export async function fetchRunMetrics(client: Client, runId: string, window: MetricWindow = {}): Promise<RunMetricsSnapshot> {
  const variables = { id: runId, maxPoints: CHART_MAX_POINTS, ...window };
  const result = await client.query(RunMetricsDocument, variables, { requestPolicy: "network-only" }).toPromise();
  if (result.error) throw new Error(result.error.message);
  const run = result.data?.run;
  if (!run) throw new Error("The run no longer exists.");
  return snapshotOf(run);
}

/**
 * Several runs' metric series in one window and one request, by run id; a run that no longer exists
 * is left out. Throws with the API's message when it fails.
 */
export async function fetchRunsMetrics(client: Client, runIds: readonly string[], window: MetricWindow = {}): Promise<Record<string, RunMetricsSnapshot>> {
  if (runIds.length === 0) return {};
  const variables = { ids: [...runIds], maxPoints: CHART_MAX_POINTS, ...window };
  const result = await client.query(RunsMetricsDocument, variables, { requestPolicy: "network-only" }).toPromise();
  if (result.error) throw new Error(result.error.message);
  return Object.fromEntries((result.data?.runs ?? []).map((run) => [run.id, snapshotOf(run)]));
}
