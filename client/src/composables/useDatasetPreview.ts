import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";

const DatasetPreviewDocument = graphql(`
  query DatasetPreview($id: ID!) {
    dataset(id: $id) {
      id
      preview {
        id
        position
        prompt
        notes
      }
    }
  }
`);

/** A dataset's first items, to see what it holds before training on it. */
export function useDatasetPreview(id: () => string) {
  const query = useQuery({ query: DatasetPreviewDocument, variables: () => ({ id: id() }) });
  return {
    items: computed(() => query.data.value?.dataset?.preview ?? []),
    fetching: query.fetching,
    error: query.error,
  };
}
