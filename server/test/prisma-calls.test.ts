import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kohyaAdapter } from "./fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

const LIST = `query($first: Int) { adapters(first: $first, filter: { compatibleWith: "pony-xl" }) { totalCount edges { node {
  id name baseModel { id displayName capabilities { resolution } aliases } compatibility(baseModelId: "pony-xl") { compatible reason } } } } }`;

describe("Prisma calls of the main list queries (N+1 guard)", () => {
  let app: TestApp;
  const calls: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ onQuery: (model, operation) => calls.push(`${model ?? "$"}.${operation}`) });
    await mkdir(app.importRoot, { recursive: true });
    for (let i = 0; i < 12; i++) {
      const filePath = join(app.importRoot, `${i}.safetensors`);
      await writeFile(filePath, kohyaAdapter({ seed: i, baseModelVersion: i % 2 ? "sdxl_base_v1-0" : "sd_v1" }));
      await app.gql(`mutation($input: RegisterAdapterInput!) { registerAdapter(input: $input) { __typename } }`, { input: { name: `a${i}`, version: "1", filePath } });
    }
  });
  afterAll(async () => app?.close());

  async function callsFor(first: number): Promise<string[]> {
    calls.length = 0;
    const { data, errors } = await app.gql(LIST, { first });
    expect(errors).toBeUndefined();
    expect(data.adapters.edges.length).toBe(Math.min(first, 6));
    return [...calls].sort();
  }

  it("does not grow with the page size", async () => {
    const small = await callsFor(2);
    const large = await callsFor(6);
    expect(large).toEqual(small);
    expect(large).toMatchInlineSnapshot(`
      [
        "Adapter.count",
        "Adapter.findMany",
        "BaseModel.findUnique",
      ]
    `);
  });
});
