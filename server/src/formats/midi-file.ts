import tonejs from "@tonejs/midi";
import { FormatError } from "./errors.js";
import { readMidiFile, type MidiFileNote, type MidiTimeSignature } from "./midi-file-reader.js";

const { Midi } = tonejs;

/*
 * A monophonic melody on the 16th-note grid as a Standard MIDI File: one track of notes, the tempo and the time
 * signature of its meter (steps per beat 6 reads as compound time: 2 beats of 6 steps is 6/8).
 */

export interface MidiNote {
  /** MIDI pitch, 60 = middle C */
  pitch: number;
  /** in steps */
  start: number;
  /** in steps */
  duration: number;
}

export interface MidiMelody {
  notes: readonly MidiNote[];
  meter: { beatsPerBar: number; stepsPerBeat: number };
}

export interface MidiFileOptions {
  bpm: number;
  /** the track's name, e.g. the prompt */
  name?: string;
}

export interface MidiMelodyLimits {
  /** notes in the whole file, every track and voice */
  maxFileNotes: number;
  /** notes of the melody, the top voice on the 16th grid */
  maxMelodyNotes: number;
}

export interface DecodedMidiMelody extends MidiMelody {
  notes: MidiNote[];
  /** the first track name that is not blank */
  trackName: string | null;
}

/** 16th notes: four steps a quarter note. */
const STEPS_PER_QUARTER = 4;
const VELOCITY = 0.8;
/** General MIDI's drum channel (10, counted from 0): drums carry no melody. */
const DRUM_CHANNEL = 9;
const MAX_BEATS_PER_BAR = 32;

/** Beats of 6 steps are dotted quarters (6/8, 9/8, ...); beats of 16/2ⁿ steps are note values (3/4, 2/2, ...); else 16ths. */
function timeSignature({ beatsPerBar, stepsPerBeat }: MidiMelody["meter"]): [number, number] {
  if (stepsPerBeat === 6) return [beatsPerBar * 3, 8];
  const noteValue = 16 / stepsPerBeat;
  if (Number.isInteger(noteValue) && (noteValue & (noteValue - 1)) === 0) return [beatsPerBar, noteValue];
  return [beatsPerBar * stepsPerBeat, 16];
}

export function encodeMelodyMidi(melody: MidiMelody, { bpm, name = "melody" }: MidiFileOptions): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(bpm);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: timeSignature(melody.meter) });
  midi.header.update();
  const ticksPerStep = midi.header.ppq / STEPS_PER_QUARTER;
  const track = midi.addTrack();
  track.name = name;
  for (const note of melody.notes) {
    track.addNote({ midi: note.pitch, ticks: note.start * ticksPerStep, durationTicks: note.duration * ticksPerStep, velocity: VELOCITY });
  }
  return midi.toArray();
}

/** The inverse of timeSignature(): 3/4 is 3 beats of 4 steps; 6/8, 9/8, 12/8 are dotted-quarter beats of 6 steps. */
function meterOf({ numerator, denominator }: MidiTimeSignature): MidiMelody["meter"] {
  if (denominator === 8 && numerator > 3 && numerator % 3 === 0) return { beatsPerBar: numerator / 3, stepsPerBeat: 6 };
  if (numerator < 1 || numerator > MAX_BEATS_PER_BAR || denominator > 16) throw new FormatError(`unsupported time signature ${numerator}/${denominator}`);
  return { beatsPerBar: numerator, stepsPerBeat: 16 / denominator };
}

/** Of the notes starting on the same 16th, the highest (then the longest) is kept. */
function topNotesByOnset(notes: readonly MidiFileNote[], ticksPerStep: number): Map<number, MidiNote> {
  const top = new Map<number, MidiNote>();
  for (const note of notes) {
    if (note.channel === DRUM_CHANNEL) continue;
    const start = Math.round(note.ticks / ticksPerStep);
    const end = Math.round((note.ticks + note.durationTicks) / ticksPerStep);
    const quantised = { pitch: note.pitch, start, duration: Math.max(1, end - start) };
    const current = top.get(start);
    if (!current || quantised.pitch > current.pitch || (quantised.pitch === current.pitch && quantised.duration > current.duration)) {
      top.set(start, quantised);
    }
  }
  return top;
}

/**
 * A MIDI file's melody on the 16th grid: every track's notes quantised, the top voice kept (the highest pitch at
 * each onset, cut by the next onset), the meter from the earliest time signature (4/4 without one). Throws a
 * FormatError for a damaged file (see readMidiFile), one past the limits, an unsupported meter or no notes.
 */
export function decodeMelodyMidi(bytes: Uint8Array, limits: MidiMelodyLimits): DecodedMidiMelody {
  const file = readMidiFile(bytes, { maxNotes: limits.maxFileNotes });
  const meter = file.timeSignature ? meterOf(file.timeSignature) : { beatsPerBar: 4, stepsPerBeat: 4 };
  const top = topNotesByOnset(file.notes, file.ticksPerQuarter / STEPS_PER_QUARTER);
  if (top.size === 0) throw new FormatError("no notes");
  if (top.size > limits.maxMelodyNotes) throw new FormatError(`${top.size} notes in its top voice on the 16th grid, more than the ${limits.maxMelodyNotes} a melody may hold`);
  const notes = [...top.values()].sort((a, b) => a.start - b.start);
  for (let index = 0; index + 1 < notes.length; index++) {
    const note = notes[index]!;
    const next = notes[index + 1]!;
    if (note.start + note.duration > next.start) note.duration = next.start - note.start;
  }
  return { notes, meter, trackName: file.trackName };
}
