import type { AnyVariables, UseQueryResponse } from "@urql/vue";

/** Asks the server again for what a query shows, past urql's cache: for when the server says something changed. */
export function refetchOf(query: Pick<UseQueryResponse<unknown, AnyVariables>, "executeQuery">): () => void {
  return () => void query.executeQuery({ requestPolicy: "network-only" });
}
