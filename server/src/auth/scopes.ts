/*
 * What an API key may do. Scopes imply narrower ones: admin ⊃ write ⊃ read. The sidecar scope stands alone: it is
 * for the sidecar operations (commands, reports, the files a job needs) and grants nothing of the product.
 */

export const SCOPES = ["read", "write", "admin", "sidecar"] as const;
export type Scope = (typeof SCOPES)[number];

const IMPLIED: Record<Scope, readonly Scope[]> = {
  read: ["read"],
  write: ["write", "read"],
  admin: ["admin", "write", "read"],
  sidecar: ["sidecar"],
};

/** Every scope the given ones grant, implied ones included. */
export function grantedScopes(scopes: Iterable<Scope>): ReadonlySet<Scope> {
  return new Set([...scopes].flatMap((scope) => IMPLIED[scope]));
}

/** The scopes as stored: only the broadest of each chain ("admin", not "admin, write, read"). */
export function essentialScopes(scopes: Iterable<Scope>): Scope[] {
  const given = new Set(scopes);
  return SCOPES.filter((scope) => given.has(scope) && ![...given].some((other) => other !== scope && IMPLIED[other].includes(scope)));
}
