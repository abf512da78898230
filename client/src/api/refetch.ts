import type { AnyVariables, UseQueryResponse } from "@urql/vue";

/**
 * Asks the server again for what a query shows, for when an event says something changed on the server (another tab,
 * the sidecar). The answer is merged into the normalised cache: what did not change keeps its identity, so nothing
 * that shows it re-renders, and open forms and menus keep their state.
 */
export function refetchOf(query: Pick<UseQueryResponse<unknown, AnyVariables>, "executeQuery">): () => void {
  return () => void query.executeQuery({ requestPolicy: "network-only" });
}
