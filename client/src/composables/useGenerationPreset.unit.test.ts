import { describe, expect, test } from "vitest";
import { abTestLocation, generateLocation, isEmptyPreset, jobAbTestLocation, presetFromQuery, rerunLocation, type ReusableJob } from "./useGenerationPreset";

describe("presetFromQuery", () => {
  test("reads adapters with their weights, the prompt, the seed and the base model", () => {
    expect(presetFromQuery({ adapters: "a1:0.8,b-2,c3:", prompt: "a waltz", seed: "42", baseModel: "tunes-s" })).toEqual({
      adapters: [{ adapterId: "a1", weight: 0.8 }, { adapterId: "b-2", weight: null }, { adapterId: "c3", weight: null }],
      prompt: "a waltz",
      seed: 42,
      baseModelId: "tunes-s",
    });
  });

  test("leaves out what it cannot read, keeps weights within 0–2, each adapter once and at most five", () => {
    const preset = presetFromQuery({ adapters: "a:3,a:1,<x>,b:-1,c:nan,d,e,f,g", seed: "-3" });
    expect(preset.adapters).toEqual([
      { adapterId: "a", weight: 2 }, { adapterId: "b", weight: 0 }, { adapterId: "c", weight: null }, { adapterId: "d", weight: null }, { adapterId: "e", weight: null },
    ]);
    expect(preset.seed).toBeNull();
    expect(isEmptyPreset(presetFromQuery({ tab: "x" }))).toBe(true);
  });

  test("reads back what generateLocation writes", () => {
    const preset = { adapters: [{ adapterId: "a1", weight: 0.75 }, { adapterId: "b2", weight: null }], prompt: "a <lora:x:1> waltz", seed: 7, baseModelId: "tunes-m" };
    const location = generateLocation(preset) as { name: string; query: Record<string, string> };
    expect(location).toEqual({ name: "generate", query: { adapters: "a1:0.75,b2", prompt: "a <lora:x:1> waltz", seed: "7", baseModel: "tunes-m" } });
    expect(presetFromQuery(location.query)).toEqual(preset);
  });
});

test("abTestLocation names the sides the New A/B test page reads", () => {
  expect(abTestLocation("a1")).toEqual({ name: "ab-test-new", query: { adapterA: "a1" } });
  expect(abTestLocation("a1", "b2")).toEqual({ name: "ab-test-new", query: { adapterA: "a1", adapterB: "b2" } });
});

describe("links from a job", () => {
  const job: ReusableJob = {
    prompt: "a waltz, warm keys, <lora:keys:0.8> <lora:gone:1>",
    seed: 40,
    baseModel: { id: "tunes-s" },
    adapters: [
      { weight: 0.8, deleted: false, adapter: { id: "k1" } },
      { weight: 1, deleted: true, adapter: { id: "g1" } },
    ],
  };

  test("re-runs with the job's words, live adapters, weights and base model, at its seed or a sample's", () => {
    expect(rerunLocation(job)).toEqual({ name: "generate", query: { adapters: "k1:0.8", prompt: "a waltz, warm keys", seed: "40", baseModel: "tunes-s" } });
    expect(rerunLocation(job, 42)).toMatchObject({ query: { seed: "42" } });
  });

  test("sends a job of one or two live adapters to a new A/B test", () => {
    expect(jobAbTestLocation(job)).toEqual({ name: "ab-test-new", query: { adapterA: "k1" } });
    expect(jobAbTestLocation({ ...job, adapters: [] })).toBeNull();
  });
});
