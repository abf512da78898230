import { computed, onScopeDispose, ref, shallowRef, watch } from "vue";
import { useClientHandle } from "@urql/vue";
import { finalValue, type MetricPointLike, type RunCurve } from "../components/run/metricSeries";
import { isLiveRun } from "../components/run/runRules";
import type { RunStatus } from "../gql/graphql";
import { fetchRunsMetrics, type RunMetricsSnapshot } from "./runMetricQueries";
import type { StepRange } from "./useRunMetrics";

/** Compared runs that are still training are read again this often. */
export const COMPARE_REFRESH_MS = 5000;

export interface ComparedRun {
  id: string;
  name: string;
  status: RunStatus;
}

/**
 * One metric of up to five runs, read from the server whole (downsampled) and, when the chart is
 * zoomed, again for the zoomed step range, all runs in one request; live runs are re-read every few
 * seconds.
 */
export function useRunComparison(runs: () => readonly ComparedRun[], metric: () => string) {
  const { client } = useClientHandle();
  const snapshots = shallowRef<Record<string, RunMetricsSnapshot>>({});
  const zoomed = shallowRef<{ range: StepRange; points: Record<string, readonly MetricPointLike[]> } | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** every metric any compared run has, for the selector */
  const metricNames = ref<string[]>([]);
  /** Answers to an earlier metric are dropped. */
  let generation = 0;

  const read = (ids: readonly string[], window: Partial<StepRange> = {}) => fetchRunsMetrics(client, ids, { names: [metric()], ...window });

  async function load(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const asked = generation;
    loading.value = true;
    try {
      const loaded = await read(ids);
      if (asked !== generation) return;
      snapshots.value = { ...snapshots.value, ...loaded };
      metricNames.value = [...new Set([...metricNames.value, ...Object.values(loaded).flatMap((snapshot) => snapshot.metricNames)])].sort();
    } catch (failure) {
      if (asked === generation) error.value = (failure as Error).message;
    } finally {
      if (asked === generation) loading.value = false;
    }
  }

  watch(metric, () => {
    generation += 1;
    snapshots.value = {};
    zoomed.value = null;
  });
  watch(
    () => [metric(), runs().map((run) => run.id).join()],
    () => {
      error.value = null;
      void load(runs().filter((run) => !(run.id in snapshots.value)).map((run) => run.id));
    },
    { immediate: true },
  );

  const liveIds = computed(() => runs().filter((run) => isLiveRun(run.status)).map((run) => run.id));
  let timer: ReturnType<typeof setInterval> | undefined;
  watch(
    () => liveIds.value.join(),
    (_now, before) => {
      clearInterval(timer);
      if (liveIds.value.length > 0) timer = setInterval(() => void load(liveIds.value), COMPARE_REFRESH_MS);
      const ended = (before ?? "").split(",").filter((id) => id && !liveIds.value.includes(id));
      void load(ended);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearInterval(timer));

  /** Asks the server for every compared run's points in a step range; null goes back to whole runs. */
  async function zoomTo(range: StepRange | null): Promise<void> {
    const asked = generation;
    if (!range) {
      zoomed.value = null;
      return;
    }
    try {
      const loaded = await read(runs().map((run) => run.id), range);
      const name = metric();
      if (asked === generation) zoomed.value = { range, points: Object.fromEntries(Object.entries(loaded).map(([id, snapshot]) => [id, snapshot.series[name] ?? []])) };
    } catch (failure) {
      if (asked === generation) error.value = (failure as Error).message;
    }
  }

  const curves = computed<RunCurve[]>(() =>
    runs().map((run) => {
      const whole = snapshots.value[run.id]?.series[metric()] ?? [];
      return { runId: run.id, runName: run.name, points: zoomed.value?.points[run.id] ?? whole, final: finalValue(whole) };
    }),
  );

  return { curves, metricNames, loading, error, zoomed, zoomTo };
}
