import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import RelayPlugin from "@pothos/plugin-relay";
import type PrismaTypes from "../generated/pothos-types.js";
import { getDatamodel } from "../generated/pothos-types.js";
import type { Context } from "../context.js";
import { authorizationError } from "../auth/errors.js";
import { hasScope } from "../auth/principal.js";

export interface AppSchemaTypes {
  PrismaTypes: PrismaTypes;
  Context: Context;
  DefaultFieldNullability: false;
  /** `public` is granted to anyone (the viewer query); the others are the API key scopes */
  AuthScopes: { public: boolean; read: boolean; write: boolean; admin: boolean; sidecar: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: File; Output: never };
  };
}

export const builder = new SchemaBuilder<AppSchemaTypes>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ principal }) => ({
      public: true,
      read: hasScope(principal, "read"),
      write: hasScope(principal, "write"),
      admin: hasScope(principal, "admin"),
      sidecar: hasScope(principal, "sidecar"),
    }),
    unauthorizedError: (_parent, { principal }, info) => authorizationError(principal, info.fieldName),
  },
  defaultFieldNullability: false,
  relay: { cursorType: "String", clientMutationId: "omit" },
  prisma: { client: (ctx) => ctx.prisma, dmmf: getDatamodel(), filterConnectionTotalCount: true, onUnusedQuery: null },
  errors: {
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${fieldName[0]!.toUpperCase()}${fieldName.slice(1)}Result` },
  },
});
