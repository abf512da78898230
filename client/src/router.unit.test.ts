import { expect, test } from "vitest";
import { afterSignIn } from "./router";

test("sign-in returns to the page that asked for it, on this site only", () => {
  expect(afterSignIn({ query: { redirect: "/adapters?active=1" } })).toBe("/adapters?active=1");
  expect(afterSignIn({ query: {} })).toBe("/");
  expect(afterSignIn({ query: { redirect: "//evil.example/phish" } })).toBe("/");
  expect(afterSignIn({ query: { redirect: "https://evil.example" } })).toBe("/");
});
