import { describe, expect, test } from "vitest";
import { metadataChanges, metadataFormOf, metadataProblems, previewCandidates, withTrigger, type AdapterMetadata } from "./useAdapterMetadata";

const adapter: AdapterMetadata = {
  description: "Warm keys",
  triggers: ["rhodes"],
  activationText: null,
  weight: 1,
  ordinal: null,
  tags: ["keys"],
  notes: "",
  previewSample: null,
};

describe("metadataChanges", () => {
  test("sends nothing when nothing changed", () => {
    expect(metadataChanges(metadataFormOf(adapter), adapter)).toEqual({});
  });

  test("sends only the fields changed, words trimmed and once each, cleared fields as null", () => {
    const form = { ...metadataFormOf({ ...adapter, activationText: "rhodes", ordinal: 3 }), triggers: [" rhodes ", "warm", "warm", ""], activationText: " ", ordinal: null, weight: 0.8 };
    expect(metadataChanges(form, { ...adapter, activationText: "rhodes", ordinal: 3 })).toEqual({
      triggers: ["rhodes", "warm"], activationText: null, ordinal: null, weight: 0.8,
    });
    expect(metadataChanges({ ...metadataFormOf(adapter), notes: "dry", previewSampleId: "s1", ordinal: 0 }, adapter)).toEqual({ notes: "dry", previewSampleId: "s1", ordinal: 0 });
  });
});

describe("metadataProblems", () => {
  test("accepts the adapter as it is", () => {
    expect(metadataProblems(metadataFormOf(adapter))).toEqual({});
  });

  test("names each field the API would refuse", () => {
    const problems = metadataProblems({
      ...metadataFormOf(adapter), weight: 2.5, ordinal: 1.5, triggers: ["x".repeat(201)], tags: Array.from({ length: 51 }, (_, i) => `t${i}`),
    });
    expect(Object.keys(problems).sort()).toEqual(["ordinal", "tags", "triggers", "weight"]);
    expect(problems.weight).toBe("Enter a default weight from 0 to 2.");
    expect(metadataProblems({ ...metadataFormOf(adapter), weight: null, ordinal: -1 })).toMatchObject({ weight: expect.any(String), ordinal: expect.any(String) });
  });
});

test("withTrigger adds a suggestion once, whatever its case", () => {
  expect(withTrigger(["Rhodes"], "rhodes")).toEqual(["Rhodes"]);
  expect(withTrigger(["Rhodes"], "warm keys")).toEqual(["Rhodes", "warm keys"]);
});

test("previewCandidates labels each sample by its job's prompt, number and seed", () => {
  expect(previewCandidates([{ prompt: "a waltz", samples: [{ id: "s1", index: 0, seed: 7 }, { id: "s2", index: 1, seed: 8 }] }])).toEqual([
    { value: "s1", label: "a waltz · sample 1 · seed 7" },
    { value: "s2", label: "a waltz · sample 2 · seed 8" },
  ]);
});
