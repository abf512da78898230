import { grantedScopes, type Scope } from "./scopes.js";

/** Who is calling: what the activity feed names them, and what they may do. */
export interface Principal {
  /** an API key's name, "local" with authentication off, "sidecar" for the sidecar token; null when anonymous */
  name: string | null;
  /** the API key presented, when one was */
  keyId: string | null;
  scopes: ReadonlySet<Scope>;
  /** whether a credential (an API key or the sidecar token) was presented and verified */
  authenticated: boolean;
}

export const ANONYMOUS: Principal = { name: null, keyId: null, scopes: new Set(), authenticated: false };

/** With AUTH=off, whoever reaches the (loopback) port may do everything a person does. */
export const LOCAL: Principal = { name: "local", keyId: null, scopes: grantedScopes(["admin"]), authenticated: false };

/** The shared SIDECAR_TOKEN: the embedded sidecar's bootstrap credential. */
export const SIDECAR_TOKEN_HOLDER: Principal = { name: "sidecar", keyId: null, scopes: grantedScopes(["sidecar"]), authenticated: true };

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope);
}

/** A credential's scopes added to what authentication off already grants (a sidecar key still counts as one). */
export function combined(base: Principal, presented: Principal): Principal {
  return { ...presented, scopes: new Set([...base.scopes, ...presented.scopes]) };
}
