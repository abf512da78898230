import { GraphQLError } from "graphql";
import { BadUserInputError, type DomainError } from "./domain-errors.js";

/** A domain failure where the field has no typed result for it: a GraphQL error with its code (and its field errors). */
export function codedGraphQLError(error: DomainError): GraphQLError {
  const fieldErrors = error instanceof BadUserInputError ? { fieldErrors: error.fieldErrors } : {};
  return new GraphQLError(error.message, { extensions: { code: error.code, ...fieldErrors } });
}
