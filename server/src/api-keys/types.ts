import type { ApiKey } from "../generated/prisma/client.js";
import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { SCOPES, type Scope } from "../auth/scopes.js";
import { scopesOf } from "./service.js";

/*
 * Access control in GraphQL: who the caller is (`viewer`, answered to anyone so a client knows whether to ask for a
 * key), and key management for admins. A key's secret is in the creation payload only.
 */

const ApiKeyScopeEnum = builder.enumType("ApiKeyScope", {
  description: "read: queries, subscriptions, files; write: read and every change; admin: write and API keys; sidecar: the sidecar operations",
  values: Object.fromEntries(SCOPES.map((scope) => [scope.toUpperCase(), { value: scope }])) as Record<Uppercase<Scope>, { value: Scope }>,
});

const AuthModeEnum = builder.enumType("AuthMode", {
  description: "OFF: loopback use without keys; KEYS: every request needs an API key",
  values: { OFF: { value: "off" }, KEYS: { value: "keys" } } as const,
});

interface Viewer {
  authMode: "off" | "keys";
  authenticated: boolean;
  name: string | null;
  keyId: string | null;
  scopes: Scope[];
}

const ViewerRef = builder.objectRef<Viewer>("Viewer").implement({
  description: "the caller as the API sees it",
  fields: (t) => ({
    authMode: t.field({ type: AuthModeEnum, resolve: (viewer) => viewer.authMode }),
    authenticated: t.exposeBoolean("authenticated", { description: "whether a valid key (or the sidecar token) was presented" }),
    name: t.exposeString("name", { nullable: true, description: 'the key\'s name, "local" with authentication off, null when anonymous' }),
    keyId: t.exposeID("keyId", { nullable: true }),
    scopes: t.field({ type: [ApiKeyScopeEnum], description: "every scope granted, implied ones included", resolve: (viewer) => viewer.scopes }),
  }),
});

const ApiKeyRef = builder.prismaObject("ApiKey", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    prefix: t.exposeString("prefix", { description: "the first characters of the secret, to tell keys apart" }),
    scopes: t.field({ type: [ApiKeyScopeEnum], resolve: (key) => scopesOf(key) }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", nullable: true, description: "to the minute" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
  }),
});

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.field({ type: [ApiKeyScopeEnum], required: true }),
    expiresAt: t.field({ type: "DateTime", description: "when it stops working; never when absent" }),
  }),
});

const CreateApiKeySuccess = builder.objectRef<{ apiKey: ApiKey; secret: string }>("CreateApiKeySuccess").implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (payload) => payload.apiKey }),
    secret: t.exposeString("secret", { description: "the key itself (lsk_…): shown this once, stored only as a hash" }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    authScopes: { public: true },
    type: ViewerRef,
    resolve: (_root, _args, ctx) => ({
      authMode: ctx.deps.config.auth,
      authenticated: ctx.principal.authenticated,
      name: ctx.principal.name,
      keyId: ctx.principal.keyId,
      scopes: SCOPES.filter((scope) => ctx.principal.scopes.has(scope)),
    }),
  }),
  apiKeys: t.prismaField({
    authScopes: { admin: true },
    type: [ApiKeyRef],
    description: "every key, newest first, revoked ones included",
    resolve: (query, _root, _args, ctx) => ctx.prisma.apiKey.findMany({ ...query, orderBy: { createdAt: "desc" } }),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    authScopes: { admin: true },
    type: CreateApiKeySuccess,
    errors: { types: COMMON_ERRORS },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { key, secret } = await ctx.services.apiKeys.create({ name: input.name, scopes: input.scopes, expiresAt: input.expiresAt });
      return { apiKey: key, secret };
    },
  }),
  revokeApiKey: t.field({
    authScopes: { admin: true },
    type: successPayload("RevokeApiKey", "apiKey", ApiKeyRef),
    errors: { types: COMMON_ERRORS },
    description: "the key stops working at once; its open WebSockets close within 5 s",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ apiKey: await ctx.services.apiKeys.revoke(String(id)) }),
  }),
}));
