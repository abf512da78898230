import { expect, test } from "vitest";
import { graphqlWebSocketUrl, isKeyChallenge } from "./client";

test("subscriptions use the page's own origin, wss:// under https", () => {
  expect(graphqlWebSocketUrl({ protocol: "http:", host: "localhost:4000" })).toBe("ws://localhost:4000/graphql");
  expect(graphqlWebSocketUrl({ protocol: "https:", host: "studio.example.org" })).toBe("wss://studio.example.org/graphql");
});

test("a socket closed 4401 or 4403 challenges the key; other closes do not", () => {
  expect(isKeyChallenge({ code: 4401, reason: "an API key is required" })).toBe(true);
  expect(isKeyChallenge({ code: 4403, reason: "the API key was revoked or has expired" })).toBe(true);
  expect([1000, 1006, 4429, 4500].map((code) => isKeyChallenge({ code }))).toEqual([false, false, false, false]);
  expect(isKeyChallenge(new Error("socket error"))).toBe(false);
});
