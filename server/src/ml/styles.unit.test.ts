import { describe, expect, it } from "vitest";
import { dominantScale, evaluate, inScaleRatio } from "./evaluation.js";
import { HIGHEST_PITCH, LOWEST_PITCH } from "../contracts/melody.js";
import { stepsPerBar, type Melody } from "./melody.js";
import { createRandom } from "./random.js";
import { inScale, MODES, pitchClass, pitchClassName } from "./scales.js";
import { generateExamples, generateMelody, generatePrompt, noteRange, STYLES, styleById, styleScale, type Style } from "./styles.js";

const SET_SIZE = 32;
const REFERENCE_SEED = 1;
const FRESH_SEED = 2;

/** The chromatic march's pickups are chromatic on purpose, so its notes are not all in its major scale. */
const CHROMATIC_STYLES = new Set(["chromatic-march"]);

function melodies(style: Style, count: number, seed: number): Melody[] {
  return generateExamples(style.id, count, seed).map((example) => example.melody);
}

function inKey(style: Style, tonic: number, count: number): Melody[] {
  return Array.from({ length: count }, (_, seed) => generateMelody(style.id, createRandom(seed), { tonic }));
}

/** [offset in the bar, duration] of each note starting in the bar. */
function barRhythm(melody: Melody, bar: number): [number, number][] {
  const barSteps = stepsPerBar(melody.meter);
  return melody.notes.filter((note) => Math.floor(note.start / barSteps) === bar).map((note) => [note.start - bar * barSteps, note.duration]);
}

const barLength = (rhythm: readonly number[]): number => rhythm.reduce((sum, entry) => sum + Math.abs(entry), 0);

describe("the style catalogue", () => {
  it("has the six named styles, each id once", () => {
    const ids = STYLES.map((style) => style.id);
    expect(ids).toEqual(expect.arrayContaining(["major-waltz", "minor-ballad", "blues", "pentatonic-folk", "dorian-jig", "chromatic-march"]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("finds a style by id and refuses an unknown one", () => {
    expect(styleById("blues").name).toBe("Blues");
    expect(() => styleById("polka")).toThrow(/unknown style "polka"/);
    expect(() => generateExamples("polka", 1, 0)).toThrow(RangeError);
    expect(() => generateExamples("blues", -1, 0)).toThrow(RangeError);
  });

  it.each(STYLES)("$id: every rhythm fills a bar, the range holds the tonic and fits the vocabulary in every key", (style) => {
    for (const rhythm of [...style.rhythms, style.cadence]) expect(barLength(rhythm)).toBe(stepsPerBar(style.meter));
    expect(style.range.low).toBeLessThanOrEqual(0);
    expect(style.range.high).toBeGreaterThanOrEqual(0);
    expect(style.steps).toHaveLength(7);
    expect(style.anchors.every((anchor) => anchor >= 0 && anchor < MODES[style.mode].length)).toBe(true);
    for (const tonic of style.tonics) {
      const { low, high } = noteRange(style, tonic);
      expect(low).toBeGreaterThanOrEqual(LOWEST_PITCH);
      expect(high).toBeLessThanOrEqual(HIGHEST_PITCH);
    }
  });
});

describe.each(STYLES)("generateMelody: $id", (style) => {
  const barSteps = stepsPerBar(style.meter);

  it("keeps to the style's meter, the 16th grid, one voice and the key's note range, ending on the tonic", () => {
    for (const tonic of style.tonics) {
      const { low, high } = noteRange(style, tonic);
      for (const melody of inKey(style, tonic, 8)) {
        expect(melody.meter).toEqual(style.meter);
        expect(melody.lengthSteps).toBe(style.form.length * style.phraseBars * barSteps);
        for (const [index, note] of melody.notes.entries()) {
          expect(Number.isInteger(note.start) && Number.isInteger(note.duration) && note.duration >= 1).toBe(true);
          expect(note.pitch).toBeGreaterThanOrEqual(low);
          expect(note.pitch).toBeLessThanOrEqual(high);
          expect(note.start + note.duration).toBeLessThanOrEqual(melody.notes[index + 1]?.start ?? melody.lengthSteps);
        }
        expect(pitchClass(melody.notes.at(-1)!.pitch)).toBe(pitchClass(tonic));
      }
    }
  });

  it("stays in its own scale (≥ 0.9 of the notes, except the deliberately chromatic styles)", () => {
    for (const tonic of style.tonics) {
      const ratio = inScaleRatio(inKey(style, tonic, 16), styleScale(style, tonic));
      expect(ratio).toBeGreaterThanOrEqual(CHROMATIC_STYLES.has(style.id) ? 0.75 : 0.9);
    }
  });

  it("is recognised as its own key and mode by dominantScale", () => {
    for (const tonic of style.tonics) {
      expect(dominantScale(inKey(style, tonic, 16))).toMatchObject({ tonic: pitchClass(tonic), mode: style.mode });
    }
  });

  it("repeats the rhythm of a phrase whose letter recurs", () => {
    const melody = generateMelody(style.id, createRandom(11));
    const firstBars = new Map<string, number>();
    // The last bar is the cadence, so it is left out.
    for (let bar = 0; bar < style.form.length * style.phraseBars - 1; bar += 1) {
      const letter = style.form[Math.floor(bar / style.phraseBars)]!;
      const first = (firstBars.get(letter) ?? bar) + (bar % style.phraseBars);
      if (!firstBars.has(letter)) firstBars.set(letter, bar);
      expect(barRhythm(melody, bar)).toEqual(barRhythm(melody, first));
    }
  });

  it("takes a number of bars, down to a single cadence bar", () => {
    for (const bars of [1, 3, 20]) {
      const melody = generateMelody(style.id, createRandom(bars), { bars, tonic: style.tonics[0] });
      expect(melody.lengthSteps).toBe(bars * barSteps);
      expect(pitchClass(melody.notes.at(-1)!.pitch)).toBe(pitchClass(style.tonics[0]!));
    }
    expect(() => generateMelody(style.id, createRandom(0), { bars: 0 })).toThrow(RangeError);
  });

  it("is reproducible from its seed", () => {
    expect(generateExamples(style.id, 4, 7)).toEqual(generateExamples(style.id, 4, 7));
    expect(generateExamples(style.id, 4, 7)).not.toEqual(generateExamples(style.id, 4, 8));
  });

  it("writes prompts from the style's words that name the melody's key", () => {
    for (const { prompt, melody } of generateExamples(style.id, 12, 3)) {
      const key = pitchClassName(melody.notes.at(-1)!.pitch);
      expect(prompt).toMatch(/^an? /);
      expect(style.words.kinds.some((kind) => prompt.includes(` ${kind} in `))).toBe(true);
      expect(style.words.moods.some((mood) => prompt.includes(mood))).toBe(true);
      expect(prompt.endsWith(`in ${key}${style.words.mode ? ` ${style.words.mode}` : ""}`)).toBe(true);
    }
  });
});

describe("the styles' idioms", () => {
  it("the waltz is in 3/4 and the folk song in 2/4", () => {
    expect(styleById("major-waltz").meter).toEqual({ beatsPerBar: 3, stepsPerBeat: 4 });
    expect(styleById("pentatonic-folk").meter).toEqual({ beatsPerBar: 2, stepsPerBeat: 4 });
  });

  it("the blues plays its blue notes (♭3, ♭5, ♭7) and leaves rests", () => {
    const tonic = 64;
    const blues = inKey(styleById("blues"), tonic, 8);
    const pitchClasses = new Set(blues.flatMap((melody) => melody.notes.map((note) => pitchClass(note.pitch - tonic))));
    expect([...pitchClasses].sort((a, b) => a - b)).toEqual([...MODES.blues]);
    expect(blues.every((melody) => melody.notes.some((note, index) => note.start + note.duration < (melody.notes[index + 1]?.start ?? 0)))).toBe(true);
  });

  it("the jig is in 6/8 and moves in eighths grouped in threes", () => {
    const jig = styleById("dorian-jig");
    expect(jig.meter).toEqual({ beatsPerBar: 2, stepsPerBeat: 6 });
    for (const melody of melodies(jig, 8, 5)) {
      expect(melody.notes.every((note) => note.start % 2 === 0 && note.duration % 2 === 0)).toBe(true);
    }
  });

  it("the march has dotted rhythms and chromatic pickups a semitone below the note they lead to", () => {
    const march = styleById("chromatic-march");
    const tonic = march.tonics[0]!;
    const chromatic = inKey(march, tonic, 8).flatMap((melody) => {
      expect(melody.notes.some((note, index) => note.duration === 3 && melody.notes[index + 1]?.duration === 1)).toBe(true);
      return melody.notes.flatMap((note, index) => (inScale(note.pitch, styleScale(march, tonic)) ? [] : [[note, melody.notes[index + 1]] as const]));
    });
    expect(chromatic.length).toBeGreaterThan(8);
    for (const [note, next] of chromatic) {
      expect(note.duration).toBe(1);
      expect(next?.pitch).toBe(note.pitch + 1);
    }
  });

  it("generatePrompt picks one of the style's keys when given none", () => {
    const keys = new Set(styleById("major-waltz").tonics.map(pitchClassName));
    const random = createRandom(9);
    for (let index = 0; index < 20; index += 1) {
      const key = /in (\w+) major$/.exec(generatePrompt("major-waltz", random))?.[1];
      expect(keys.has(key ?? "")).toBe(true);
    }
  });
});

describe("style separation by the evaluation scores", () => {
  const references = new Map(STYLES.map((style) => [style.id, melodies(style, SET_SIZE, REFERENCE_SEED)]));
  const fresh = new Map(STYLES.map((style) => [style.id, melodies(style, SET_SIZE, FRESH_SEED)]));

  it.each(STYLES)("fresh $id samples match the $id reference better than any other style's do", (style) => {
    const reference = references.get(style.id)!;
    const own = evaluate(fresh.get(style.id)!, reference);
    for (const other of STYLES.filter((candidate) => candidate !== style)) {
      const foreign = evaluate(fresh.get(other.id)!, reference);
      expect(own.pitchClassDistance, other.id).toBeLessThan(foreign.pitchClassDistance);
      expect(own.score, other.id).toBeGreaterThan(foreign.score + 0.05);
    }
    expect(own.pitchClassDistance).toBeLessThan(0.05);
  });
});
