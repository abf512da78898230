import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";

const CompareAdaptersDocument = graphql(`
  query CompareAdapters($ids: [ID!]!) {
    compareAdapters(ids: $ids) {
      __typename
      ... on AdapterComparison {
        summary
        adapters {
          ...AdapterVersionSummaryFields
        }
        rows {
          metric
          label
          higherIsBetter
          betterAdapterId
          comparedWithAdapterId
          test
          method
          statistic
          pValue
          significant
          note
          interval {
            lower
            upper
          }
          values {
            adapterId
            value
            count
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** The fewest adapters a comparison needs. */
export const MIN_COMPARED = 2;

/** Adapters compared side by side with significance tests; nothing is asked for fewer than two. */
export function useAdapterComparison(ids: () => readonly string[]) {
  const query = useQuery({
    query: CompareAdaptersDocument,
    variables: () => ({ ids: [...ids()] }),
    pause: () => ids().length < MIN_COMPARED,
  });
  const result = computed(() => query.data.value?.compareAdapters ?? null);
  return {
    comparison: computed(() => (result.value?.__typename === "AdapterComparison" ? result.value : null)),
    failure: computed(() => {
      if (query.error.value) return query.error.value.message;
      return result.value && result.value.__typename !== "AdapterComparison" ? result.value.message : null;
    }),
    fetching: query.fetching,
  };
}
