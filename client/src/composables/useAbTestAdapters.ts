import { computed, reactive, toRefs } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import type { AbTestAdapterChoiceFragment } from "../gql/graphql";
import { useAdapterSearch, withChosen } from "./useAdapterSearch";

graphql(`
  fragment AbTestAdapterChoice on Adapter {
    id
    name
    version
    baseModel {
      id
      displayName
    }
  }
`);

const AbTestAdaptersDocument = graphql(`
  query AbTestAdapters($search: String!, $first: Int!) {
    adapters(filter: { search: $search }, orderBy: ORDINAL_ASC, first: $first) {
      totalCount
      edges {
        node {
          ...AbTestAdapterChoice
        }
      }
    }
  }
`);

const AbTestAdapterDocument = graphql(`
  query AbTestAdapter($id: ID!) {
    adapter(id: $id) {
      ...AbTestAdapterChoice
    }
  }
`);

/** "jazz 2", as a test's default name says it. */
const abTestAdapterLabel = (adapter: Pick<AbTestAdapterChoiceFragment, "name" | "version">) => `${adapter.name} ${adapter.version}`;

/** A selector's entry: "jazz 2 · Tunes S (built-in)". */
function abTestAdapterOption(adapter: AbTestAdapterChoiceFragment): { value: string; label: string } {
  return { value: adapter.id, label: `${abTestAdapterLabel(adapter)} · ${adapter.baseModel.displayName}` };
}

/**
 * One side of a test: the adapters matching what is typed into its selector, searched on the server, and the chosen
 * one (`chosenId`, from the address or the selector), fetched by id so that it is listed and labelled whatever is typed.
 */
export function useAbTestAdapters(chosenId: () => string | null) {
  const found = useAdapterSearch({
    query: AbTestAdaptersDocument,
    variables: (page) => page,
    counts: (data) => ({ shown: data.adapters.edges.length, matching: data.adapters.totalCount }),
  });
  const byId = useQuery({ query: AbTestAdapterDocument, variables: () => ({ id: chosenId() ?? "" }), pause: () => chosenId() === null });
  const matches = computed(() => found.data?.adapters.edges.map(({ node }) => node) ?? []);
  const chosen = computed(() => {
    const id = chosenId();
    const fetched = byId.data.value?.adapter;
    // until the chosen one is fetched, the matches it was picked from name it
    return fetched?.id === id ? fetched : (matches.value.find((adapter) => adapter.id === id) ?? null);
  });
  return reactive({
    ...toRefs(found),
    options: computed(() => withChosen(matches.value.map(abTestAdapterOption), chosen.value ? [abTestAdapterOption(chosen.value)] : [])),
    /** "jazz 2", or null until the chosen adapter is known */
    chosenLabel: computed(() => (chosen.value ? abTestAdapterLabel(chosen.value) : null)),
  });
}
