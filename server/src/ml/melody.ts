import { HIGHEST_PITCH, LOWEST_PITCH } from "../contracts/melody.js";
import { pitchClassName } from "./scales.js";

/** A bar's shape on the 16th-note grid: 3/4 is 3 beats of 4 steps, 6/8 is 2 dotted-quarter beats of 6 steps. */
export interface Meter {
  beatsPerBar: number;
  stepsPerBeat: number;
}

/** One note of a monophonic melody; start and duration count 16th-note steps. */
export interface Note {
  /** MIDI pitch (60 = middle C). */
  pitch: number;
  start: number;
  duration: number;
}

export interface Melody {
  notes: Note[];
  lengthSteps: number;
  meter: Meter;
}

export const DEFAULT_METER: Meter = { beatsPerBar: 4, stepsPerBeat: 4 };

export function stepsPerBar(meter: Meter): number {
  return meter.beatsPerBar * meter.stepsPerBeat;
}

/** How long a step sounds when a melody is played: a 16th note at 120 quarter notes a minute. */
export const STEP_SECONDS = 0.125;
export const TEMPO_BPM = 60 / (4 * STEP_SECONDS);


export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const REST = 3;
export const HOLD = 4;
const FIRST_ONSET = 5;

export const VOCAB_SIZE = FIRST_ONSET + HIGHEST_PITCH - LOWEST_PITCH + 1;

/** A readable name per token id, e.g. for a model manifest: pad, bos, eos, rest, hold, then C3 … C6. */
export const VOCABULARY: readonly string[] = [
  "pad",
  "bos",
  "eos",
  "rest",
  "hold",
  ...Array.from({ length: VOCAB_SIZE - FIRST_ONSET }, (_, index) => pitchName(LOWEST_PITCH + index)),
];

function pitchName(pitch: number): string {
  return `${pitchClassName(pitch)}${Math.floor(pitch / 12) - 1}`;
}

/** Moves a pitch by whole octaves into the vocabulary's range, keeping its pitch class. */
export function foldPitch(pitch: number): number {
  let folded = pitch;
  while (folded < LOWEST_PITCH) folded += 12;
  while (folded > HIGHEST_PITCH) folded -= 12;
  return folded;
}

export function onsetToken(pitch: number): number {
  return FIRST_ONSET + foldPitch(pitch) - LOWEST_PITCH;
}

/** The pitch an onset token starts, or undefined for the special tokens. */
export function tokenPitch(token: number): number | undefined {
  return token >= FIRST_ONSET && token < VOCAB_SIZE ? token - FIRST_ONSET + LOWEST_PITCH : undefined;
}

/**
 * BOS, one token per step (the onset of a note, HOLD while it sounds, REST in silence), EOS.
 * Overlapping notes are made monophonic: a later onset cuts the sounding note short, and of notes
 * starting together the highest wins. Notes are clipped to lengthSteps.
 */
export function tokenize(melody: Melody): number[] {
  assertValidMelody(melody);
  const steps = new Array<number>(melody.lengthSteps).fill(REST);
  const voice = monophonic(melody.notes);
  for (const [index, note] of voice.entries()) {
    const nextStart = voice[index + 1]?.start ?? Infinity;
    const end = Math.min(note.start + note.duration, nextStart, melody.lengthSteps);
    if (note.start >= end) continue;
    steps.fill(HOLD, note.start, end);
    steps[note.start] = onsetToken(note.pitch);
  }
  return [BOS, ...steps, EOS];
}

function monophonic(notes: readonly Note[]): Note[] {
  const sorted = [...notes].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  return sorted.filter((note, index) => index === 0 || sorted[index - 1]!.start !== note.start);
}

function assertValidMelody(melody: Melody): void {
  if (!Number.isInteger(melody.lengthSteps) || melody.lengthSteps < 0) {
    throw new RangeError(`lengthSteps must be a non-negative integer, got ${melody.lengthSteps}`);
  }
  const invalid = melody.notes.find(
    (note) => !Number.isInteger(note.pitch) || !Number.isInteger(note.start) || note.start < 0 || !Number.isInteger(note.duration) || note.duration < 1,
  );
  if (invalid) throw new RangeError(`a note needs an integer pitch, a start >= 0 and a duration >= 1 in 16ths, got ${JSON.stringify(invalid)}`);
}

/**
 * The inverse of tokenize. A leading BOS is skipped and reading stops at EOS or PAD; every other
 * token is one step. A HOLD with nothing sounding (at the start, after REST) reads as REST, so any
 * sequence a model samples decodes to a melody.
 */
export function detokenize(tokens: readonly number[], meter: Meter = DEFAULT_METER): Melody {
  const notes: Note[] = [];
  let sounding: Note | undefined;
  const steps = stepTokens(tokens);
  for (const [step, token] of steps.entries()) {
    const pitch = tokenPitch(token);
    if (pitch !== undefined) {
      sounding = { pitch, start: step, duration: 1 };
      notes.push(sounding);
    } else if (token === HOLD && sounding) {
      sounding.duration += 1;
    } else {
      sounding = undefined;
    }
  }
  return { notes, lengthSteps: steps.length, meter };
}

function stepTokens(tokens: readonly number[]): readonly number[] {
  const outside = tokens.find((token) => !Number.isInteger(token) || token < 0 || token >= VOCAB_SIZE);
  if (outside !== undefined) throw new RangeError(`token ${outside} is outside the vocabulary of ${VOCAB_SIZE}`);
  const body = tokens[0] === BOS ? tokens.slice(1) : tokens;
  const end = body.findIndex((token) => token === EOS || token === PAD);
  return end === -1 ? body : body.slice(0, end);
}

/** The default number of hash buckets a prompt is spread over. */
export const PROMPT_BUCKETS = 64;

/** Lower-cased runs of letters and digits: "A gentle Waltz, in C-major!" → a, gentle, waltz, in, c, major. */
export function promptWords(prompt: string): string[] {
  return prompt.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The average of the words' one-hot bucket vectors (each word hashed with FNV-1a); all zeros for a prompt without words. */
export function promptVector(prompt: string, buckets: number = PROMPT_BUCKETS): Float32Array {
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
  const vector = new Float32Array(buckets);
  const words = promptWords(prompt);
  for (const word of words) vector[fnv1a32(word) % buckets]! += 1 / words.length;
  return vector;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes. */
function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8.encode(text)) hash = Math.imul(hash ^ byte, FNV_PRIME);
  return hash >>> 0;
}
