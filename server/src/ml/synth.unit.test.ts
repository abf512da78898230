import { describe, expect, it } from "vitest";
import { DEFAULT_METER, STEP_SECONDS, type Melody } from "./melody.js";
import { frequencyOf, renderMelody } from "./synth.js";

const RATE = 22_050;
const melody = (notes: Melody["notes"], lengthSteps: number): Melody => ({ notes, lengthSteps, meter: DEFAULT_METER });

/** The power of one frequency in a stretch of samples (Goertzel). */
function power(samples: Float32Array, frequency: number, from: number, to: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / RATE);
  let [previous, beforePrevious] = [0, 0];
  for (let n = from; n < to; n += 1) [previous, beforePrevious] = [samples[n]! + coefficient * previous - beforePrevious, previous];
  return previous ** 2 + beforePrevious ** 2 - coefficient * previous * beforePrevious;
}

const peak = (samples: Float32Array, from = 0, to = samples.length) => samples.subarray(from, to).reduce((max, value) => Math.max(max, Math.abs(value)), 0);

describe("renderMelody", () => {
  it("lasts the melody's steps plus the last release, at the sample rate", () => {
    expect(renderMelody(melody([], 16), { sampleRate: RATE })).toHaveLength(Math.ceil((16 * STEP_SECONDS + 0.06) * RATE));
  });

  it("sounds each note at its pitch while it is held, and is silent where no note sounds", () => {
    const a4 = renderMelody(melody([{ pitch: 69, start: 4, duration: 8 }], 16), { sampleRate: RATE });
    const onset = 4 * STEP_SECONDS * RATE;
    expect(peak(a4, 0, onset)).toBe(0);
    expect(peak(a4, onset + 0.1 * RATE, onset + 0.9 * RATE)).toBeGreaterThan(0.1);
    const window = [onset + 0.2 * RATE, onset + 0.7 * RATE] as const;
    expect(power(a4, 440, ...window)).toBeGreaterThan(100 * power(a4, 440 * 2 ** (1 / 12), ...window));
    expect(power(a4, 880, ...window), "the second harmonic").toBeGreaterThan(100 * power(a4, 660, ...window));
    expect(peak(a4, (12 * STEP_SECONDS + 0.07) * RATE), "after the release").toBe(0);
  });

  it("stays within [−1, 1] and renders a melody the same way every time", () => {
    const busy = melody(Array.from({ length: 64 }, (_, index) => ({ pitch: 48 + (index * 7) % 37, start: index, duration: 1 })), 64);
    const once = renderMelody(busy, { sampleRate: RATE });
    expect(peak(once)).toBeLessThanOrEqual(1);
    expect(Buffer.from(renderMelody(busy, { sampleRate: RATE }).buffer).equals(Buffer.from(once.buffer))).toBe(true);
  });

  it("uses equal temperament from A4 = 440 Hz and refuses unusable rates", () => {
    expect(frequencyOf(69)).toBe(440);
    expect(frequencyOf(60)).toBeCloseTo(261.626, 3);
    expect(() => renderMelody(melody([], 1), { sampleRate: 100 })).toThrow(/sample rate/);
    expect(() => renderMelody(melody([], 1), { sampleRate: RATE, stepSeconds: 0 })).toThrow(/positive time/);
  });
});
