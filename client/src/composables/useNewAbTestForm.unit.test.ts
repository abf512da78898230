import { describe, expect, test } from "vitest";
import { BASE_MODEL_SIDE, defaultAbTestName, newAbTestInput, prefillFromQuery, promptLines, sideName, type NewAbTestForm } from "./useNewAbTestForm";

const FORM: NewAbTestForm = {
  name: "  jazz 1 vs jazz 2 ",
  adapterAId: "a1",
  adapterBId: "b2",
  weightA: null,
  weightB: null,
  prompts: "a waltz\n\n  a march  \n",
  trialsPerPrompt: 5,
  seed: null,
  durationSeconds: null,
};

describe("the new A/B test form", () => {
  test("takes the sides from the address", () => {
    const empty = { adapterAId: null, adapterBId: null, weightA: null, weightB: null, prompts: "", seed: null, durationSeconds: null };
    expect(prefillFromQuery({ adapterA: "a1", adapterB: "base" })).toEqual({ ...empty, adapterAId: "a1", adapterBId: "base" });
    expect(prefillFromQuery({ adapterA: ["a1", "a2"] })).toEqual(empty);
    expect(prefillFromQuery({})).toEqual(empty);
  });

  test("takes two cells of a grid from the address: weights, prompt and seed", () => {
    expect(prefillFromQuery({ adapterA: "a1", weightA: "0.4", adapterB: "a1", weightB: "1", prompt: "a waltz", seed: "7", durationSeconds: "4" })).toEqual({
      adapterAId: "a1",
      adapterBId: "a1",
      weightA: 0.4,
      weightB: 1,
      prompts: "a waltz",
      seed: 7,
      durationSeconds: 4,
    });
    expect(prefillFromQuery({ weightA: "heavy", seed: "" })).toMatchObject({ weightA: null, seed: null });
  });

  test("names the test after its sides, with their weights when given", () => {
    expect(defaultAbTestName("jazz 1", "jazz 2")).toBe("jazz 1 vs jazz 2");
    expect(defaultAbTestName("jazz 1", null)).toBe("jazz 1 vs base model");
    expect(defaultAbTestName(null, "jazz 2")).toBe("");
    expect(defaultAbTestName(sideName("jazz 1", 0.4), sideName("jazz 1", null))).toBe("jazz 1 at 0.40 vs jazz 1");
  });

  test("reads one prompt per line", () => {
    expect(promptLines(FORM.prompts)).toEqual(["a waltz", "a march"]);
  });

  test("sends the base model as a null B and leaves out unset numbers", () => {
    expect(newAbTestInput(FORM)).toEqual({ name: "jazz 1 vs jazz 2", adapterAId: "a1", adapterBId: "b2", prompts: ["a waltz", "a march"], trialsPerPrompt: 5 });
    expect(newAbTestInput({ ...FORM, adapterBId: BASE_MODEL_SIDE, seed: 7, durationSeconds: 2 })).toMatchObject({ adapterBId: null, seed: 7, durationSeconds: 2 });
  });

  test("sends the weights given, and none for the base model", () => {
    expect(newAbTestInput({ ...FORM, adapterBId: "a1", adapterAId: "a1", weightA: 0.4, weightB: 1 })).toMatchObject({ adapterAId: "a1", adapterBId: "a1", weightA: 0.4, weightB: 1 });
    expect(newAbTestInput({ ...FORM, adapterBId: BASE_MODEL_SIDE, weightA: 0.4, weightB: 1 })).not.toHaveProperty("weightB");
  });
});
