import { describe, expect, test, vi } from "vitest";
import { uploadAdapter } from "./uploadAdapter";

const weights = new File([new Uint8Array([1, 2, 3])], "adapter_model.safetensors");
const input = { name: "jazz-solo", version: "1.0", tags: ["jazz"] };

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("uploadAdapter", () => {
  test("posts the multipart body to /graphql and returns the new adapter", async () => {
    const adapter = { id: "a1", name: "jazz-solo", version: "1.0" };
    const fetchStub = vi.fn(async () => jsonResponse({ data: { uploadAdapter: { __typename: "UploadAdapterSuccess", adapter } } }));
    const outcome = await uploadAdapter(input, [weights], fetchStub);
    expect(outcome).toEqual({ adapter, failure: null });
    const [url, init] = fetchStub.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/graphql");
    expect(init.method).toBe("POST");
    expect(String((init.body as FormData).get("operations"))).toContain("mutation UploadAdapter");
  });

  test("returns a conflict with its suggested version", async () => {
    const conflict = { __typename: "ConflictError", message: "version 1.0 exists", code: "CONFLICT", suggestedVersion: "1.1" };
    const outcome = await uploadAdapter(input, [weights], async () => jsonResponse({ data: { uploadAdapter: conflict } }));
    expect(outcome.failure).toMatchObject({ code: "CONFLICT", suggestedVersion: "1.1" });
  });

  test("reports GraphQL errors such as an oversized body", async () => {
    const tooLarge = { errors: [{ message: "request body too large", extensions: { code: "PAYLOAD_TOO_LARGE" } }] };
    const outcome = await uploadAdapter(input, [weights], async () => jsonResponse(tooLarge, 413));
    expect(outcome.failure).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "request body too large" });
  });

  test("explains an answer that is not GraphQL", async () => {
    const outcome = await uploadAdapter(input, [weights], async () => new Response("<html>Bad gateway</html>", { status: 502 }));
    expect(outcome.failure?.message).toBe("The server answered HTTP 502 without a GraphQL result.");
  });

  test("reports a network failure", async () => {
    const outcome = await uploadAdapter(input, [weights], async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(outcome.failure).toMatchObject({ code: "NETWORK_ERROR", message: "Failed to fetch" });
  });
});
