import { graphql } from "../gql/gql";
import type { UploadAdapterInput } from "../gql/graphql";
import { postMultipart } from "./multipart";
import { adapterOutcome, type AdapterOutcome } from "./mutationFailure";

const UploadAdapterDocument = graphql(`
  mutation UploadAdapter($files: [File!]!, $input: UploadAdapterInput!) {
    uploadAdapter(files: $files, input: $input) {
      __typename
      ... on UploadAdapterSuccess {
        adapter {
          id
          name
          version
        }
      }
      ...MutationFailureFields
    }
  }
`);

export interface AddedAdapter {
  id: string;
  name: string;
  version: string;
}

/** The new adapter version, or why there is none. */
export type AddOutcome = AdapterOutcome<AddedAdapter>;

/** Uploads adapter files as a GraphQL multipart request, through `fetchImpl` (see postMultipart). */
export async function uploadAdapter(input: UploadAdapterInput, files: readonly File[], fetchImpl: typeof fetch): Promise<AddOutcome> {
  const result = await postMultipart(UploadAdapterDocument, "UploadAdapter", { input }, files, fetchImpl);
  if (result.failure) return { adapter: null, failure: result.failure };
  return adapterOutcome(undefined, result.data.uploadAdapter);
}
