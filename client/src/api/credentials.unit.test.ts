import { describe, expect, test, vi } from "vitest";
import { fetchWithApiKey, refusalReason } from "./credentials";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("fetchWithApiKey", () => {
  test("presents the key as a bearer token and the CSRF header beside the request's own headers", async () => {
    const fetchStub = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => json({ data: {} }));
    await fetchWithApiKey("lsk_abc", () => undefined, fetchStub)("/graphql", { method: "POST", headers: { accept: "application/json" } });
    const headers = new Headers(fetchStub.mock.calls[0]![1]!.headers);
    expect(headers.get("authorization")).toBe("Bearer lsk_abc");
    // urql's GET queries and multipart posts are "simple" requests a foreign page could send: the API wants this header
    expect(headers.get("x-graphql-yoga-csrf")).toBe("1");
    expect(headers.get("accept")).toBe("application/json");
  });

  test("sends no authorization without a key", async () => {
    const fetchStub = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => json({ data: {} }));
    await fetchWithApiKey(null, () => undefined, fetchStub)("/graphql");
    expect(new Headers(fetchStub.mock.calls[0]![1]!.headers).has("authorization")).toBe(false);
  });

  test("reports a refused key with the API's reason, and still hands the response on", async () => {
    const refused = vi.fn();
    const response = await fetchWithApiKey("lsk_old", refused, async () =>
      json({ errors: [{ message: "the API key was revoked", extensions: { code: "UNAUTHENTICATED" } }] }, 401),
    )("/graphql");
    expect(refused).toHaveBeenCalledWith("the API key was revoked");
    expect(((await response.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  test("leaves other refusals (a key without the scope) to the caller", async () => {
    const refused = vi.fn();
    await fetchWithApiKey("lsk_read", refused, async () => json({ errors: [{ message: "may not use deleteAdapter" }] }, 403))("/graphql");
    expect(refused).not.toHaveBeenCalled();
  });
});

test("refusalReason has words even when the answer is not GraphQL", async () => {
  expect(await refusalReason(new Response("Unauthorized", { status: 401 }))).toBe("the server asks for an API key");
});
