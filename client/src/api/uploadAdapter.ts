import { stringifyDocument } from "@urql/vue";
import { graphql } from "../gql/gql";
import type { UploadAdapterInput, UploadAdapterMutation } from "../gql/graphql";
import { GRAPHQL_PATH } from "./client";
import { adapterOutcome, failureOfProtocolErrors, type AdapterOutcome, type MutationFailure } from "./mutationFailure";

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

interface UploadResponseBody {
  data?: UploadAdapterMutation | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * The body of a GraphQL multipart request (github.com/jaydenseric/graphql-multipart-request-spec):
 * `operations` with a null per file, `map` from each file part to its variable path, then the files.
 */
export function buildUploadFormData(query: string, input: UploadAdapterInput, files: readonly File[]): FormData {
  const operations = { query, operationName: "UploadAdapter", variables: { files: files.map(() => null), input } };
  const map = Object.fromEntries(files.map((_, index) => [String(index), [`variables.files.${index}`]]));
  const form = new FormData();
  form.append("operations", JSON.stringify(operations));
  form.append("map", JSON.stringify(map));
  files.forEach((file, index) => form.append(String(index), file, file.name));
  return form;
}

function failed(failure: MutationFailure): AddOutcome {
  return { adapter: null, failure };
}

function outcomeOf(status: number, body: UploadResponseBody | null): AddOutcome {
  if (!body) return failed(failureOfProtocolErrors([], new Error(`The server answered HTTP ${status} without a GraphQL result.`)));
  if (body.errors?.length || !body.data) return failed(failureOfProtocolErrors(body.errors ?? []));
  return adapterOutcome(undefined, body.data.uploadAdapter);
}

/** Uploads adapter files; urql's fetchExchange cannot send multipart requests, so this uses fetch itself. */
export async function uploadAdapter(input: UploadAdapterInput, files: readonly File[], fetchImpl: typeof fetch = fetch): Promise<AddOutcome> {
  const body = buildUploadFormData(stringifyDocument(UploadAdapterDocument), input, files);
  try {
    const response = await fetchImpl(GRAPHQL_PATH, { method: "POST", body, headers: { accept: "application/json" } });
    const parsed = (await response.json().catch(() => null)) as UploadResponseBody | null;
    return outcomeOf(response.status, parsed);
  } catch (error) {
    return failed(failureOfProtocolErrors([], error instanceof Error ? error : new Error(String(error))));
  }
}
