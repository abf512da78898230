import { CombinedError } from "@urql/vue";
import { describe, expect, test } from "vitest";
import {
  adapterOutcome,
  failureNeedsAlert,
  failureOfMutation,
  failureOfProtocolErrors,
  failureOfResult,
  failureTitle,
  payloadOutcome,
} from "./mutationFailure";

describe("failureOfResult", () => {
  test("is null for the success member of a result union", () => {
    expect(failureOfResult({ __typename: "RenameAdapterSuccess" })).toBeNull();
  });

  test("keeps a conflict's suggested version", () => {
    const conflict = { __typename: "ConflictError", message: "version 1.0 exists; next free is 1.1", code: "CONFLICT", suggestedVersion: "1.1" };
    expect(failureOfResult(conflict)).toEqual({
      message: "version 1.0 exists; next free is 1.1",
      code: "CONFLICT",
      suggestedVersion: "1.1",
      fieldErrors: {},
    });
  });

  test("maps field errors by field", () => {
    const refused = {
      __typename: "BadUserInputError",
      message: "name: name must not be empty",
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "name", message: "name must not be empty" }],
    };
    expect(failureOfResult(refused)?.fieldErrors).toEqual({ name: "name must not be empty" });
  });
});

describe("failureOfMutation", () => {
  test("reports a network failure with its own code", () => {
    const error = new CombinedError({ networkError: new Error("Failed to fetch") });
    expect(failureOfMutation(error, undefined)).toMatchObject({ code: "NETWORK_ERROR", message: "Failed to fetch" });
  });

  test("takes the code of a GraphQL error from its extensions", () => {
    const error = new CombinedError({ graphQLErrors: [{ message: "Unexpected error.", extensions: { code: "FORBIDDEN" } }] });
    expect(failureOfMutation(error, undefined)).toMatchObject({ code: "FORBIDDEN" });
  });

  test("is null when the union holds the success payload", () => {
    expect(failureOfMutation(undefined, { __typename: "DeleteAdapterSuccess" })).toBeNull();
  });
});

describe("failureOfProtocolErrors", () => {
  test("falls back to a generic message when there is nothing to report", () => {
    expect(failureOfProtocolErrors([])).toEqual({
      message: "The server did not answer.",
      code: "INTERNAL_SERVER_ERROR",
      suggestedVersion: null,
      fieldErrors: {},
    });
  });
});

describe("failureNeedsAlert", () => {
  const badInput = (fields: string[]) => ({
    message: "invalid",
    code: "BAD_USER_INPUT",
    suggestedVersion: null,
    fieldErrors: Object.fromEntries(fields.map((field) => [field, "wrong"])),
  });

  test("is false when every refused field has its message under it", () => {
    expect(failureNeedsAlert(badInput(["name", "filePath"]), ["name", "version", "filePath"])).toBe(false);
  });

  test("is true for a field the form does not show, and for other codes", () => {
    expect(failureNeedsAlert(badInput(["weight"]), ["name"])).toBe(true);
    expect(failureNeedsAlert({ ...badInput([]), code: "CONFLICT" }, ["name"])).toBe(true);
  });
});

test("failureTitle names known codes and has a fallback", () => {
  expect(failureTitle("CONFLICT")).toBe("Already exists");
  expect(failureTitle("SOMETHING_NEW")).toBe("The server refused the request");
});

describe("adapterOutcome", () => {
  test("takes the adapter from the success member", () => {
    const adapter = { id: "a1" };
    expect(adapterOutcome(undefined, { __typename: "RegisterAdapterSuccess", adapter })).toEqual({ adapter, failure: null });
  });

  test("gives the failure otherwise, and one for a missing result", () => {
    expect(adapterOutcome(undefined, { __typename: "NotFoundError", message: "gone", code: "NOT_FOUND" }).failure?.code).toBe("NOT_FOUND");
    expect(adapterOutcome(undefined, null).failure?.message).toBe("The server returned no result.");
  });
});

describe("payloadOutcome", () => {
  test("takes the payload of the success member", () => {
    const experiment = { id: "e1" };
    expect(payloadOutcome(undefined, { __typename: "CreateExperimentSuccess" }, experiment)).toEqual({ payload: experiment, failure: null });
  });

  test("gives the error member's failure when there is no payload", () => {
    const refused = { __typename: "BadUserInputError", message: "name: too long", code: "BAD_USER_INPUT", fieldErrors: [{ field: "name", message: "too long" }] };
    expect(payloadOutcome(undefined, refused, undefined).failure?.fieldErrors).toEqual({ name: "too long" });
  });
});
