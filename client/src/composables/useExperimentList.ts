import { watch, type Ref } from "vue";
import { useQuery } from "@urql/vue";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";
import { connectionPage, useCursorPages } from "./useCursorPages";

graphql(`
  fragment ExperimentSummary on Experiment {
    id
    name
    status
    bestLoss
    createdAt
    updatedAt
    baseModel {
      id
      displayName
    }
  }
`);

graphql(`
  fragment ExperimentListItem on Experiment {
    ...ExperimentSummary
    dataset {
      id
      name
    }
    runCount
  }
`);

const ExperimentListDocument = graphql(`
  query ExperimentList($includeArchived: Boolean!, $first: Int!, $after: String) {
    experiments(includeArchived: $includeArchived, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ExperimentListItem
        }
      }
    }
  }
`);

export const EXPERIMENT_PAGE_SIZE = 25;

/** One page of experiments, newest first, archived ones only when asked for; back to page one when that changes. */
export function useExperimentList(showArchived: Ref<boolean>) {
  const pages = useCursorPages();
  watch(showArchived, pages.reset);
  const query = useQuery({
    query: ExperimentListDocument,
    variables: () => ({ includeArchived: showArchived.value, first: EXPERIMENT_PAGE_SIZE, after: pages.after.value }),
    // runs end while nobody looks: show what is cached at once, and what is true a moment later
    requestPolicy: "cache-and-network",
  });
  const { nodes, ...paging } = connectionPage(() => query.data.value?.experiments, pages);
  return {
    experiments: nodes,
    ...paging,
    fetching: query.fetching,
    error: query.error,
    refresh: refetchOf(query),
  };
}
