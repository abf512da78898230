import { onScopeDispose, watch } from "vue";
import type { AnyVariables, UseQueryResponse } from "@urql/vue";

/** A live job's progress and a delivery's attempts change without an event each: the page looks again this often. */
const LIVE_REFRESH_MS = 1000;

/**
 * Refetches the query from the network every second while `live` holds (something it shows is still queued, pending
 * or running); returns the refetch, for other reasons to refresh.
 */
export function useRefetchWhileLive(query: Pick<UseQueryResponse<unknown, AnyVariables>, "executeQuery">, live: () => boolean): () => void {
  const refetch = () => void query.executeQuery({ requestPolicy: "network-only" });
  let timer: ReturnType<typeof setInterval> | undefined;
  watch(
    live,
    (on) => {
      clearInterval(timer);
      if (on) timer = setInterval(refetch, LIVE_REFRESH_MS);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearInterval(timer));
  return refetch;
}
