import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";

const GenerationBackendsDocument = graphql(`
  query GenerationBackends {
    generationBackends {
      name
      kind
      url
      baseModels
      healthy
      version
      problem
    }
  }
`);

/**
 * The image generators of GENERATION_BACKENDS, each asked by the API whether it answers; a query of its own, so that
 * the dashboard's frequent refreshes do not make the API ask every backend again.
 */
export function useGenerationBackends() {
  const query = useQuery({ query: GenerationBackendsDocument, requestPolicy: "cache-and-network" });
  const backends = computed(() => query.data.value?.generationBackends ?? []);
  return {
    backends,
    /** the backend that makes images for this base model, if one is configured */
    servingOf: (baseModelId: string | null) => backends.value.find((backend) => baseModelId !== null && backend.baseModels.includes(baseModelId)) ?? null,
    loaded: computed(() => query.data.value !== undefined),
    checking: query.fetching,
    error: query.error,
    checkAgain: refetchOf(query),
  };
}
