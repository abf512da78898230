import { graphql } from "../gql/gql";
import type { ImportDatasetInput } from "../gql/graphql";
import { postMultipart } from "./multipart";
import { payloadOutcome, type PayloadOutcome } from "./mutationFailure";

const ImportDatasetDocument = graphql(`
  mutation ImportDataset($files: [File!]!, $input: ImportDatasetInput!) {
    importDataset(files: $files, input: $input) {
      __typename
      ... on ImportDatasetSuccess {
        dataset {
          id
          name
        }
      }
      ...MutationFailureFields
    }
  }
`);

export interface CreatedDataset {
  id: string;
  name: string;
}

/** Imports MIDI files or one JSONL file as a new dataset, as a GraphQL multipart request through `fetchImpl` (see postMultipart). */
export async function importDataset(input: ImportDatasetInput, files: readonly File[], fetchImpl: typeof fetch): Promise<PayloadOutcome<CreatedDataset>> {
  const result = await postMultipart(ImportDatasetDocument, "ImportDataset", { input }, files, fetchImpl);
  if (result.failure) return { payload: null, failure: result.failure };
  const union = result.data.importDataset;
  return payloadOutcome(undefined, union, "dataset" in union ? union.dataset : undefined);
}
