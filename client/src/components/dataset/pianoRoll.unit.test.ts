import { expect, test } from "vitest";
import { pianoRoll } from "./pianoRoll";

test("lays out the notes with a semitone of room and a line per bar", () => {
  const roll = pianoRoll({
    notes: [
      { pitch: 60, start: 0, duration: 4 },
      { pitch: 67, start: 4, duration: 8 },
    ],
    lengthSteps: 24,
    meter: { beatsPerBar: 3, stepsPerBeat: 4 },
  });
  expect(roll).toMatchObject({ lengthSteps: 24, low: 59, high: 68, barLines: [12] });
  expect(roll?.notes).toHaveLength(2);
});

test("falls back to 4/4 and the last note's end", () => {
  expect(pianoRoll({ notes: [{ pitch: 62, start: 30, duration: 4 }] })).toMatchObject({ lengthSteps: 34, barLines: [16, 32] });
});

test("is null without notes, and ignores malformed ones", () => {
  expect(pianoRoll({ notes: [] })).toBeNull();
  expect(pianoRoll("not a melody")).toBeNull();
  expect(pianoRoll({ notes: [{ pitch: "C4" }] })).toBeNull();
});
