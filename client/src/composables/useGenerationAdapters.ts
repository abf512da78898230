import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import { useCurrentModel } from "./useCurrentModel";

graphql(`
  fragment SelectableAdapter on Adapter {
    id
    name
    version
    weight
    loadable
    baseModel {
      id
      displayName
    }
  }
`);

const GenerationAdaptersDocument = graphql(`
  query GenerationAdapters($current: ID!, $first: Int!) {
    baseModel(id: $current) {
      id
      displayName
      builtin
      capabilities {
        maxDurationSeconds
      }
    }
    compatible: adapters(filter: { active: true, compatibleWith: $current }, orderBy: ORDINAL_ASC, first: $first) {
      totalCount
      edges {
        node {
          ...SelectableAdapter
        }
      }
    }
    all: adapters(filter: { active: true }, orderBy: ORDINAL_ASC, first: $first) {
      edges {
        node {
          ...SelectableAdapter
        }
      }
    }
  }
`);

/** The most adapters a selector lists: the API's largest page. */
const ADAPTER_LIMIT = 200;

/**
 * The current model (from Settings) with what generation needs of it, and the active adapters: those that fit it,
 * and all of them, so that the others can be shown with the model they need.
 */
export function useGenerationAdapters() {
  const { currentModelId } = useCurrentModel();
  const query = useQuery({
    query: GenerationAdaptersDocument,
    variables: () => ({ current: currentModelId.value ?? "", first: ADAPTER_LIMIT }),
    pause: () => currentModelId.value === null,
    // an adapter this dashboard adds, activates or deletes changes the lists, also while they name no Adapter
    context: { additionalTypenames: ["Adapter"] },
    requestPolicy: "cache-and-network",
  });
  return {
    currentModelId,
    currentModel: computed(() => query.data.value?.baseModel ?? null),
    compatible: computed(() => query.data.value?.compatible.edges.map((edge) => edge.node) ?? []),
    all: computed(() => query.data.value?.all.edges.map((edge) => edge.node) ?? []),
    loaded: computed(() => query.data.value !== undefined),
    error: query.error,
  };
}
