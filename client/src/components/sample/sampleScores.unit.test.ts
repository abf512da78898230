import { expect, test } from "vitest";
import { scoreFacts, scoreReference } from "./sampleScores";

const compared = {
  referenceKind: "STYLE" as const,
  referenceName: "Major waltz",
  noteCount: 24,
  rhythmDensity: 3.456,
  score: 0.8149,
  pitchClassDistance: 0.1234,
  inScaleRatio: 0.9375,
};

test("shows every score against a reference", () => {
  expect(scoreReference(compared)).toBe("Compared with the style Major waltz");
  expect(scoreFacts(compared).map((fact) => `${fact.label}: ${fact.value}`)).toEqual([
    "Score: 0.81",
    "In scale: 94%",
    "Pitch distance: 0.12",
    "Rhythm: 3.5 notes/bar",
    "Notes: 24",
  ]);
});

test("without a reference, only the scores that need none", () => {
  const alone = { ...compared, referenceKind: "NONE" as const, referenceName: null, score: null, pitchClassDistance: null, inScaleRatio: null };
  expect(scoreReference(alone)).toMatch(/^No reference/);
  expect(scoreFacts(alone).map((fact) => fact.label)).toEqual(["Rhythm", "Notes"]);
  expect(scoreReference({ referenceKind: "DATASET", referenceName: "waltzes" })).toBe("Compared with the dataset waltzes");
});
