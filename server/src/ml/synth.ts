import { STEP_SECONDS, type Melody, type Note } from "./melody.js";

/*
 * The small synthesizer that makes generated melodies audible: each note is a few harmonics of its pitch (equal
 * temperament, A4 = 440 Hz) under an attack, decay-to-sustain and release envelope. Pure and deterministic, so the
 * same melody always renders to the same samples, and cheap enough to run beside the API: each harmonic is a sine
 * advanced by the two-term recurrence s[n+1] = 2·cos(ω)·s[n] − s[n−1], without a Math.sin per sample.
 */

export interface SynthOptions {
  sampleRate: number;
  /** how long a step sounds; the project's tempo by default */
  stepSeconds?: number;
}

/** Relative amplitudes of the fundamental and its overtones: a soft, organ-like tone. */
const HARMONICS = [1, 0.45, 0.2, 0.1] as const;
const ATTACK_SECONDS = 0.005;
/** The decay's time constant, from full level towards the sustain level. */
const DECAY_SECONDS = 0.35;
const SUSTAIN_LEVEL = 0.55;
const RELEASE_SECONDS = 0.06;
/** Headroom: the harmonics sum to 1.75 at most, and a release overlaps the next note's attack. */
const GAIN = 0.3;
const MIN_SAMPLE_RATE = 8000;
const MAX_SAMPLE_RATE = 192_000;

export function frequencyOf(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

/** Mono samples in [−1, 1] for the melody's whole length plus the last note's release. */
export function renderMelody(melody: Melody, { sampleRate, stepSeconds = STEP_SECONDS }: SynthOptions): Float32Array {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new RangeError(`the sample rate must be an integer from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz, got ${sampleRate}`);
  }
  if (!(stepSeconds > 0)) throw new RangeError(`a step must last a positive time, got ${stepSeconds} s`);
  const output = new Float32Array(Math.ceil((melody.lengthSteps * stepSeconds + RELEASE_SECONDS) * sampleRate));
  for (const note of melody.notes) addNote(output, note, sampleRate, stepSeconds);
  return output;
}

function addNote(output: Float32Array, note: Note, sampleRate: number, stepSeconds: number): void {
  const start = Math.round(note.start * stepSeconds * sampleRate);
  if (start >= output.length) return;
  const envelope = noteEnvelope(Math.round(note.duration * stepSeconds * sampleRate), sampleRate, output.length - start);
  const fundamental = frequencyOf(note.pitch);
  for (const [index, amplitude] of HARMONICS.entries()) {
    const frequency = fundamental * (index + 1);
    if (frequency >= sampleRate / 2) break;
    addSine(output, start, envelope, (2 * Math.PI * frequency) / sampleRate, amplitude * GAIN);
  }
}

/** The level at each sample from the onset: a linear attack, a decay towards the sustain level while held, a linear release. */
function noteEnvelope(heldSamples: number, sampleRate: number, room: number): Float32Array {
  const attack = Math.max(1, Math.round(ATTACK_SECONDS * sampleRate));
  const release = Math.max(1, Math.round(RELEASE_SECONDS * sampleRate));
  const decayPerSample = Math.exp(-1 / (DECAY_SECONDS * sampleRate));
  const envelope = new Float32Array(Math.min(room, heldSamples + release));
  let level = 0;
  let decay = 1;
  let releaseStep = 0;
  for (let n = 0; n < envelope.length; n += 1) {
    if (n < heldSamples && n < attack) {
      level = (n + 1) / attack;
    } else if (n < heldSamples) {
      decay *= decayPerSample;
      level = SUSTAIN_LEVEL + (1 - SUSTAIN_LEVEL) * decay;
    } else {
      if (n === heldSamples) releaseStep = level / release;
      level = Math.max(0, level - releaseStep);
    }
    envelope[n] = level;
  }
  return envelope;
}

function addSine(output: Float32Array, start: number, envelope: Float32Array, omega: number, amplitude: number): void {
  const twoCos = 2 * Math.cos(omega);
  let previous = -Math.sin(omega);
  let current = 0;
  for (let n = 0; n < envelope.length; n += 1) {
    output[start + n]! += amplitude * envelope[n]! * current;
    const next = twoCos * current - previous;
    previous = current;
    current = next;
  }
}
