import { BadUserInputError } from "../errors/domain-errors.js";
import type { WorkerPool } from "../workers/pool.js";
import { barsLength, MAX_NOTES_PER_ITEM } from "./inputs.js";
import type { NewItem } from "./service.js";

/** Notes in one MIDI file, every track and voice: a whole symphony fits, a "black MIDI" stress file does not. */
export const MAX_NOTES_PER_MIDI_FILE = 100_000;

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

/**
 * One MIDI file as one training example, read in the worker pool (formats/midi-file.ts decodeMelodyMidi): the top
 * voice on the 16th grid, the meter from the file, the prompt from the file name (else the first track name).
 * The bytes are moved to the worker: they are detached afterwards.
 */
export async function itemFromMidi(pool: WorkerPool, bytes: Uint8Array, fileName: string): Promise<NewItem> {
  const decoded = await pool.midiMelody({ bytes, maxFileNotes: MAX_NOTES_PER_MIDI_FILE, maxMelodyNotes: MAX_NOTES_PER_ITEM });
  if (!decoded.ok) throw new ImportFileError(`${fileName}: ${decoded.message}`);
  const prompt = promptFromName(fileName) || promptFromName(decoded.trackName ?? "", false);
  if (!prompt) throw new ImportFileError(`${fileName}: no name to make a prompt from`);
  const { notes, meter } = decoded;
  return { prompt, melody: { notes, lengthSteps: barsLength(notes, meter), meter } };
}

/** Gathers the files' problems into one refusal naming each file. */
export function refuse(errors: { field: string; message: string }[]): BadUserInputError {
  const shown = errors.slice(0, 20);
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : "";
  return new BadUserInputError(shown.map((e) => e.message).join("; ") + more, errors);
}
