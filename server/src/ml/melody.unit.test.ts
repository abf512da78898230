import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HIGHEST_PITCH, LOWEST_PITCH } from "../contracts/melody.js";
import { BOS, DEFAULT_METER, detokenize, EOS, foldPitch, HOLD, onsetToken, PAD, PROMPT_BUCKETS, promptVector, promptWords, REST, tokenize, tokenPitch, VOCAB_SIZE, VOCABULARY, type Melody, type Meter } from "./melody.js";

const WALTZ_METER: Meter = { beatsPerBar: 3, stepsPerBeat: 4 };
const JIG_METER: Meter = { beatsPerBar: 2, stepsPerBeat: 6 };

const C4 = onsetToken(60);
const D4 = onsetToken(62);

/** Valid monophonic melodies in range: notes in order, separated by gaps of silence, then a silent tail. */
const melodyArb = fc
  .record({
    events: fc.array(fc.record({ gap: fc.nat(6), pitch: fc.integer({ min: LOWEST_PITCH, max: HIGHEST_PITCH }), duration: fc.integer({ min: 1, max: 12 }) }), {
      maxLength: 40,
    }),
    tail: fc.nat(8),
    meter: fc.constantFrom(DEFAULT_METER, WALTZ_METER, JIG_METER),
  })
  .map(({ events, tail, meter }): Melody => {
    let cursor = 0;
    const notes = events.map(({ gap, pitch, duration }) => {
      const start = cursor + gap;
      cursor = start + duration;
      return { pitch, start, duration };
    });
    return { notes, lengthSteps: cursor + tail, meter };
  });

const stepTokenArb = fc.oneof(fc.constantFrom(REST, HOLD), fc.integer({ min: onsetToken(LOWEST_PITCH), max: VOCAB_SIZE - 1 }));

describe("the vocabulary", () => {
  it("holds PAD, BOS, EOS, REST, HOLD and one onset per pitch from C3 to C6", () => {
    expect([PAD, BOS, EOS, REST, HOLD]).toEqual([0, 1, 2, 3, 4]);
    expect(VOCAB_SIZE).toBe(5 + 37);
    expect(VOCABULARY).toHaveLength(VOCAB_SIZE);
    expect(VOCABULARY.slice(0, 6)).toEqual(["pad", "bos", "eos", "rest", "hold", "C3"]);
    expect(VOCABULARY[onsetToken(61)]).toBe("Db4");
    expect(VOCABULARY.at(-1)).toBe("C6");
  });

  it("maps onset tokens back to their pitch, and special tokens to none", () => {
    expect(tokenPitch(onsetToken(LOWEST_PITCH))).toBe(LOWEST_PITCH);
    expect(tokenPitch(onsetToken(HIGHEST_PITCH))).toBe(HIGHEST_PITCH);
    for (const special of [PAD, BOS, EOS, REST, HOLD, VOCAB_SIZE]) expect(tokenPitch(special)).toBeUndefined();
  });
});

describe("foldPitch", () => {
  it("moves pitches outside C3–C6 by octaves into it", () => {
    expect([36, 47, 48, 84, 85, 96, 107].map(foldPitch)).toEqual([48, 59, 48, 84, 73, 84, 83]);
  });

  it("keeps the pitch class and lands in range for any pitch", () => {
    fc.assert(
      fc.property(fc.integer({ min: -24, max: 150 }), (pitch) => {
        const folded = foldPitch(pitch);
        expect(folded).toBeGreaterThanOrEqual(LOWEST_PITCH);
        expect(folded).toBeLessThanOrEqual(HIGHEST_PITCH);
        expect((((folded - pitch) % 12) + 12) % 12).toBe(0);
      }),
    );
  });
});

describe("tokenize", () => {
  it("writes BOS, an onset, HOLD while the note sounds, REST in silence, EOS", () => {
    const melody: Melody = { notes: [{ pitch: 60, start: 0, duration: 2 }, { pitch: 62, start: 3, duration: 1 }], lengthSteps: 5, meter: DEFAULT_METER };
    expect(tokenize(melody)).toEqual([BOS, C4, HOLD, REST, D4, REST, EOS]);
  });

  it("folds out-of-range pitches", () => {
    const melody: Melody = { notes: [{ pitch: 24, start: 0, duration: 1 }, { pitch: 98, start: 1, duration: 1 }], lengthSteps: 2, meter: DEFAULT_METER };
    expect(tokenize(melody)).toEqual([BOS, onsetToken(48), onsetToken(74), EOS]);
  });

  it("makes overlaps monophonic: a later onset cuts the earlier note, the highest of simultaneous onsets wins", () => {
    const notes = [
      { pitch: 60, start: 0, duration: 6 },
      { pitch: 62, start: 2, duration: 2 },
      { pitch: 55, start: 2, duration: 1 },
    ];
    expect(tokenize({ notes, lengthSteps: 6, meter: DEFAULT_METER })).toEqual([BOS, C4, HOLD, D4, HOLD, REST, REST, EOS]);
  });

  it("clips notes at the melody's length", () => {
    expect(tokenize({ notes: [{ pitch: 60, start: 1, duration: 8 }, { pitch: 62, start: 4, duration: 1 }], lengthSteps: 3, meter: DEFAULT_METER })).toEqual([
      BOS,
      REST,
      C4,
      HOLD,
      EOS,
    ]);
  });

  it("refuses notes off the grid", () => {
    for (const note of [
      { pitch: 60, start: 0.5, duration: 1 },
      { pitch: 60, start: -1, duration: 1 },
      { pitch: 60, start: 0, duration: 0 },
      { pitch: 60.5, start: 0, duration: 1 },
    ]) {
      expect(() => tokenize({ notes: [note], lengthSteps: 4, meter: DEFAULT_METER })).toThrow(RangeError);
    }
  });
});

describe("detokenize", () => {
  it("inverts tokenize for every valid melody in range", () => {
    fc.assert(
      fc.property(melodyArb, (melody) => {
        const tokens = tokenize(melody);
        expect(tokens).toHaveLength(melody.lengthSteps + 2);
        expect(detokenize(tokens, melody.meter)).toEqual(melody);
      }),
      { numRuns: 300 },
    );
  });

  it("reads a HOLD with nothing sounding as REST", () => {
    expect(detokenize([BOS, HOLD, C4, HOLD, REST, HOLD, D4, EOS])).toEqual({
      notes: [
        { pitch: 60, start: 1, duration: 2 },
        { pitch: 62, start: 5, duration: 1 },
      ],
      lengthSteps: 6,
      meter: DEFAULT_METER,
    });
  });

  it("stops at EOS or PAD, and needs no BOS", () => {
    expect(detokenize([C4, HOLD, EOS, D4, D4]).lengthSteps).toBe(2);
    expect(detokenize([BOS, C4, PAD, PAD]).notes).toEqual([{ pitch: 60, start: 0, duration: 1 }]);
  });

  it("decodes any sampled sequence to a melody that tokenizes back to it, orphan HOLDs as REST", () => {
    fc.assert(
      fc.property(fc.array(stepTokenArb, { maxLength: 64 }), (steps) => {
        expect(tokenize(detokenize([BOS, ...steps, EOS]))).toEqual([BOS, ...withoutOrphanHolds(steps), EOS]);
      }),
    );
  });

  it("refuses tokens outside the vocabulary", () => {
    expect(() => detokenize([BOS, VOCAB_SIZE, EOS])).toThrow(RangeError);
    expect(() => detokenize([BOS, -1, EOS])).toThrow(RangeError);
  });
});

/** The steps with every HOLD that follows nothing sounding (at the start, or after REST) read as REST. */
function withoutOrphanHolds(steps: readonly number[]): number[] {
  let sounding = false;
  return steps.map((token) => {
    if (token !== HOLD) sounding = token !== REST;
    return token === HOLD && !sounding ? REST : token;
  });
}

describe("promptWords", () => {
  it("lower-cases runs of letters and digits", () => {
    expect(promptWords("A gentle Waltz, in C-major! (No. 2)")).toEqual(["a", "gentle", "waltz", "in", "c", "major", "no", "2"]);
    expect(promptWords("  ¡Canción  de cuna!")).toEqual(["canción", "de", "cuna"]);
    expect(promptWords("—")).toEqual([]);
  });
});

describe("promptVector", () => {
  it("puts a single word in its FNV-1a bucket", () => {
    // FNV-1a 32 of "a" is 0xe40c292c and of "foobar" 0xbf9cf968: buckets 0x2c = 44 and 0x28 = 40 of 64.
    expect(Array.from(promptVector("a")).indexOf(1)).toBe(44);
    expect(Array.from(promptVector("foobar")).indexOf(1)).toBe(40);
    expect(Array.from(promptVector("a", 16)).indexOf(1)).toBe(44 % 16);
  });

  it("averages the words' one-hot vectors, whatever their order and case", () => {
    const vector = promptVector("gentle waltz in C major");
    expect(vector).toHaveLength(PROMPT_BUCKETS);
    expect(vector.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6);
    expect(promptVector("MAJOR c in, waltz gentle")).toEqual(vector);
    expect(promptVector("waltz waltz")).toEqual(promptVector("waltz"));
  });

  it("is the zero vector for a prompt without words", () => {
    expect(promptVector("")).toEqual(new Float32Array(PROMPT_BUCKETS));
    expect(promptVector(" ?! ")).toEqual(new Float32Array(PROMPT_BUCKETS));
  });

  it("refuses a bucket count that is not a positive integer", () => {
    expect(() => promptVector("a", 0)).toThrow(RangeError);
    expect(() => promptVector("a", 2.5)).toThrow(RangeError);
  });
});
