import { describe, expect, it } from "vitest";
import { inScale, MODES, pitchClass, pitchClassName, scalePitchClasses } from "./scales.js";

describe("scales", () => {
  it("reduces any pitch, negative ones too, to a pitch class", () => {
    expect([60, 61, 71, 72, -1, -12].map(pitchClass)).toEqual([0, 1, 11, 0, 11, 0]);
    expect([60, 66, 70].map(pitchClassName)).toEqual(["C", "Gb", "Bb"]);
  });

  it("lists a scale's pitch classes from its tonic", () => {
    expect([...scalePitchClasses({ tonic: 67, intervals: MODES.major })].sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 7, 9, 11]);
    expect(inScale(66, { tonic: 7, intervals: MODES.major })).toBe(true);
    expect(inScale(65, { tonic: 7, intervals: MODES.major })).toBe(false);
  });
});
