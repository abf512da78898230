import { getOperationAST, Kind, type DocumentNode, type GraphQLField, type GraphQLSchema, type SelectionSetNode } from "graphql";
import type { Principal } from "./principal.js";

/*
 * The scopes a root field declares through the scope-auth plugin (`authScopes: { read: true }`: any one listed scope
 * suffices; `public` is anyone's). Read from the built schema, so a WebSocket can refuse an operation before it runs
 * and a test can list the root fields that declare none.
 */

type ScopeMap = Record<string, boolean>;

export function declaredScopes(field: GraphQLField<unknown, unknown>): ScopeMap | null {
  const options = field.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
  const scopes = options?.authScopes;
  return scopes && typeof scopes === "object" ? (scopes as ScopeMap) : null;
}

export function mayUse(principal: Principal, scopes: ScopeMap | null): boolean {
  if (!scopes) return false;
  return Object.entries(scopes).some(([scope, wanted]) => wanted && (scope === "public" || principal.scopes.has(scope as never)));
}

/** The first root field of the operation the principal may not use, or null when it may use them all. */
export function firstForbiddenRootField(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, principal: Principal): string | null {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return null;
  const fields = root.getFields();
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const pending: SelectionSetNode[] = [operation.selectionSet];
  const seen = new Set<SelectionSetNode>();
  for (let set = pending.pop(); set; set = pending.pop()) {
    if (seen.has(set)) continue;
    seen.add(set);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = fields[selection.name.value];
        if (field && !mayUse(principal, declaredScopes(field))) return field.name;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) pending.push(fragment);
      }
    }
  }
  return null;
}
