import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { useQuery } from "@urql/vue";
import { computed, ref } from "vue";

/** "26–50 of 60": the rows a page shows, counted from 1. */
export function pageRangeLabel(pageIndex: number, pageSize: number, rowsShown: number, totalCount: number): string {
  if (rowsShown === 0) return `0 of ${totalCount}`;
  const first = pageIndex * pageSize + 1;
  return `${first}–${first + rowsShown - 1} of ${totalCount}`;
}

/** Forward Relay pagination with a way back: the `after` cursor of every page visited so far. */
export function useCursorPages() {
  const cursors = ref<(string | null)[]>([null]);
  const pageIndex = computed(() => cursors.value.length - 1);
  const after = computed(() => cursors.value[pageIndex.value] ?? null);
  return {
    after,
    pageIndex,
    next: (endCursor: string) => void cursors.value.push(endCursor),
    previous: () => void (cursors.value.length > 1 && cursors.value.pop()),
    reset: () => void (cursors.value = [null]),
  };
}

interface Connection<Node> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: readonly { node: Node }[];
}

/** A Relay connection's page as a list shows it, and the way to the pages beside it. */
export function connectionPage<Node>(connection: () => Connection<Node> | undefined, pages: ReturnType<typeof useCursorPages>) {
  return {
    nodes: computed(() => connection()?.edges.map((edge) => edge.node) ?? []),
    totalCount: computed(() => connection()?.totalCount ?? 0),
    hasNextPage: computed(() => connection()?.pageInfo.hasNextPage ?? false),
    pageIndex: pages.pageIndex,
    nextPage: (): void => {
      const endCursor = connection()?.pageInfo.endCursor;
      if (endCursor) pages.next(endCursor);
    },
    previousPage: pages.previous,
  };
}

/** A page of a list as `connectionPage` gives it. */
export type ConnectionPage<Node> = ReturnType<typeof connectionPage<Node>>;

/** One page of the connection a query of nothing but `first` and `after` lists, as the API orders it. */
export function usePagedConnection<Data, Node>(
  query: TypedDocumentNode<Data, { first: number; after?: string | null }>,
  pageSize: number,
  connection: (data: Data) => Connection<Node>,
) {
  const pages = useCursorPages();
  const result = useQuery({ query, variables: () => ({ first: pageSize, after: pages.after.value }), requestPolicy: "cache-and-network" });
  return { ...connectionPage(() => result.data.value && connection(result.data.value), pages), fetching: result.fetching, error: result.error };
}
