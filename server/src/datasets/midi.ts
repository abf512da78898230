import tonejs from "@tonejs/midi";
import { BadUserInputError } from "../errors/domain-errors.js";
import { DEFAULT_METER, stepsPerBar, type Melody, type Meter, type Note } from "../ml/melody.js";

const { Midi } = tonejs;

/** 16th notes: four steps a quarter note (the MIDI file's PPQ). */
const STEPS_PER_QUARTER = 4;

/** A file's problem, named by the file; the caller gathers them into one BAD_USER_INPUT. */
export class ImportFileError extends Error {}

/** "waltz_in_G.mid" -> "waltz in G" */
export function promptFromName(name: string, isFileName = true): string {
  const base = isFileName ? (name.split(/[\\/]/).pop() ?? "").replace(/\.[^.]*$/, "") : name;
  return base
    .replace(/[_-]+/g, " ")
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** 3/4 -> 3 beats of 4 steps; 6/8, 9/8, 12/8 -> dotted-quarter beats of 6 steps. */
function meterOf(numerator: number, denominator: number, fileName: string): Meter {
  if (denominator === 8 && numerator > 3 && numerator % 3 === 0) return { beatsPerBar: numerator / 3, stepsPerBeat: 6 };
  if (!Number.isInteger(numerator) || numerator < 1 || numerator > 32 || !Number.isInteger(denominator) || denominator < 1 || 16 % denominator !== 0) {
    throw new ImportFileError(`${fileName}: unsupported time signature ${numerator}/${denominator}`);
  }
  return { beatsPerBar: numerator, stepsPerBeat: 16 / denominator };
}

function isMidi(bytes: Uint8Array): boolean {
  return bytes.length >= 14 && String.fromCharCode(...bytes.subarray(0, 4)) === "MThd";
}

/** The melody's length rounded up to whole bars. */
export function barsLength(notes: Note[], meter: Meter): number {
  const end = Math.max(...notes.map((note) => note.start + note.duration));
  const bar = stepsPerBar(meter);
  return Math.max(bar, Math.ceil(end / bar) * bar);
}

/**
 * One MIDI file as one training example: every track's notes quantised to the 16th grid, the
 * top voice kept (the highest pitch at each onset, cut by the next onset), the meter from the
 * first time signature, the prompt from the file name (else the track name).
 */
export function melodyFromMidi(bytes: Uint8Array, fileName: string): { prompt: string; melody: Melody } {
  if (!isMidi(bytes)) throw new ImportFileError(`${fileName}: not a MIDI file (no MThd header)`);
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch (error) {
    const reason = error instanceof Error && error.message ? error.message : "unreadable data";
    throw new ImportFileError(`${fileName}: not a readable MIDI file (${reason})`);
  }
  const ppq = midi.header.ppq;
  if (!Number.isFinite(ppq) || ppq <= 0) throw new ImportFileError(`${fileName}: unsupported MIDI timing (SMPTE or zero PPQ)`);
  const signature = [...midi.header.timeSignatures].sort((a, b) => a.ticks - b.ticks)[0]?.timeSignature;
  const meter = signature ? meterOf(signature[0]!, signature[1]!, fileName) : DEFAULT_METER;

  const ticksPerStep = ppq / STEPS_PER_QUARTER;
  const top = new Map<number, Note>();
  for (const track of midi.tracks) {
    if (track.channel === 9) continue; // General MIDI drums carry no melody
    for (const note of track.notes) {
      const start = Math.round(note.ticks / ticksPerStep);
      const end = Math.round((note.ticks + note.durationTicks) / ticksPerStep);
      const quantised = { pitch: note.midi, start, duration: Math.max(1, end - start) };
      const current = top.get(start);
      if (!current || quantised.pitch > current.pitch || (quantised.pitch === current.pitch && quantised.duration > current.duration)) {
        top.set(start, quantised);
      }
    }
  }
  const notes = [...top.values()].sort((a, b) => a.start - b.start);
  if (notes.length === 0) throw new ImportFileError(`${fileName}: no notes`);
  notes.forEach((note, index) => {
    const next = notes[index + 1];
    if (next && note.start + note.duration > next.start) note.duration = next.start - note.start;
  });

  const trackName = midi.tracks.map((track) => track.name).find((name) => name.trim()) ?? midi.header.name;
  const prompt = promptFromName(fileName) || promptFromName(trackName ?? "", false);
  if (!prompt) throw new ImportFileError(`${fileName}: no name to make a prompt from`);
  return { prompt, melody: { notes, lengthSteps: barsLength(notes, meter), meter } };
}

/** Gathers the files' problems into one refusal naming each file. */
export function refuse(errors: { field: string; message: string }[]): BadUserInputError {
  const shown = errors.slice(0, 20);
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : "";
  return new BadUserInputError(shown.map((e) => e.message).join("; ") + more, errors);
}
