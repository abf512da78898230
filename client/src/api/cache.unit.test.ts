import { describe, expect, test } from "vitest";
import introspection from "../gql/introspection";
import { entityTypesOf, schemaFacts } from "./cache";

describe("what the cache reads from the schema", () => {
  const facts = schemaFacts(introspection);

  test("every union and the Error interface, with their members", () => {
    expect(facts.possibleTypes.StartRunResult).toEqual(expect.arrayContaining(["StartRunSuccess", "NotFoundError"]));
    expect(facts.possibleTypes.Error).toEqual(expect.arrayContaining(["NotFoundError", "ConflictError", "BadUserInputError"]));
  });

  test("types without an id are values kept inside their holder; types with one are not", () => {
    expect(facts.valueTypes).toEqual(expect.arrayContaining(["PageInfo", "MetricSeries", "Viewer", "TrainingParameter", "QueryAdaptersConnectionEdge"]));
    expect(facts.valueTypes).not.toContain("Adapter");
    expect(facts.valueTypes).not.toContain("Run");
    expect(facts.valueTypes).not.toContain("Query");
  });

  test("the root lists of each type: plain lists, connections, and lists of matches that hold one", () => {
    expect(facts.rootListsOf.Adapter).toEqual(expect.arrayContaining(["adapters", "adapterGroups", "similarAdapters", "recommendAdapters"]));
    expect(facts.rootListsOf.Experiment).toEqual(["experiments"]);
    expect(facts.rootListsOf.Run).toEqual(["runs"]);
    expect(facts.rootListsOf.BaseModel).toEqual(["baseModels"]);
    expect(facts.rootListsOf.ApiKey).toEqual(["apiKeys"]);
  });

  test("every mutation gets an updater", () => {
    expect(facts.mutationFields).toEqual(expect.arrayContaining(["startRun", "deleteRuns", "renameAdapter", "createExperiment"]));
  });
});

describe("the kinds of things a mutation's payload names", () => {
  test("the objects with ids among the payload's fields, once each", () => {
    const payload = { __typename: "StartRunSuccess", run: { __typename: "Run", id: "r1", adapter: { __typename: "Adapter", id: "a1" } } };
    expect(entityTypesOf(payload)).toEqual(["Run"]);
    const several = { __typename: "ImportSuccess", created: [{ __typename: "Adapter", id: "a1" }, { __typename: "Adapter", id: "a2" }], dryRun: false };
    expect(entityTypesOf(several)).toEqual(["Adapter"]);
  });

  test("a payload that is itself an object with an id, and payloads that name none", () => {
    expect(entityTypesOf({ __typename: "Run", id: "r1" })).toEqual(["Run"]);
    expect(entityTypesOf({ __typename: "NotFoundError", message: "no such run", code: "NOT_FOUND" })).toEqual([]);
    expect(entityTypesOf(null)).toEqual([]);
    expect(entityTypesOf(42)).toEqual([]);
  });
});
