import { readFileSync } from "node:fs";
import { printSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../src/schema/index.js";

/** The sidecar's reports: a machine retries or gives up, so failures are GraphQL errors with a code, not union members. */
const SIDECAR_PROTOCOL = ["registerSidecar", "reportRunLogs", "reportRunMetrics", "finishRun", "reportGenerationProgress", "finishGeneration"];

describe("schema.graphql", () => {
  it("matches the Pothos schema (run `pnpm generate` and commit when this fails)", () => {
    const committed = readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8");
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it("gives every mutation a result union of its Success payload and the Error types", () => {
    const mutations = schema.getMutationType()!.getFields();
    for (const [name, field] of Object.entries(mutations).filter(([name]) => !SIDECAR_PROTOCOL.includes(name))) {
      const union = String(field.type).replace("!", "");
      expect(union, name).toBe(`${name[0]!.toUpperCase()}${name.slice(1)}Result`);
      const members = (schema.getType(union) as any).getTypes().map((t: { name: string }) => t.name);
      expect(members, name).toEqual(expect.arrayContaining([`${name[0]!.toUpperCase()}${name.slice(1)}Success`, "NotFoundError", "ConflictError", "BadUserInputError"]));
    }
  });
});
