import { describe, expect, it } from "vitest";
import {
  dominantScale,
  evaluate,
  inScaleRatio,
  pitchClassDistance,
  pitchClassHistogram,
  rhythmDensity,
  rhythmDensityDifference,
} from "./evaluation.js";
import { DEFAULT_METER, type Melody, type Meter } from "./melody.js";
import { MODES } from "./scales.js";

const WALTZ_METER: Meter = { beatsPerBar: 3, stepsPerBeat: 4 };

/** Quarter notes one after another; the melody lasts as long as its notes unless told otherwise. */
function quarters(pitches: readonly number[], meter: Meter = DEFAULT_METER, lengthSteps = 4 * pitches.length): Melody {
  return { notes: pitches.map((pitch, index) => ({ pitch, start: 4 * index, duration: 4 })), lengthSteps, meter };
}

const C_MAJOR_SCALE = quarters([60, 62, 64, 65, 67, 69, 71, 72]);
const SILENCE = quarters([], DEFAULT_METER, 16);

describe("pitchClassHistogram", () => {
  it("is each pitch class's share of the notes, across octaves and melodies", () => {
    const histogram = pitchClassHistogram([quarters([60, 64, 72]), quarters([67])]);
    expect(histogram).toEqual([0.5, 0, 0, 0, 0.25, 0, 0, 0.25, 0, 0, 0, 0]);
  });

  it("is all zeros without notes", () => {
    expect(pitchClassHistogram([SILENCE])).toEqual(new Array(12).fill(0));
    expect(pitchClassHistogram([])).toEqual(new Array(12).fill(0));
  });
});

describe("pitchClassDistance (Jensen–Shannon divergence, base 2)", () => {
  it("is 0 for the same distribution and 1 for disjoint pitch classes", () => {
    expect(pitchClassDistance([quarters([60, 64])], [quarters([76, 48])])).toBe(0);
    expect(pitchClassDistance([quarters([60])], [quarters([62])])).toBe(1);
  });

  it("is 1.5 − 0.75·log2(3) between {C} and {C: ½, D: ½}", () => {
    // M = {C: ¾, D: ¼}; KL(P‖M) = log2(4/3); KL(Q‖M) = ½·log2(2/3) + ½·log2(2); the mean of the two.
    expect(pitchClassDistance([quarters([60])], [quarters([60, 62])])).toBeCloseTo(1.5 - 0.75 * Math.log2(3), 12);
  });

  it("is symmetric", () => {
    const a = [quarters([60, 62, 64])];
    const b = [quarters([60, 60, 67, 66])];
    expect(pitchClassDistance(a, b)).toBeCloseTo(pitchClassDistance(b, a), 12);
  });

  it("puts a set without notes at 1 from any set with notes, and at 0 from another silent set", () => {
    expect(pitchClassDistance([SILENCE], [C_MAJOR_SCALE])).toBe(1);
    expect(pitchClassDistance([C_MAJOR_SCALE], [])).toBe(1);
    expect(pitchClassDistance([SILENCE], [])).toBe(0);
  });
});

describe("inScaleRatio", () => {
  it("is the share of notes in the scale, whatever the tonic's octave", () => {
    const melodies = [quarters([60, 62, 63, 64])];
    expect(inScaleRatio(melodies, { tonic: 0, intervals: MODES.major })).toBe(0.75);
    expect(inScaleRatio(melodies, { tonic: 72, intervals: MODES.major })).toBe(0.75);
    expect(inScaleRatio(melodies, { tonic: 60, intervals: MODES.blues })).toBe(0.5);
  });

  it("is 0 without notes", () => {
    expect(inScaleRatio([SILENCE], { tonic: 0, intervals: MODES.major })).toBe(0);
  });
});

describe("dominantScale", () => {
  it("finds the mode holding every note, the tonic being the note the melodies end on", () => {
    expect(dominantScale([quarters([69, 71, 72, 74, 76, 77, 79, 69])])).toEqual({ tonic: 9, mode: "minor", intervals: MODES.minor });
    expect(dominantScale([quarters([62, 64, 65, 67, 69, 71, 72, 62])])).toEqual({ tonic: 2, mode: "dorian", intervals: MODES.dorian });
    expect(dominantScale([C_MAJOR_SCALE])).toEqual({ tonic: 0, mode: "major", intervals: MODES.major });
  });

  it("prefers the smaller scale when several hold every note", () => {
    expect(dominantScale([quarters([60, 62, 64, 67, 69, 60])])).toEqual({ tonic: 0, mode: "pentatonic", intervals: MODES.pentatonic });
    expect(dominantScale([quarters([64, 67, 69, 70, 71, 74, 64])])).toEqual({ tonic: 4, mode: "blues", intervals: MODES.blues });
  });

  it("falls back on the tonic heard most when the endings do not decide", () => {
    expect(dominantScale([quarters([69, 69, 69, 71, 72, 74, 76, 77, 79, 64]), quarters([67])])).toMatchObject({ tonic: 9, mode: "minor" });
  });

  it("keeps the best fit when a few notes are outside every candidate", () => {
    expect(dominantScale([quarters([60, 62, 64, 65, 65, 66, 67, 69, 71, 60])])).toMatchObject({ tonic: 0, mode: "major" });
  });
});

describe("rhythmDensity", () => {
  it("counts notes per bar of each melody's own meter", () => {
    expect(rhythmDensity([quarters([60, 62, 64, 65, 67], WALTZ_METER, 24)])).toBe(2.5);
    expect(rhythmDensity([quarters([60, 62], DEFAULT_METER, 16), quarters([60, 62, 64, 65], WALTZ_METER, 12)])).toBe(3);
  });

  it("is 0 for no melodies", () => {
    expect(rhythmDensity([])).toBe(0);
  });
});

describe("rhythmDensityDifference", () => {
  it("is |a − b| / max(a, b)", () => {
    const two = [quarters([60, 62], DEFAULT_METER, 16)];
    const four = [quarters([60, 62, 64, 65])];
    expect(rhythmDensityDifference(two, four)).toBe(0.5);
    expect(rhythmDensityDifference(four, two)).toBe(0.5);
    expect(rhythmDensityDifference([SILENCE], four)).toBe(1);
    expect(rhythmDensityDifference([SILENCE], [SILENCE])).toBe(0);
  });
});

describe("evaluate", () => {
  it("scores a set against itself 1 when it fits a scale", () => {
    expect(evaluate([C_MAJOR_SCALE], [C_MAJOR_SCALE])).toEqual({
      pitchClassDistance: 0,
      inScaleRatio: 1,
      rhythmDensity: 4,
      referenceRhythmDensity: 4,
      rhythmDensityDifference: 0,
      score: 1,
    });
  });

  it("combines the three measures into (1 − distance + in-scale + 1 − density difference) / 3", () => {
    // Generated {C, D, E, F#} in two bars against the C major scale (C twice) in two bars:
    // M = {C: ¼, D: 3/16, E: 3/16, F#: ⅛, F, G, A, B: 1/16 each};
    // KL(P‖M) = ½·log2(4/3) + ¼, KL(Q‖M) = ¼·log2(2/3) + ½, so the distance is their mean.
    const generated = [quarters([60, 62, 64, 66], DEFAULT_METER, 32)];
    const distance = (0.5 * Math.log2(4 / 3) + 0.25 + 0.25 * Math.log2(2 / 3) + 0.5) / 2;
    const evaluation = evaluate(generated, [C_MAJOR_SCALE]);
    expect(evaluation.pitchClassDistance).toBeCloseTo(distance, 12);
    expect(evaluation).toMatchObject({ inScaleRatio: 0.75, rhythmDensity: 2, referenceRhythmDensity: 4, rhythmDensityDifference: 0.5 });
    expect(evaluation.score).toBeCloseTo((1 - distance + 0.75 + 0.5) / 3, 12);
  });

  it("scores silence against a reference with notes 0", () => {
    expect(evaluate([SILENCE], [C_MAJOR_SCALE]).score).toBe(0);
  });
});
