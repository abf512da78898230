import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";

const AbTestAdaptersDocument = graphql(`
  query AbTestAdapters($first: Int!) {
    adapters(first: $first, orderBy: ORDINAL_ASC) {
      edges {
        node {
          id
          name
          version
          baseModel {
            id
            displayName
          }
        }
      }
    }
  }
`);

/** The API's largest page. */
const ADAPTER_LIMIT = 200;

/** The adapters a test can compare, with "name version" labels. */
export function useAbTestAdapters() {
  const query = useQuery({ query: AbTestAdaptersDocument, variables: { first: ADAPTER_LIMIT } });
  const adapters = computed(() => query.data.value?.adapters.edges.map(({ node }) => node) ?? []);
  const labelOf = (id: string | null) => {
    const adapter = adapters.value.find((candidate) => candidate.id === id);
    return adapter ? `${adapter.name} ${adapter.version}` : null;
  };
  return { adapters, labelOf, fetching: query.fetching, error: query.error };
}
