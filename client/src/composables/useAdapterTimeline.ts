import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";

graphql(`
  fragment AdapterVersionSummaryFields on AdapterVersionSummary {
    adapterId
    name
    version
    status
    deleted
    createdAt
    finalLoss
    bestLoss
    ratingAverage
    ratingCount
    winRate
    run {
      id
      name
    }
    experiment {
      id
      name
    }
    evaluationScores {
      name
      source
      value
      count
      higherIsBetter
    }
    evidence {
      jobs
      abTests
      combinationJobs
      recentJobIds
    }
  }
`);

const AdapterTimelineDocument = graphql(`
  query AdapterTimeline($name: String!) {
    adapterTimeline(name: $name) {
      ...AdapterVersionSummaryFields
    }
  }
`);

/** Every version of the adapters named `name`, deleted ones included, with their training and evaluation results. */
export function useAdapterTimeline(name: () => string) {
  const query = useQuery({ query: AdapterTimelineDocument, variables: () => ({ name: name() }) });
  return {
    versions: computed(() => query.data.value?.adapterTimeline ?? []),
    loaded: computed(() => query.data.value !== undefined),
    error: query.error,
  };
}
