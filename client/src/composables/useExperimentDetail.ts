import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";
import { useRunStatusUpdates } from "./useRunStatusUpdates";

graphql(`
  fragment RunRow on Run {
    id
    name
    status
    createdAt
    startedAt
    finishedAt
    finalLoss
    isBest
    error
    cancelRequested
    configOverride
    effectiveConfig
    lastSeq
    logUrl
    adapter {
      id
      name
      version
    }
  }
`);

graphql(`
  fragment ExperimentDetail on Experiment {
    ...ExperimentSummary
    description
    config
    trainer
    lastError
    dataset {
      id
      name
      itemCount
    }
    bestRun {
      id
      name
      finalLoss
    }
    runs(first: $runLimit) {
      totalCount
      edges {
        node {
          ...RunRow
        }
      }
    }
  }
`);

const ExperimentDetailDocument = graphql(`
  query ExperimentDetail($id: ID!, $runLimit: Int!) {
    experiment(id: $id) {
      ...ExperimentDetail
    }
  }
`);

/** The API's page size limit for an experiment's runs, newest first. */
export const RUN_LIMIT = 200;

/**
 * One experiment with its runs, newest first; live runs follow their runStatus streams, and the
 * experiment is fetched again when one ends (status, best run and best loss change then).
 */
export function useExperimentDetail(id: () => string) {
  const query = useQuery({
    query: ExperimentDetailDocument,
    variables: () => ({ id: id(), runLimit: RUN_LIMIT }),
    requestPolicy: "cache-and-network",
  });
  const experiment = computed(() => query.data.value?.experiment ?? null);
  const refresh = refetchOf(query);
  const storedRuns = computed(() => experiment.value?.runs.edges.map((edge) => edge.node) ?? []);
  const { runs } = useRunStatusUpdates(storedRuns, refresh);
  return {
    experiment,
    runs,
    loaded: computed(() => query.data.value !== undefined),
    fetching: query.fetching,
    error: query.error,
    refresh,
  };
}
