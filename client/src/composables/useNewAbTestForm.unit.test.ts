import { describe, expect, test } from "vitest";
import { BASE_MODEL_SIDE, defaultAbTestName, newAbTestInput, promptLines, sidesFromQuery, type NewAbTestForm } from "./useNewAbTestForm";

const FORM: NewAbTestForm = {
  name: "  jazz 1 vs jazz 2 ",
  adapterAId: "a1",
  adapterBId: "b2",
  prompts: "a waltz\n\n  a march  \n",
  trialsPerPrompt: 5,
  seed: null,
  durationSeconds: null,
};

describe("the new A/B test form", () => {
  test("takes the sides from the address", () => {
    expect(sidesFromQuery({ adapterA: "a1", adapterB: "base" })).toEqual({ adapterAId: "a1", adapterBId: "base" });
    expect(sidesFromQuery({ adapterA: ["a1", "a2"] })).toEqual({ adapterAId: null, adapterBId: null });
    expect(sidesFromQuery({})).toEqual({ adapterAId: null, adapterBId: null });
  });

  test("names the test after its sides", () => {
    expect(defaultAbTestName("jazz 1", "jazz 2")).toBe("jazz 1 vs jazz 2");
    expect(defaultAbTestName("jazz 1", null)).toBe("jazz 1 vs base model");
    expect(defaultAbTestName(null, "jazz 2")).toBe("");
  });

  test("reads one prompt per line", () => {
    expect(promptLines(FORM.prompts)).toEqual(["a waltz", "a march"]);
  });

  test("sends the base model as a null B and leaves out unset numbers", () => {
    expect(newAbTestInput(FORM)).toEqual({ name: "jazz 1 vs jazz 2", adapterAId: "a1", adapterBId: "b2", prompts: ["a waltz", "a march"], trialsPerPrompt: 5 });
    expect(newAbTestInput({ ...FORM, adapterBId: BASE_MODEL_SIDE, seed: 7, durationSeconds: 2 })).toMatchObject({ adapterBId: null, seed: 7, durationSeconds: 2 });
  });
});
