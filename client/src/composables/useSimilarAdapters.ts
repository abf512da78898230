import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";

const SimilarAdaptersDocument = graphql(`
  query SimilarAdapters($adapterId: ID!) {
    similarAdapters(adapterId: $adapterId) {
      explanation
      sharedTags
      sharedWords
      sharedModules
      identical
      score {
        text
        weightSpace
        combined
      }
      adapter {
        id
        name
        version
        format
      }
    }
  }
`);

/** Live adapters like this one, best first, with how alike they are and why. */
export function useSimilarAdapters(adapterId: () => string) {
  const query = useQuery({ query: SimilarAdaptersDocument, variables: () => ({ adapterId: adapterId() }) });
  return {
    similar: computed(() => query.data.value?.similarAdapters ?? []),
    loaded: computed(() => query.data.value !== undefined),
    error: query.error,
  };
}
