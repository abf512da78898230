import { computed } from "vue";
import { useMutation, useQuery } from "@urql/vue";
import type { CreatedDataset } from "../api/importDataset";
import { payloadOutcome, type PayloadOutcome } from "../api/mutationFailure";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";
import type { GenerateDatasetInput } from "../gql/graphql";

graphql(`
  fragment DatasetListItem on Dataset {
    id
    name
    description
    source
    style
    seed
    itemCount
    createdAt
  }
`);

const DatasetListDocument = graphql(`
  query DatasetList($first: Int!) {
    datasets(first: $first) {
      totalCount
      edges {
        node {
          ...DatasetListItem
        }
      }
    }
  }
`);

const GenerateDatasetDocument = graphql(`
  mutation GenerateDataset($input: GenerateDatasetInput!) {
    generateDataset(input: $input) {
      __typename
      ... on GenerateDatasetSuccess {
        dataset {
          ...DatasetListItem
        }
      }
      ...MutationFailureFields
    }
  }
`);

/** Datasets to choose from, newest first: enough for a select; the Datasets page says when there are more. */
export const DATASET_LIST_SIZE = 100;

/** The newest datasets, shared through urql's cache by every select and the Datasets page. */
export function useDatasets() {
  const query = useQuery({ query: DatasetListDocument, variables: { first: DATASET_LIST_SIZE } });
  return {
    datasets: computed(() => query.data.value?.datasets.edges.map((edge) => edge.node) ?? []),
    totalCount: computed(() => query.data.value?.datasets.totalCount ?? 0),
    loaded: computed(() => query.data.value !== undefined),
    fetching: query.fetching,
    error: query.error,
    refresh: refetchOf(query),
  };
}

/** Generates a dataset in one of the built-in styles. */
export function useDatasetGeneration() {
  const { executeMutation, fetching } = useMutation(GenerateDatasetDocument);
  async function generate(input: GenerateDatasetInput): Promise<PayloadOutcome<CreatedDataset>> {
    const result = await executeMutation({ input });
    const union = result.data?.generateDataset;
    return payloadOutcome(result.error, union, union && "dataset" in union ? union.dataset : undefined);
  }
  return { generate, generating: fetching };
}
