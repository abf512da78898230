/** A dataset item's melody as a small piano roll: one bar per note, time across, pitch up. */
import { asJsonObject } from "../../utils/json";

export interface RollNote {
  pitch: number;
  start: number;
  duration: number;
}

export interface PianoRoll {
  /** in 16th-note steps */
  lengthSteps: number;
  /** lowest and highest pitch shown, a semitone of room around the notes */
  low: number;
  high: number;
  notes: RollNote[];
  /** steps where a bar begins, after the first */
  barLines: number[];
}

function isNote(value: unknown): value is RollNote {
  const note = asJsonObject(value);
  return note !== null && [note.pitch, note.start, note.duration].every((field) => typeof field === "number");
}

/** The roll of an item's `notes` JSON ({ notes, lengthSteps, meter }); null when it holds no notes. */
export function pianoRoll(melody: unknown): PianoRoll | null {
  const object = asJsonObject(melody);
  const notes = Array.isArray(object?.notes) ? object.notes.filter(isNote) : [];
  if (notes.length === 0) return null;
  const end = Math.max(...notes.map((note) => note.start + note.duration));
  const lengthSteps = typeof object?.lengthSteps === "number" ? Math.max(object.lengthSteps, end) : end;
  const meter = asJsonObject(object?.meter);
  const barSteps = typeof meter?.beatsPerBar === "number" && typeof meter.stepsPerBeat === "number" ? meter.beatsPerBar * meter.stepsPerBeat : 16;
  const pitches = notes.map((note) => note.pitch);
  const barLines = Array.from({ length: Math.ceil(lengthSteps / barSteps) - 1 }, (_, index) => (index + 1) * barSteps);
  return { lengthSteps, low: Math.min(...pitches) - 1, high: Math.max(...pitches) + 1, notes, barLines };
}
