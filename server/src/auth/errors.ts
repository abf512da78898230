import { GraphQLError } from "graphql";
import type { Principal } from "./principal.js";

/*
 * Protocol failures of access control, as GraphQL errors with a code and the HTTP status yoga answers with:
 * no credential → 401 UNAUTHENTICATED, a credential without the scope → 403 FORBIDDEN.
 */

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401, headers: { "www-authenticate": 'Bearer realm="lora-studio"' } } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
}

export function rateLimited(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "RATE_LIMITED", http: { status: 429, headers: { "retry-after": String(retryAfterSeconds) } } } });
}

export function authorizationError(principal: Principal, fieldName: string): GraphQLError {
  if (!principal.authenticated) return unauthenticated(`${fieldName} needs an API key with the right scope: send it as "Authorization: Bearer lsk_…"`);
  return forbidden(`the API key "${principal.name}" may not use ${fieldName}: its scopes are ${[...principal.scopes].join(", ") || "none"}`);
}
