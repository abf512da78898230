import type { CombinedError } from "@urql/vue";
import { graphql } from "../gql/gql";
import type { MutationFailureFieldsFragment } from "../gql/graphql";

graphql(`
  fragment MutationFailureFields on Error {
    message
    code
    ... on ConflictError {
      suggestedVersion
    }
    ... on BadUserInputError {
      fieldErrors {
        field
        message
      }
    }
  }
`);

/** Why a mutation did not do what was asked: a typed domain error, a GraphQL error or a network failure. */
export interface MutationFailure {
  message: string;
  code: string;
  suggestedVersion: string | null;
  fieldErrors: Record<string, string>;
}

/** Any member of a mutation's result union: the success payload, or an error with MutationFailureFields. */
export type MutationResultUnion = { __typename?: string } & Partial<MutationFailureFieldsFragment>;

interface ProtocolError {
  message: string;
  extensions?: Record<string, unknown>;
}

function fieldErrorMap(fieldErrors: readonly { field: string; message: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((fieldErrors ?? []).map(({ field, message }) => [field, message]));
}

/** The failure a result union holds, or null for its success member. */
export function failureOfResult(result: MutationResultUnion | null | undefined): MutationFailure | null {
  if (!result || result.message === undefined || result.code === undefined) return null;
  return {
    message: result.message,
    code: result.code,
    suggestedVersion: "suggestedVersion" in result ? (result.suggestedVersion ?? null) : null,
    fieldErrors: fieldErrorMap("fieldErrors" in result ? result.fieldErrors : undefined),
  };
}

/** GraphQL errors (auth, limits, masked) and network failures, as a failure to show. */
export function failureOfProtocolErrors(errors: readonly ProtocolError[], networkError?: Error): MutationFailure {
  const [first] = errors;
  const code = typeof first?.extensions?.code === "string" ? first.extensions.code : networkError ? "NETWORK_ERROR" : "INTERNAL_SERVER_ERROR";
  const message = first?.message ?? networkError?.message ?? "The server did not answer.";
  return { message, code, suggestedVersion: null, fieldErrors: {} };
}

const noResult = (): MutationFailure => failureOfProtocolErrors([{ message: "The server returned no result." }]);

/** The failure of an urql mutation result, whether the transport or the domain refused it. */
export function failureOfMutation(error: CombinedError | undefined, result: MutationResultUnion | null | undefined): MutationFailure | null {
  if (error) return failureOfProtocolErrors(error.graphQLErrors, error.networkError);
  return result ? failureOfResult(result) : noResult();
}

/** What a mutation's success member holds, or why there is none. */
export type PayloadOutcome<Payload> = { payload: Payload; failure: null } | { payload: null; failure: MutationFailure };

/** The outcome of a mutation, given the payload its success member holds (undefined for any other member). */
export function payloadOutcome<Payload>(
  error: CombinedError | undefined,
  result: MutationResultUnion | null | undefined,
  payload: Payload | undefined,
): PayloadOutcome<Payload> {
  if (!error && payload !== undefined) return { payload, failure: null };
  return { payload: null, failure: failureOfMutation(error, result) ?? noResult() };
}

/** The adapter a mutation returned, or why there is none. */
export type AdapterOutcome<Adapter> = { adapter: Adapter; failure: null } | { adapter: null; failure: MutationFailure };

/** The outcome of a mutation whose success member is `{ adapter }`. */
export function adapterOutcome<Adapter>(
  error: CombinedError | undefined,
  result: (MutationResultUnion & { adapter?: Adapter }) | null | undefined,
): AdapterOutcome<Adapter> {
  const outcome = payloadOutcome(error, result, result?.adapter);
  return outcome.failure ? { adapter: null, failure: outcome.failure } : { adapter: outcome.payload, failure: null };
}

const FAILURE_TITLES: Record<string, string> = {
  CONFLICT: "Already exists",
  BAD_USER_INPUT: "Not accepted",
  NOT_FOUND: "Not found",
  NETWORK_ERROR: "The server could not be reached",
  PAYLOAD_TOO_LARGE: "Too large",
  ADAPTER_DELETED: "Adapter deleted",
  INCOMPATIBLE_ADAPTER: "Adapter does not fit",
};

export function failureTitle(code: string): string {
  return FAILURE_TITLES[code] ?? "The server refused the request";
}

/** False when the failure is only about fields the form shows messages under, so an alert would repeat them. */
export function failureNeedsAlert(failure: MutationFailure, fieldsShown: readonly string[]): boolean {
  const fields = Object.keys(failure.fieldErrors);
  return failure.code !== "BAD_USER_INPUT" || fields.length === 0 || fields.some((field) => !fieldsShown.includes(field));
}
