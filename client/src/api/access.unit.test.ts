import { CombinedError } from "@urql/vue";
import { describe, expect, test } from "vitest";
import type { ViewerFieldsFragment } from "../gql/graphql";
import { allows, describeScopes, needsSignIn, signedOutReason, signInFailure, signInRefusal } from "./access";

const viewer = (changes: Partial<ViewerFieldsFragment>): ViewerFieldsFragment => ({
  authMode: "KEYS",
  authenticated: true,
  name: "ci",
  keyId: "k1",
  scopes: ["READ"],
  ...changes,
});

describe("allows", () => {
  test("goes by the scopes the API grants, implied ones included", () => {
    const admin = viewer({ scopes: ["ADMIN", "WRITE", "READ"] });
    expect(["read", "write", "admin"].map((scope) => allows(admin, scope as "read"))).toEqual([true, true, true]);
    expect(allows(viewer({ scopes: ["READ"] }), "write")).toBe(false);
    expect(allows(viewer({ scopes: ["SIDECAR"] }), "read")).toBe(false);
  });

  test("allows nothing before the API has answered", () => {
    expect(allows(null, "read")).toBe(false);
  });
});

describe("needsSignIn", () => {
  test("asks for a key when the API wants one and none that may read was given", () => {
    expect(needsSignIn(viewer({ authenticated: false, name: null, keyId: null, scopes: [] }))).toBe(true);
    expect(needsSignIn(viewer({ scopes: ["SIDECAR"] }))).toBe(true);
    expect(needsSignIn(viewer({ scopes: ["READ"] }))).toBe(false);
  });

  test("never with authentication off, nor before the API has answered", () => {
    expect(needsSignIn(viewer({ authMode: "OFF", authenticated: false, name: "local", scopes: ["ADMIN", "WRITE", "READ"] }))).toBe(false);
    expect(needsSignIn(null)).toBe(false);
  });
});

describe("signInRefusal", () => {
  test("takes a key that may read", () => {
    expect(signInRefusal(viewer({ scopes: ["READ"] }))).toBeNull();
  });

  test("refuses a sidecar key, saying what it has and what is needed", () => {
    expect(signInRefusal(viewer({ name: "gpu-box", scopes: ["SIDECAR"] }))).toBe(
      'The key "gpu-box" cannot read the studio (its scopes: sidecar); sign in with a read, write or admin key.',
    );
  });
});

describe("signInFailure", () => {
  test("gives the API's reason as a sentence", () => {
    const error = new CombinedError({ graphQLErrors: [{ message: "the API key is not valid", extensions: { code: "UNAUTHENTICATED" } }] });
    expect(signInFailure(error)).toBe("The API key is not valid.");
  });

  test("says when the server could not be reached", () => {
    expect(signInFailure(new CombinedError({ networkError: new TypeError("Failed to fetch") }))).toBe("Could not reach the server: Failed to fetch.");
  });
});

test("signedOutReason turns the API's refusal into what the sign-in page says", () => {
  expect(signedOutReason("the API key was revoked")).toBe("The API key was revoked. Sign in again with a valid key.");
});

test("describeScopes lists scopes broadest first", () => {
  expect(describeScopes(["READ", "ADMIN", "WRITE"])).toBe("admin, write, read");
  expect(describeScopes([])).toBe("none");
});
