import { computed, watch, type Ref } from "vue";
import { useQuery, type AnyVariables, type UseQueryResponse } from "@urql/vue";
import { graphql } from "../gql/gql";
import { toAdapterFilter, type AdapterListFilters } from "./useAdapterListFilters";
import { useCurrentModel } from "./useCurrentModel";
import { connectionPage, useCursorPages } from "./useCursorPages";

graphql(`
  fragment AdapterListItem on Adapter {
    id
    name
    version
    active
    weight
    downloadUrl
    format
    tags
    createdAt
    baseModel {
      id
      displayName
    }
    compatibility(baseModelId: $current) @include(if: $withCompatibility) {
      compatible
      reason
    }
  }
`);

const AdapterListDocument = graphql(`
  query AdapterList(
    $filter: AdapterFilter
    $orderBy: AdapterOrder
    $first: Int!
    $after: String
    $current: ID!
    $withCompatibility: Boolean!
  ) {
    adapters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AdapterListItem
        }
      }
    }
  }
`);

const AdapterGroupsDocument = graphql(`
  query AdapterGroups($filter: AdapterFilter, $current: ID!, $withCompatibility: Boolean!) {
    adapterGroups(filter: $filter) {
      name
      count
      latest {
        id
        version
        createdAt
      }
      versions {
        ...AdapterListItem
      }
    }
  }
`);

export const ADAPTER_PAGE_SIZE = 25;

/** A refetch from the network that leaves a paused query alone (urql's executeQuery ignores `pause`). */
function refetchUnlessPaused(query: Pick<UseQueryResponse<unknown, AnyVariables>, "executeQuery">, paused: () => boolean) {
  return () => {
    if (!paused()) void query.executeQuery({ requestPolicy: "network-only" });
  };
}

/** One page of adapters for the filters, with a total count; back to page one whenever the filters change. */
export function useAdapterPage(filters: Ref<AdapterListFilters>) {
  const { compatibilityVariables } = useCurrentModel();
  const pages = useCursorPages();
  /** Which rows exist and in what order: when it changes, every cursor is stale. */
  const listIdentity = computed(() => JSON.stringify([toAdapterFilter(filters.value), filters.value.orderBy]));
  watch(listIdentity, pages.reset);
  const query = useQuery({
    query: AdapterListDocument,
    variables: () => ({
      filter: toAdapterFilter(filters.value),
      orderBy: filters.value.orderBy,
      first: ADAPTER_PAGE_SIZE,
      after: pages.after.value,
      ...compatibilityVariables.value,
    }),
    pause: () => filters.value.groupByName,
  });
  const { nodes, ...paging } = connectionPage(() => query.data.value?.adapters, pages);
  return {
    adapters: nodes,
    ...paging,
    fetching: query.fetching,
    error: query.error,
    refresh: refetchUnlessPaused(query, () => filters.value.groupByName),
  };
}

/** Adapters grouped by name, each name's versions oldest first. */
export function useAdapterGroups(filters: Ref<AdapterListFilters>) {
  const { compatibilityVariables } = useCurrentModel();
  const query = useQuery({
    query: AdapterGroupsDocument,
    variables: () => ({ filter: toAdapterFilter(filters.value), ...compatibilityVariables.value }),
    pause: () => !filters.value.groupByName,
  });
  return {
    groups: computed(() => query.data.value?.adapterGroups ?? []),
    fetching: query.fetching,
    error: query.error,
    refresh: refetchUnlessPaused(query, () => !filters.value.groupByName),
  };
}
