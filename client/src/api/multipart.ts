import { stringifyDocument, type TypedDocumentNode } from "@urql/vue";
import { GRAPHQL_PATH } from "./client";
import { failureOfProtocolErrors, type MutationFailure } from "./mutationFailure";

interface MultipartResponseBody<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** The mutation's data, or why the request as a whole failed (transport, protocol, limits). */
export type MultipartResult<Data> = { data: Data; failure: null } | { data: null; failure: MutationFailure };

/**
 * The body of a GraphQL multipart request (github.com/jaydenseric/graphql-multipart-request-spec):
 * `operations` with a null per file in `variables.files`, `map` from each file part to its path, then the files.
 */
export function buildMultipartFormData(
  query: string,
  operationName: string,
  variables: Record<string, unknown>,
  files: readonly File[],
): FormData {
  const operations = { query, operationName, variables: { ...variables, files: files.map(() => null) } };
  const map = Object.fromEntries(files.map((_, index) => [String(index), [`variables.files.${index}`]]));
  const form = new FormData();
  form.append("operations", JSON.stringify(operations));
  form.append("map", JSON.stringify(map));
  files.forEach((file, index) => form.append(String(index), file, file.name));
  return form;
}

function resultOf<Data>(status: number, body: MultipartResponseBody<Data> | null): MultipartResult<Data> {
  if (!body) {
    return { data: null, failure: failureOfProtocolErrors([], new Error(`The server answered HTTP ${status} without a GraphQL result.`)) };
  }
  if (body.errors?.length || !body.data) return { data: null, failure: failureOfProtocolErrors(body.errors ?? []) };
  return { data: body.data, failure: null };
}

/**
 * Sends a mutation with files (a `$files: [File!]!` variable); urql's fetchExchange cannot send multipart requests.
 * `fetchImpl` presents the API key and the CSRF header a multipart post needs (the session's fetch in the dashboard).
 */
export async function postMultipart<Data, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Data, Variables & { files: File[] }>,
  operationName: string,
  variables: Variables,
  files: readonly File[],
  fetchImpl: typeof fetch,
): Promise<MultipartResult<Data>> {
  const body = buildMultipartFormData(stringifyDocument(document), operationName, variables, files);
  try {
    const response = await fetchImpl(GRAPHQL_PATH, { method: "POST", body, headers: { accept: "application/json" } });
    const parsed = (await response.json().catch(() => null)) as MultipartResponseBody<Data> | null;
    return resultOf(response.status, parsed);
  } catch (error) {
    return { data: null, failure: failureOfProtocolErrors([], error instanceof Error ? error : new Error(String(error))) };
  }
}
