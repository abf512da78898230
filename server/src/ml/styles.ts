import { stepsPerBar, type Melody, type Meter, type Note } from "./melody.js";
import { createRandom, type Random } from "./random.js";
import { inScale, MODES, pitchClassName, type ModeName, type Scale } from "./scales.js";

export type Contour = "arch" | "ascending" | "descending" | "wave";

/** Durations in 16ths of one bar's notes, in order; a negative entry is a rest of that length. */
export type Rhythm = readonly number[];

const rest = (steps: number): number => -steps;

export interface Style {
  id: string;
  name: string;
  /** Prompts read "a {mood} {kind} in {key} {mode}", e.g. "a gentle waltz in C major". */
  words: { moods: readonly string[]; kinds: readonly string[]; mode: string };
  mode: ModeName;
  /** Scale degrees (indices into the mode) that notes on a beat lean to: chord tones, and the blue notes in the blues. */
  anchors: readonly number[];
  /** The keys the idiom is usually played in, as the tonic's MIDI pitch (which also sets the register). */
  tonics: readonly number[];
  meter: Meter;
  rhythms: readonly Rhythm[];
  /** The last bar's rhythm; its last note is the tonic. */
  cadence: Rhythm;
  contour: Contour;
  /** One letter per phrase; a letter seen before repeats that phrase with small variations. */
  form: string;
  phraseBars: number;
  /** Lowest and highest scale degree relative to the tonic (0 = tonic, the mode's length = the octave above). */
  range: { low: number; high: number };
  /** Relative weights of moving -3, -2, -1, 0, +1, +2, +3 scale degrees. */
  steps: readonly number[];
  /** The probability that a 16th-note pickup becomes a chromatic approach from a semitone below the next note. */
  chromaticApproach: number;
}

const STEP_OFFSETS = [-3, -2, -1, 0, 1, 2, 3] as const;
/** How strongly the contour pulls each step towards its target degree (per degree of distance, as an exponent). */
const CONTOUR_PULL = 0.45;
const ANCHOR_BOOST = 3;
/** The probability that a repeated bar changes one of its notes by a degree. */
const VARIATION = 0.3;
/** The probability that a prompt carries a second mood word ("a slow, tender ballad"). */
const SECOND_MOOD = 0.3;

export const STYLES: readonly Style[] = [
  {
    id: "major-waltz",
    name: "Major waltz",
    words: { moods: ["gentle", "graceful", "lilting", "elegant", "sweet", "dreamy"], kinds: ["waltz", "ballroom waltz", "music box waltz"], mode: "major" },
    mode: "major",
    anchors: [0, 2, 4],
    tonics: [60, 55, 53],
    meter: { beatsPerBar: 3, stepsPerBeat: 4 },
    rhythms: [[4, 4, 4], [8, 4], [6, 2, 4], [4, 2, 2, 4], [2, 2, 4, 4]],
    cadence: [4, 8],
    contour: "arch",
    form: "AABA",
    phraseBars: 4,
    range: { low: -3, high: 9 },
    steps: [1, 3, 6, 2, 6, 3, 1],
    chromaticApproach: 0,
  },
  {
    id: "minor-ballad",
    name: "Minor ballad",
    words: { moods: ["sad", "melancholic", "tender", "mournful", "wistful", "slow"], kinds: ["ballad", "lament", "love song"], mode: "minor" },
    mode: "minor",
    anchors: [0, 2, 4],
    tonics: [62, 55, 60],
    meter: { beatsPerBar: 4, stepsPerBeat: 4 },
    rhythms: [[8, 8], [4, 4, 8], [6, 2, 8], [4, 4, 4, 4], [12, 4], [8, 4, 4]],
    cadence: [4, 12],
    contour: "descending",
    form: "ABAB",
    phraseBars: 2,
    range: { low: -2, high: 9 },
    steps: [1, 3, 7, 3, 5, 2, 1],
    chromaticApproach: 0,
  },
  {
    id: "blues",
    name: "Blues",
    words: { moods: ["slow", "lazy", "gritty", "smoky", "soulful", "late-night"], kinds: ["blues", "shuffle", "blues lick"], mode: "" },
    mode: "blues",
    anchors: [0, 1, 4, 5],
    tonics: [64, 57],
    meter: { beatsPerBar: 4, stepsPerBeat: 4 },
    rhythms: [[3, 1, 3, 1, 8], [3, 1, 3, 1, 3, 1, 3, 1], [rest(4), 4, 4, 4], [6, 2, rest(4), 4], [4, 4, rest(8)], [rest(2), 2, 4, 8]],
    cadence: [4, 8, rest(4)],
    contour: "descending",
    form: "AAB",
    phraseBars: 4,
    range: { low: -2, high: 8 },
    steps: [2, 3, 5, 3, 5, 3, 2],
    chromaticApproach: 0,
  },
  {
    id: "pentatonic-folk",
    name: "Pentatonic folk",
    words: { moods: ["simple", "rustic", "pastoral", "cheerful", "open", "old"], kinds: ["folk song", "folk tune", "mountain song"], mode: "pentatonic" },
    mode: "pentatonic",
    anchors: [0, 2, 3],
    tonics: [62, 57],
    meter: { beatsPerBar: 2, stepsPerBeat: 4 },
    rhythms: [[4, 4], [2, 2, 4], [4, 2, 2], [2, 2, 2, 2], [6, 2], [8]],
    cadence: [4, 4],
    contour: "arch",
    form: "AABB",
    phraseBars: 4,
    range: { low: -2, high: 7 },
    steps: [1, 3, 6, 2, 6, 3, 1],
    chromaticApproach: 0,
  },
  {
    id: "dorian-jig",
    name: "Dorian jig",
    words: { moods: ["lively", "bouncy", "spirited", "celtic", "quick", "merry"], kinds: ["jig", "fiddle jig", "dance tune"], mode: "dorian" },
    mode: "dorian",
    anchors: [0, 2, 4],
    tonics: [64, 57],
    meter: { beatsPerBar: 2, stepsPerBeat: 6 },
    // 6/8 moves in eighths (2 steps) grouped in threes, one group per dotted-quarter beat.
    rhythms: [[2, 2, 2, 2, 2, 2], [4, 2, 2, 2, 2], [2, 2, 2, 4, 2], [4, 2, 4, 2], [2, 2, 2, 6], [6, 2, 2, 2]],
    cadence: [4, 2, 6],
    contour: "wave",
    form: "AABB",
    phraseBars: 4,
    range: { low: -2, high: 9 },
    steps: [1, 3, 7, 1, 7, 3, 1],
    chromaticApproach: 0,
  },
  {
    id: "chromatic-march",
    name: "Chromatic march",
    words: { moods: ["proud", "stately", "brisk", "military", "triumphant", "bold"], kinds: ["march", "parade march", "band march"], mode: "major" },
    mode: "major",
    anchors: [0, 2, 4],
    tonics: [58, 63],
    meter: { beatsPerBar: 4, stepsPerBeat: 4 },
    rhythms: [[3, 1, 3, 1, 4, 4], [3, 1, 3, 1, 3, 1, 3, 1], [4, 3, 1, 4, 4], [8, 3, 1, 4], [4, 4, 3, 1, 4], [4, 4, 8]],
    cadence: [3, 1, 12],
    contour: "ascending",
    form: "AABB",
    phraseBars: 2,
    range: { low: -3, high: 9 },
    steps: [1, 2, 6, 3, 6, 2, 1],
    chromaticApproach: 0.7,
  },
];

export function styleById(id: string): Style {
  const style = STYLES.find((candidate) => candidate.id === id);
  if (!style) throw new RangeError(`unknown style ${JSON.stringify(id)}; known styles: ${STYLES.map((known) => known.id).join(", ")}`);
  return style;
}

export function styleScale(style: Style, tonic: number): Scale {
  return { tonic, intervals: MODES[style.mode] };
}

/** The MIDI pitch of a scale degree; degrees past the mode's length continue into the next octaves. */
function degreePitch(style: Style, tonic: number, degree: number): number {
  const { octave, index } = splitDegree(style, degree);
  return tonic + 12 * octave + MODES[style.mode][index]!;
}

function splitDegree(style: Style, degree: number): { octave: number; index: number } {
  const degreesPerOctave = MODES[style.mode].length;
  const octave = Math.floor(degree / degreesPerOctave);
  return { octave, index: degree - octave * degreesPerOctave };
}

/** The lowest and highest MIDI pitch a style's melody in this key may use. */
export function noteRange(style: Style, tonic: number): { low: number; high: number } {
  return { low: degreePitch(style, tonic, style.range.low), high: degreePitch(style, tonic, style.range.high) };
}

export interface GenerateOptions {
  /** Defaults to one pass through the style's form. */
  bars?: number;
  /** The tonic's MIDI pitch; defaults to one of the style's keys. */
  tonic?: number;
}

export function generateMelody(styleId: string, random: Random, options: GenerateOptions = {}): Melody {
  const style = styleById(styleId);
  const bars = options.bars ?? style.form.length * style.phraseBars;
  if (!Number.isInteger(bars) || bars < 1) throw new RangeError(`bars must be a positive integer, got ${bars}`);
  const tonic = options.tonic ?? random.pick(style.tonics);
  const notes = realise(style, tonic, composeBars(style, random, bars));
  return { notes: addChromaticApproaches(style, random, tonic, notes), lengthSteps: bars * stepsPerBar(style.meter), meter: style.meter };
}

/** A prompt describing a melody of the style; the key is the given tonic's, or one of the style's keys. */
export function generatePrompt(styleId: string, random: Random, tonic?: number): string {
  const style = styleById(styleId);
  const { moods, kinds, mode } = style.words;
  const firstMood = random.pick(moods);
  const secondMood = random.next() < SECOND_MOOD ? random.pick(moods.filter((mood) => mood !== firstMood)) : undefined;
  const description = secondMood ? `${firstMood}, ${secondMood}` : firstMood;
  const key = pitchClassName(tonic ?? random.pick(style.tonics));
  return [/^[aeiou]/.test(description) ? "an" : "a", description, random.pick(kinds), "in", key, mode].filter(Boolean).join(" ");
}

export interface Example {
  prompt: string;
  melody: Melody;
}

/** Prompt and melody pairs in the style, each prompt naming its melody's key; the same seed gives the same examples. */
export function generateExamples(styleId: string, count: number, seed: number): Example[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const style = styleById(styleId);
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const tonic = random.pick(style.tonics);
    const melody = generateMelody(style.id, random, { tonic });
    return { prompt: generatePrompt(style.id, random, tonic), melody };
  });
}

/** One bar as scale degrees: one degree per note of the rhythm (rests have none). */
interface Bar {
  rhythm: Rhythm;
  degrees: number[];
}

interface Onset {
  offset: number;
  duration: number;
}

function onsets(rhythm: Rhythm): Onset[] {
  const result: Onset[] = [];
  let offset = 0;
  for (const entry of rhythm) {
    if (entry > 0) result.push({ offset, duration: entry });
    offset += Math.abs(entry);
  }
  return result;
}

/** Walks the bars in form order: a phrase letter's first occurrence is composed, later ones repeat it with variations, and the last bar is a cadence. */
function composeBars(style: Style, random: Random, bars: number): Bar[] {
  const phrases = new Map<string, Bar[]>();
  const composed: Bar[] = [];
  let degree = 0;
  for (let index = 0; index < bars; index += 1) {
    const letter = style.form[Math.floor(index / style.phraseBars) % style.form.length]!;
    const barInPhrase = index % style.phraseBars;
    const earlier = phrases.get(letter)?.[barInPhrase];
    let bar: Bar;
    if (index === bars - 1) {
      bar = cadenceBar(style, random, degree);
    } else if (earlier) {
      bar = vary(style, random, earlier);
    } else {
      bar = newBar(style, random, degree, barInPhrase);
      phrases.set(letter, [...(phrases.get(letter) ?? []), bar]);
    }
    composed.push(bar);
    degree = bar.degrees.at(-1) ?? degree;
  }
  return composed;
}

function newBar(style: Style, random: Random, startDegree: number, barInPhrase: number): Bar {
  const rhythm = random.pick(style.rhythms);
  const barSteps = stepsPerBar(style.meter);
  const phrasePosition = (offset: number): number => (barInPhrase + offset / barSteps) / style.phraseBars;
  return { rhythm, degrees: walk(style, random, rhythm, startDegree, (offset) => contourTarget(style, phrasePosition(offset))) };
}

/** Heads for the tonic nearest the current degree and ends on it. */
function cadenceBar(style: Style, random: Random, startDegree: number): Bar {
  const degreesPerOctave = MODES[style.mode].length;
  const tonicDegrees = [-1, 0, 1, 2].map((octave) => octave * degreesPerOctave).filter((degree) => degree >= style.range.low && degree <= style.range.high);
  const home = tonicDegrees.reduce((best, degree) => (Math.abs(degree - startDegree) < Math.abs(best - startDegree) ? degree : best));
  const degrees = walk(style, random, style.cadence, startDegree, () => home);
  return { rhythm: style.cadence, degrees: [...degrees.slice(0, -1), home] };
}

/** One degree per note of the rhythm, each a step from the one before, aiming at the target for the note's offset in the bar. */
function walk(style: Style, random: Random, rhythm: Rhythm, startDegree: number, targetAt: (offset: number) => number): number[] {
  let degree = startDegree;
  return onsets(rhythm).map(({ offset }) => {
    degree = nextDegree(style, random, degree, targetAt(offset), offset % style.meter.stepsPerBeat === 0);
    return degree;
  });
}

function vary(style: Style, random: Random, bar: Bar): Bar {
  if (bar.degrees.length === 0 || random.next() >= VARIATION) return bar;
  const index = random.int(0, bar.degrees.length - 1);
  const varied = bar.degrees[index]! + random.pick([-1, 1]);
  if (varied < style.range.low || varied > style.range.high) return bar;
  return { rhythm: bar.rhythm, degrees: bar.degrees.map((degree, position) => (position === index ? varied : degree)) };
}

/** The degree the contour aims at, at a position from 0 (phrase start) to 1 (phrase end). */
function contourTarget(style: Style, position: number): number {
  const { low, high } = style.range;
  return low + (high - low) * contourShape(style.contour, position);
}

function contourShape(contour: Contour, position: number): number {
  switch (contour) {
    case "arch":
      return 0.25 + 0.65 * Math.sin(Math.PI * position);
    case "ascending":
      return 0.25 + 0.6 * position;
    case "descending":
      return 0.85 - 0.6 * position;
    case "wave":
      return 0.5 + 0.3 * Math.sin(4 * Math.PI * position);
  }
}

/** A step drawn from the style's step weights, pulled towards the contour's target and, on a beat, towards the anchor degrees. */
function nextDegree(style: Style, random: Random, current: number, target: number, onBeat: boolean): number {
  const weights = STEP_OFFSETS.map((offset, index) => {
    const candidate = current + offset;
    if (candidate < style.range.low || candidate > style.range.high) return 0;
    const anchorBoost = onBeat && style.anchors.includes(splitDegree(style, candidate).index) ? ANCHOR_BOOST : 1;
    return style.steps[index]! * anchorBoost * Math.exp(-CONTOUR_PULL * Math.abs(candidate - target));
  });
  return current + STEP_OFFSETS[random.weighted(weights)]!;
}

function realise(style: Style, tonic: number, bars: readonly Bar[]): Note[] {
  const barSteps = stepsPerBar(style.meter);
  return bars.flatMap((bar, barIndex) =>
    onsets(bar.rhythm).map(({ offset, duration }, index) => ({
      pitch: degreePitch(style, tonic, bar.degrees[index]!),
      start: barIndex * barSteps + offset,
      duration,
    })),
  );
}

/** Turns 16th-note pickups into chromatic approaches (a semitone below the note they lead to) where that note is out of the scale and in range. */
function addChromaticApproaches(style: Style, random: Random, tonic: number, notes: Note[]): Note[] {
  if (style.chromaticApproach === 0) return notes;
  const scale = styleScale(style, tonic);
  const lowest = noteRange(style, tonic).low;
  return notes.map((note, index) => {
    const target = notes[index + 1];
    if (note.duration !== 1 || target?.start !== note.start + 1) return note;
    const approach = target.pitch - 1;
    if (inScale(approach, scale) || approach < lowest || random.next() >= style.chromaticApproach) return note;
    return { ...note, pitch: approach };
  });
}
