import { describe, expect, it } from "vitest";
import { declaredScopes } from "../../src/auth/operation-scopes.js";
import { essentialScopes, grantedScopes, SCOPES } from "../../src/auth/scopes.js";
import { schema } from "../../src/schema/index.js";

const ROOTS = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
const rootFields = ROOTS.flatMap((root) => Object.values(root!.getFields()).map((field) => ({ root: root!.name, field })));

describe("scopes", () => {
  it("declares on every root field the scope it needs", () => {
    const undeclared = rootFields.filter(({ field }) => !declaredScopes(field)).map(({ root, field }) => `${root}.${field.name}`);
    expect(undeclared).toEqual([]);
  });

  it("names only known scopes, and keeps changes, key management and sidecar operations from readers", () => {
    const known = new Set<string>([...SCOPES, "public"]);
    const scopeOf = (name: string) => Object.keys(declaredScopes(rootFields.find(({ field }) => field.name === name)!.field)!);
    for (const { field } of rootFields) expect(Object.keys(declaredScopes(field)!).every((scope) => known.has(scope)), field.name).toBe(true);
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.filter((field) => declaredScopes(field)!.read || declaredScopes(field)!.public).map((field) => field.name)).toEqual([]);
    expect([scopeOf("apiKeys"), scopeOf("createApiKey"), scopeOf("revokeApiKey")]).toEqual([["admin"], ["admin"], ["admin"]]);
    expect(["registerSidecar", "reportRunLogs", "finishRun", "sidecarCommands"].map(scopeOf)).toEqual([["sidecar"], ["sidecar"], ["sidecar"], ["sidecar"]]);
    expect(rootFields.filter(({ field }) => declaredScopes(field)!.public).map(({ field }) => field.name).sort()).toEqual(["version", "viewer"]);
  });

  it("implies read in write and write in admin, and nothing in sidecar", () => {
    expect([...grantedScopes(["admin"])].sort()).toEqual(["admin", "read", "write"]);
    expect([...grantedScopes(["write"])].sort()).toEqual(["read", "write"]);
    expect([...grantedScopes(["sidecar"])]).toEqual(["sidecar"]);
    expect(essentialScopes(["read", "write", "sidecar"])).toEqual(["write", "sidecar"]);
  });
});
