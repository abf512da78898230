import { computed, onScopeDispose, shallowRef, watch, type Ref } from "vue";
import { useClientHandle } from "@urql/vue";
import { isLiveRun } from "../components/run/runRules";
import { graphql } from "../gql/gql";
import type { RunRowFragment } from "../gql/graphql";
import { debounce } from "../utils/debounce";

const RunStatusUpdatesDocument = graphql(`
  subscription RunStatusUpdates($runId: ID!) {
    runStatus(runId: $runId) {
      ...RunRow
    }
  }
`);

/** Several runs ending together cost one refetch. */
const ENDED_REFETCH_MS = 300;

/**
 * The stored rows with what the runStatus streams said since: a live row takes its stream's latest
 * state; a finished row is final, so the stored one (fetched after the end) wins.
 */
export function withStatusUpdates<Run extends { id: string; status: RunRowFragment["status"] }>(
  stored: readonly Run[],
  updates: Readonly<Record<string, Run>>,
): Run[] {
  return stored.map((run) => (isLiveRun(run.status) ? (updates[run.id] ?? run) : run));
}

/** Follows each live run's status stream while it is live; `onEnded` runs once a burst of runs has ended. */
export function useRunStatusUpdates(stored: Ref<readonly RunRowFragment[]>, onEnded: () => void) {
  const { client } = useClientHandle();
  const updates = shallowRef<Record<string, RunRowFragment>>({});
  const streams = new Map<string, { unsubscribe(): void }>();
  const ended = debounce(onEnded, ENDED_REFETCH_MS);

  function follow(runId: string): void {
    const stream = client.subscription(RunStatusUpdatesDocument, { runId }).subscribe((result) => {
      const run = result.data?.runStatus;
      if (!run) return;
      updates.value = { ...updates.value, [runId]: run };
      if (!isLiveRun(run.status)) ended();
    });
    streams.set(runId, stream);
  }

  const runs = computed(() => withStatusUpdates(stored.value, updates.value));
  const liveIds = computed(() => runs.value.filter((run) => isLiveRun(run.status)).map((run) => run.id));

  watch(
    liveIds,
    (ids) => {
      for (const id of ids) if (!streams.has(id)) follow(id);
      for (const [id, stream] of streams) {
        if (ids.includes(id)) continue;
        stream.unsubscribe();
        streams.delete(id);
      }
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    ended.cancel();
    for (const stream of streams.values()) stream.unsubscribe();
    streams.clear();
  });

  return { runs };
}
