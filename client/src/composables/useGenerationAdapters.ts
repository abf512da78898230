import { computed, reactive, toRefs, type Ref } from "vue";
import { useClientHandle, useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import { useAdapterSearch, type AdapterSearch } from "./useAdapterSearch";
import { useCurrentModel } from "./useCurrentModel";

graphql(`
  fragment SelectableAdapter on Adapter {
    id
    name
    version
    weight
    scale
    loadable
    baseModel {
      id
      displayName
    }
  }
`);

const GenerationModelDocument = graphql(`
  query GenerationModel($current: ID!) {
    baseModel(id: $current) {
      id
      displayName
      builtin
      capabilities {
        maxDurationSeconds
      }
    }
  }
`);

// one query, so that the two lists always answer the same search
const GenerationAdaptersDocument = graphql(`
  query GenerationAdapters($current: ID!, $search: String!, $first: Int!) {
    fitting: adapters(filter: { active: true, compatibleWith: $current }, first: 0) {
      totalCount
    }
    active: adapters(filter: { active: true }, first: 0) {
      totalCount
    }
    compatible: adapters(filter: { active: true, compatibleWith: $current, search: $search }, orderBy: ORDINAL_ASC, first: $first) {
      totalCount
      edges {
        node {
          ...SelectableAdapter
        }
      }
    }
    all: adapters(filter: { active: true, search: $search }, orderBy: ORDINAL_ASC, first: $first) {
      edges {
        node {
          ...SelectableAdapter
        }
      }
    }
  }
`);

const AdapterFitDocument = graphql(`
  query AdapterFit($id: ID!, $model: ID!) {
    adapter(id: $id) {
      id
      active
      loadable
      compatibility(baseModelId: $model) {
        compatible
      }
    }
  }
`);

/** The server-side search of the generation selector, with how many adapters there are whatever is typed. */
export interface GenerationAdapterSearch extends AdapterSearch {
  /** active adapters that fit the current model */
  fitting: number;
  /** active adapters */
  active: number;
}

/**
 * The current model (from Settings, or `modelId` when a form chooses its own) with what generation needs of it, and the
 * active adapters matching what is typed into the selector: those that fit the model, and all of them, so that the
 * others can be shown with the model they need.
 */
export function useGenerationAdapters(modelId?: Readonly<Ref<string | null>>) {
  const currentModelId = modelId ?? useCurrentModel().currentModelId;
  const model = useQuery({
    query: GenerationModelDocument,
    variables: () => ({ current: currentModelId.value ?? "" }),
    pause: () => currentModelId.value === null,
  });
  const adapters = useAdapterSearch({
    query: GenerationAdaptersDocument,
    variables: (page) => ({ current: currentModelId.value ?? "", ...page }),
    pause: () => currentModelId.value === null,
    counts: (data) => ({ shown: data.compatible.edges.length, matching: data.compatible.totalCount }),
  });
  const search: GenerationAdapterSearch = reactive({
    ...toRefs(adapters),
    fitting: computed(() => adapters.data?.fitting.totalCount ?? 0),
    active: computed(() => adapters.data?.active.totalCount ?? 0),
  });

  const { client } = useClientHandle();
  /** Those of `ids` that cannot go into a generation with `modelId` (another model's, inactive, deleted or never loaded). */
  async function unfitting(ids: readonly string[], modelId: string): Promise<Set<string>> {
    const answers = await Promise.all(ids.map((id) => client.query(AdapterFitDocument, { id, model: modelId }, { requestPolicy: "network-only" }).toPromise()));
    return new Set(
      ids.filter((_, index) => {
        const { data, error } = answers[index]!;
        const adapter = data?.adapter;
        // an answer that did not come leaves the adapter chosen: the API refuses it when generating, with a way out
        return !error && !(adapter && adapter.active && adapter.loadable && adapter.compatibility.compatible);
      }),
    );
  }

  return {
    currentModelId,
    currentModel: computed(() => model.data.value?.baseModel ?? null),
    compatible: computed(() => adapters.data?.compatible.edges.map((edge) => edge.node) ?? []),
    all: computed(() => adapters.data?.all.edges.map((edge) => edge.node) ?? []),
    search,
    unfitting,
    loaded: computed(() => model.data.value !== undefined && adapters.loaded),
    error: computed(() => model.error.value ?? adapters.error),
  };
}
