import { expect, test } from "vitest";
import { experimentNameProblem, newExperimentInput } from "./useNewExperimentForm";

test("experimentNameProblem asks for 1 to 60 characters", () => {
  expect(experimentNameProblem("  ")).toBe("Enter a name.");
  expect(experimentNameProblem("x".repeat(61))).toBe("Names are at most 60 characters; this one has 61.");
  expect(experimentNameProblem(" waltz-lora ")).toBeNull();
});

const OFFERED = [{ key: "rank" }, { key: "maxSteps" }];

test("newExperimentInput trims, leaves out empty optional fields and unset parameters", () => {
  const form = { name: " waltz ", description: " ", baseModelId: "tunes-s", datasetId: null };
  expect(newExperimentInput(form, { rank: 8, maxSteps: null }, OFFERED)).toEqual({ name: "waltz", baseModelId: "tunes-s", config: { rank: 8 } });
  expect(newExperimentInput({ ...form, description: "first try", datasetId: "d1" }, {}, OFFERED)).toMatchObject({ description: "first try", datasetId: "d1" });
});

test("newExperimentInput sends no value of a parameter not offered for the chosen base model's trainer", () => {
  const form = { name: "waltz", description: "", baseModelId: "tunes-s", datasetId: null };
  // clipSkip was set while another base model was chosen
  expect(newExperimentInput(form, { rank: 8, clipSkip: 2 }, OFFERED).config).toEqual({ rank: 8 });
});
