import { cacheExchange, type Cache, type DataFields, type UpdateResolver, type UpdatesConfig } from "@urql/exchange-graphcache";
import type { IntrospectionObjectType, IntrospectionQuery, IntrospectionType, IntrospectionTypeRef } from "graphql";
import introspection from "../gql/introspection";

/*
 * The dashboard's normalised cache. Every object with an id is stored once and updated in place by whatever result
 * mentions it (a query, a mutation's payload, a subscription event), so a page never refetches to learn what a
 * mutation just said, and an answer that changes nothing leaves the objects the page holds as they were. What a payload
 * cannot say (a list gaining or losing members) is invalidated, and the queries showing it ask again.
 */

/** What the cache needs to know of the schema, read from its introspection. */
export interface SchemaFacts {
  /** each union and interface, with the object types it stands for */
  possibleTypes: Record<string, string[]>;
  /** object types without an id: values kept inside whatever holds them */
  valueTypes: string[];
  /** for each type with an id, the root query fields that list it (directly, as a connection's nodes, or inside its items) */
  rootListsOf: Record<string, string[]>;
  mutationFields: string[];
}

function namedType(ref: IntrospectionTypeRef): string {
  return "ofType" in ref && ref.ofType ? namedType(ref.ofType) : (ref as { name: string }).name;
}

function isList(ref: IntrospectionTypeRef): boolean {
  if (ref.kind === "LIST") return true;
  return ref.kind === "NON_NULL" && isList(ref.ofType);
}

function isObjectType(type: IntrospectionType): type is IntrospectionObjectType {
  return type.kind === "OBJECT";
}

export function schemaFacts(schema: IntrospectionQuery): SchemaFacts {
  const types = schema.__schema.types;
  const objects = types.filter(isObjectType);
  const objectType = (name: string | undefined) => objects.find((type) => type.name === name);
  const fieldOf = (typeName: string, fieldName: string) => objectType(typeName)?.fields?.find((field) => field.name === fieldName);
  /** the node type of a Relay connection type, or null */
  const connectionNode = (typeName: string) => {
    const edges = fieldOf(typeName, "edges");
    const node = edges && fieldOf(namedType(edges.type), "node");
    return node ? namedType(node.type) : null;
  };
  const hasId = (typeName: string) => Boolean(fieldOf(typeName, "id"));

  /** the types with ids an item of a list stands for: itself, or those its fields hold (a match's adapter) */
  const entitiesOfItem = (typeName: string) =>
    hasId(typeName) ? [typeName] : (objectType(typeName)?.fields ?? []).map((field) => namedType(field.type)).filter(hasId);

  const rootListsOf: Record<string, string[]> = {};
  for (const field of objectType(schema.__schema.queryType.name)?.fields ?? []) {
    const item = isList(field.type) ? namedType(field.type) : connectionNode(namedType(field.type));
    for (const listed of new Set(item ? entitiesOfItem(item) : [])) (rootListsOf[listed] ??= []).push(field.name);
  }

  const possibleTypes: Record<string, string[]> = {};
  for (const type of types) {
    if (type.kind === "UNION" || type.kind === "INTERFACE") possibleTypes[type.name] = (type.possibleTypes ?? []).map((member) => member.name);
  }

  const roots = new Set([schema.__schema.queryType.name, schema.__schema.mutationType?.name, schema.__schema.subscriptionType?.name]);
  return {
    possibleTypes,
    valueTypes: objects.filter((type) => !roots.has(type.name) && !type.name.startsWith("__") && !hasId(type.name)).map((type) => type.name),
    rootListsOf,
    mutationFields: objectType(schema.__schema.mutationType?.name)?.fields.map((field) => field.name) ?? [],
  };
}

type Entity = { __typename: string; id: string };

function isEntity(value: unknown): value is Entity {
  return typeof value === "object" && value !== null && typeof (value as Entity).__typename === "string" && typeof (value as Entity).id === "string";
}

/** The types of the objects with ids a mutation's payload names: the payload itself, or its fields (one level down). */
export function entityTypesOf(payload: unknown): string[] {
  if (isEntity(payload)) return [payload.__typename];
  if (typeof payload !== "object" || payload === null) return [];
  const found = Object.values(payload).flatMap((value) => (Array.isArray(value) ? value : [value])).filter(isEntity);
  return [...new Set(found.map((entity) => entity.__typename))];
}

/** Marks a field stale whatever arguments it was asked with: the queries that show it ask the server again. */
function invalidateField(cache: Cache, entity: string | Entity, fieldName: string): void {
  for (const field of cache.inspectFields(entity)) {
    if (field.fieldName === fieldName) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

/** After any mutation: the lists of the kinds of things it created, changed or deleted may have gained or lost members. */
function listsOfTouchedTypes(facts: SchemaFacts): UpdateResolver {
  return (result, _args, cache, info) => {
    for (const typename of entityTypesOf(result[info.fieldName])) {
      for (const field of facts.rootListsOf[typename] ?? []) invalidateField(cache, "Query", field);
    }
  };
}

/** Runs belong to their experiment's list, which no root list covers. */
const RUN_LIST_UPDATES: Record<string, (result: DataFields, args: Record<string, unknown>, cache: Cache) => void> = {
  startRun: (_result, args, cache) => invalidateField(cache, { __typename: "Experiment", id: String(args.experimentId) }, "runs"),
  deleteRun: (result, _args, cache) => forgetDeletedRuns(cache, result.deleteRun),
  deleteRuns: (result, args, cache) => {
    forgetDeletedRuns(cache, result.deleteRuns);
    invalidateField(cache, { __typename: "Experiment", id: String(args.experimentId) }, "runs");
  },
};

function forgetDeletedRuns(cache: Cache, payload: unknown): void {
  const ids = (payload as { deletedRunIds?: unknown } | null)?.deletedRunIds;
  if (Array.isArray(ids)) for (const id of ids) cache.invalidate({ __typename: "Run", id: String(id) });
}

export function mutationUpdates(facts: SchemaFacts): UpdatesConfig["Mutation"] {
  const touched = listsOfTouchedTypes(facts);
  return Object.fromEntries(
    facts.mutationFields.map((name) => [
      name,
      ((result, args, cache, info) => {
        touched(result, args, cache, info);
        RUN_LIST_UPDATES[name]?.(result, args, cache);
      }) satisfies UpdateResolver,
    ]),
  );
}

/** The cache exchange of one API connection (each key gets its own: what one key may read is not another's). */
export function createCacheExchange(schema: IntrospectionQuery = introspection) {
  const facts = schemaFacts(schema);
  return cacheExchange({
    possibleTypes: facts.possibleTypes,
    keys: Object.fromEntries(facts.valueTypes.map((name) => [name, () => null])),
    updates: { Mutation: mutationUpdates(facts) },
  });
}
