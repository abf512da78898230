import { expect, test } from "vitest";
import { graphqlWebSocketUrl } from "./client";

test("subscriptions use the page's own origin, wss:// under https", () => {
  expect(graphqlWebSocketUrl({ protocol: "http:", host: "localhost:4000" })).toBe("ws://localhost:4000/graphql");
  expect(graphqlWebSocketUrl({ protocol: "https:", host: "studio.example.org" })).toBe("wss://studio.example.org/graphql");
});
