import type { CombinedError } from "@urql/vue";
import type { ApiKeyScope, ViewerFieldsFragment } from "../gql/graphql";

/*
 * What the caller may do, as the API's `viewer` says: the rules the dashboard uses to ask for a key and to hide the
 * controls a key's scopes do not allow. The API enforces them; the dashboard only avoids offering what would be refused.
 */

export type Scope = "read" | "write" | "admin";

const SCOPE_OF: Record<Scope, ApiKeyScope> = { read: "READ", write: "WRITE", admin: "ADMIN" };

/** Whether the caller may use what needs `scope` (the viewer's scopes include implied ones: admin brings write and read). */
export function allows(viewer: Pick<ViewerFieldsFragment, "scopes"> | null, scope: Scope): boolean {
  return viewer?.scopes.includes(SCOPE_OF[scope]) ?? false;
}

/** Whether the dashboard must ask for a key: the API wants one, and no key that may read was presented. */
export function needsSignIn(viewer: ViewerFieldsFragment | null): boolean {
  return viewer !== null && viewer.authMode === "KEYS" && !allows(viewer, "read");
}

/** Why a key the API answered `viewer` for cannot sign in to the dashboard, or null when it can. */
export function signInRefusal(viewer: ViewerFieldsFragment): string | null {
  if (viewer.authMode === "KEYS" && !viewer.authenticated) return "The server did not take this key.";
  if (!allows(viewer, "read")) return `The key "${viewer.name ?? "unnamed"}" cannot read the studio (its scopes: ${describeScopes(viewer.scopes)}); sign in with a read, write or admin key.`;
  return null;
}

/** Why asking `viewer` with a key failed, in words for the sign-in form. */
export function signInFailure(error: CombinedError): string {
  const [first] = error.graphQLErrors;
  if (first) return asSentence(first.message);
  return asSentence(`could not reach the server: ${error.networkError?.message ?? error.message}`);
}

/** What the sign-in page says when a key that was in use stops working. */
export function signedOutReason(refusal: string): string {
  return `${asSentence(refusal)} Sign in again with a valid key.`;
}

/** The hint beside a control the caller's key does not allow. */
export function missingScopeHint(scope: Scope): string {
  return `Needs an API key with the ${scope} scope.`;
}

/** "admin, write, read": scopes as the key list shows them, broadest first. */
export function describeScopes(scopes: readonly ApiKeyScope[]): string {
  const order: ApiKeyScope[] = ["ADMIN", "WRITE", "READ", "SIDECAR"];
  const shown = order.filter((scope) => scopes.includes(scope));
  return shown.length > 0 ? shown.map((scope) => scope.toLowerCase()).join(", ") : "none";
}

/** "the API key was revoked" -> "The API key was revoked." */
function asSentence(text: string): string {
  const trimmed = text.trim().replace(/\.$/, "");
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.`;
}
