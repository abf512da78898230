import { z } from "zod";
import { datasetLineSchema } from "../ml/dataset-line.js";
import type { FieldError } from "../errors/domain-errors.js";
import type { WorkerPool } from "../workers/pool.js";
import { datasetItemInput, datasetName, description, MAX_ITEMS } from "./inputs.js";
import { ImportFileError, itemFromMidi, refuse } from "./midi.js";
import { eventLoopTurns, LineTooLongError, textLines } from "./text-lines.js";
import type { NewItem } from "./service.js";

export const MAX_MIDI_FILES = 500;
export const MAX_MIDI_BYTES = 5 * 1024 * 1024;
export const MAX_JSONL_BYTES = 100 * 1024 * 1024;
/** A full example (4,096 notes and a 500-character prompt) is about 200 KB of JSON. */
export const MAX_JSONL_LINE_CHARS = 1024 * 1024;

export const importDatasetInput = z.object({
  name: datasetName,
  description,
  format: z.enum(["MIDI", "JSONL"]),
});
export type ImportDatasetInput = z.infer<typeof importDatasetInput>;

/** The part of a multipart upload the importer reads (yoga's File ponyfill, or a Blob with a name). */
export interface UploadedFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  stream(): ReadableStream<Uint8Array>;
}

function issuesOf(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join(", ");
}

/** The item as createDataset would accept it, or the reason it would not. */
function checkedItem(item: NewItem, where: string): NewItem {
  const parsed = datasetItemInput.safeParse({ prompt: item.prompt, notes: item.melody.notes, lengthSteps: item.melody.lengthSteps, meter: item.melody.meter });
  if (!parsed.success) throw new ImportFileError(`${where}: ${issuesOf(parsed.error)}`);
  return { prompt: parsed.data.prompt, melody: item.melody };
}

/** One file after the other, so that at most one file's bytes are in memory at a time. */
async function midiItems(pool: WorkerPool, files: UploadedFile[]): Promise<NewItem[]> {
  if (files.length < 1 || files.length > MAX_MIDI_FILES) {
    throw refuse([{ field: "files", message: `MIDI import takes 1 to ${MAX_MIDI_FILES} files, got ${files.length}` }]);
  }
  const errors: FieldError[] = [];
  const items: NewItem[] = [];
  for (const [index, file] of files.entries()) {
    try {
      if (file.size > MAX_MIDI_BYTES) throw new ImportFileError(`${file.name}: larger than ${MAX_MIDI_BYTES / 1024 / 1024} MB`);
      const item = await itemFromMidi(pool, new Uint8Array(await file.arrayBuffer()), file.name);
      items.push(checkedItem(item, file.name));
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      errors.push({ field: `files.${index}`, message: error.message });
    }
  }
  if (errors.length) throw refuse(errors);
  return items;
}

/** The example on one JSONL line, or the reason it is refused. */
function itemFromLine(line: string, where: string): NewItem {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new ImportFileError(`${where}: not valid JSON`);
  }
  const parsed = datasetLineSchema.safeParse(json);
  if (!parsed.success) throw new ImportFileError(`${where}: ${issuesOf(parsed.error)}`);
  const { prompt, lengthSteps, meter } = parsed.data;
  const notes = [...parsed.data.notes].sort((a, b) => a.start - b.start);
  return checkedItem({ prompt, melody: { notes, lengthSteps, meter } }, where);
}

/**
 * Read as it streams, a line at a time, giving the event loop a turn every few milliseconds; it stops at the first
 * line too long to be an example, at the first example past MAX_ITEMS and at the 100th bad line.
 */
async function jsonlItems(files: UploadedFile[]): Promise<NewItem[]> {
  const file = files[0];
  if (files.length !== 1 || !file) throw refuse([{ field: "files", message: `JSONL import takes exactly one file, got ${files.length}` }]);
  if (file.size > MAX_JSONL_BYTES) throw refuse([{ field: "files.0", message: `${file.name}: larger than ${MAX_JSONL_BYTES / 1024 / 1024} MB` }]);
  const errors: FieldError[] = [];
  const items: NewItem[] = [];
  const nextTurn = eventLoopTurns();
  let lineNumber = 0;
  try {
    for await (const line of textLines(file.stream(), MAX_JSONL_LINE_CHARS)) {
      lineNumber += 1;
      await nextTurn();
      if (!line.trim()) continue;
      if (items.length === MAX_ITEMS) throw refuse([{ field: "files.0", message: `${file.name}: more than ${MAX_ITEMS} examples` }]);
      try {
        items.push(itemFromLine(line, `${file.name} line ${lineNumber}`));
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error;
        errors.push({ field: "files.0", message: error.message });
      }
      if (errors.length >= 100) break;
    }
  } catch (error) {
    if (!(error instanceof LineTooLongError)) throw error;
    errors.push({ field: "files.0", message: `${file.name} ${error.message}: no example is that long` });
  }
  if (errors.length) throw refuse(errors);
  if (items.length === 0) throw refuse([{ field: "files.0", message: `${file.name}: no examples` }]);
  return items;
}

/** Every file read and validated before anything is stored: one bad file refuses the import. */
export function importedItems(pool: WorkerPool, format: ImportDatasetInput["format"], files: UploadedFile[]): Promise<NewItem[]> {
  return format === "MIDI" ? midiItems(pool, files) : jsonlItems(files);
}
