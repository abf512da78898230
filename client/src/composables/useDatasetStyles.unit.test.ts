import { expect, test } from "vitest";
import { datasetStyleFacts, timeSignature } from "./useDatasetStyles";

test("timeSignature reads simple and compound meters counted in 16th-note steps", () => {
  expect(timeSignature({ beatsPerBar: 3, stepsPerBeat: 4 })).toBe("3/4");
  expect(timeSignature({ beatsPerBar: 2, stepsPerBeat: 4 })).toBe("2/4");
  expect(timeSignature({ beatsPerBar: 4, stepsPerBeat: 2 })).toBe("4/8");
  expect(timeSignature({ beatsPerBar: 2, stepsPerBeat: 6 })).toBe("6/8");
  expect(timeSignature({ beatsPerBar: 4, stepsPerBeat: 3 })).toBe("12/16");
});

test("timeSignature puts a meter no signature fits in words", () => {
  expect(timeSignature({ beatsPerBar: 5, stepsPerBeat: 5 })).toBe("5 beats of 5 steps");
});

test("datasetStyleFacts gives the meter and the mode", () => {
  expect(datasetStyleFacts({ beatsPerBar: 2, stepsPerBeat: 6, mode: "dorian" })).toBe("6/8 · dorian");
});
