import tonejs from "@tonejs/midi";

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

/** 16th notes: four steps a quarter note. */
const STEPS_PER_QUARTER = 4;
const VELOCITY = 0.8;

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
