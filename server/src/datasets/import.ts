import { z } from "zod";
import { datasetLineSchema } from "../ml/dataset-line.js";
import type { FieldError } from "../errors/domain-errors.js";
import { datasetItemInput, datasetName, description, MAX_ITEMS } from "./inputs.js";
import { ImportFileError, melodyFromMidi, refuse } from "./midi.js";
import type { NewItem } from "./service.js";

export const MAX_MIDI_FILES = 500;
export const MAX_MIDI_BYTES = 5 * 1024 * 1024;
export const MAX_JSONL_BYTES = 100 * 1024 * 1024;

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
  text(): Promise<string>;
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

async function midiItems(files: UploadedFile[]): Promise<NewItem[]> {
  if (files.length < 1 || files.length > MAX_MIDI_FILES) {
    throw refuse([{ field: "files", message: `MIDI import takes 1 to ${MAX_MIDI_FILES} files, got ${files.length}` }]);
  }
  const errors: FieldError[] = [];
  const items: NewItem[] = [];
  for (const [index, file] of files.entries()) {
    try {
      if (file.size > MAX_MIDI_BYTES) throw new ImportFileError(`${file.name}: larger than ${MAX_MIDI_BYTES / 1024 / 1024} MB`);
      const item = melodyFromMidi(new Uint8Array(await file.arrayBuffer()), file.name);
      items.push(checkedItem(item, file.name));
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      errors.push({ field: `files.${index}`, message: error.message });
    }
  }
  if (errors.length) throw refuse(errors);
  return items;
}

async function jsonlItems(files: UploadedFile[]): Promise<NewItem[]> {
  const file = files[0];
  if (files.length !== 1 || !file) throw refuse([{ field: "files", message: `JSONL import takes exactly one file, got ${files.length}` }]);
  if (file.size > MAX_JSONL_BYTES) throw refuse([{ field: "files.0", message: `${file.name}: larger than ${MAX_JSONL_BYTES / 1024 / 1024} MB` }]);
  const errors: FieldError[] = [];
  const items: NewItem[] = [];
  const lines = (await file.text()).split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const where = `${file.name} line ${index + 1}`;
    try {
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
      items.push(checkedItem({ prompt, melody: { notes, lengthSteps, meter } }, where));
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      errors.push({ field: "files.0", message: error.message });
    }
    if (errors.length >= 100) break;
  }
  if (errors.length) throw refuse(errors);
  if (items.length === 0) throw refuse([{ field: "files.0", message: `${file.name}: no examples` }]);
  if (items.length > MAX_ITEMS) throw refuse([{ field: "files.0", message: `${file.name}: at most ${MAX_ITEMS} examples, got ${items.length}` }]);
  return items;
}

/** Every file read and validated before anything is stored: one bad file refuses the import. */
export function importedItems(format: ImportDatasetInput["format"], files: UploadedFile[]): Promise<NewItem[]> {
  return format === "MIDI" ? midiItems(files) : jsonlItems(files);
}
