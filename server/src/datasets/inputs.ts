import { z } from "zod";
import { stepsPerBar, type Meter, type Note } from "../ml/melody.js";
import { STYLES } from "../ml/styles.js";

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const MAX_ITEMS = 10_000;
export const MAX_GENERATED = 5_000;
export const MAX_NOTES_PER_ITEM = 4_096;
/** 16th-note steps: 4,096 bars of 4/4, far beyond any training example. */
export const MAX_STEPS = 65_536;

export const datasetName = z
  .string()
  .trim()
  .min(1, "name must not be empty")
  .max(100, "name must be at most 100 characters")
  .refine((name) => !CONTROL_CHARS.test(name), "name must not contain control characters");

export const description = z
  .string()
  .max(20_000, "description must be at most 20000 characters")
  .nullish()
  .transform((text) => text ?? "");

/** The step after the last note ends; a loop, since a melody's notes are too many to spread into Math.max. */
function lastNoteEnd(notes: readonly Note[]): number {
  let end = 0;
  for (const note of notes) end = Math.max(end, note.start + note.duration);
  return end;
}

/** A melody's length rounded up to whole bars, so it never cuts the last note: the default of `lengthSteps`. */
export function barsLength(notes: readonly Note[], meter: Meter): number {
  const bar = stepsPerBar(meter);
  return Math.max(bar, Math.ceil(lastNoteEnd(notes) / bar) * bar);
}

const step = (what: string, min: number) =>
  z.number().int(`${what} must be a whole number of steps`).min(min, `${what} must be at least ${min}`).max(MAX_STEPS, `${what} must be at most ${MAX_STEPS}`);

export const noteInput = z.object({
  pitch: z.number().int("pitch must be a whole number").min(0, "pitch must be between 0 and 127").max(127, "pitch must be between 0 and 127"),
  start: step("start", 0),
  duration: step("duration", 1),
});

const meterInput = z.object({
  beatsPerBar: z.number().int().min(1, "beatsPerBar must be between 1 and 32").max(32, "beatsPerBar must be between 1 and 32"),
  stepsPerBeat: z.number().int().min(1, "stepsPerBeat must be between 1 and 32").max(32, "stepsPerBeat must be between 1 and 32"),
});

export const datasetItemInput = z
  .object({
    prompt: z
      .string()
      .trim()
      .min(1, "prompt must not be empty")
      .max(500, "prompt must be at most 500 characters")
      .refine((prompt) => !CONTROL_CHARS.test(prompt), "prompt must not contain control characters"),
    notes: z.array(noteInput).min(1, "notes must not be empty").max(MAX_NOTES_PER_ITEM, `at most ${MAX_NOTES_PER_ITEM} notes per item`),
    lengthSteps: step("lengthSteps", 1).nullish(),
    meter: meterInput.nullish(),
  })
  .superRefine((item, ctx) => {
    const end = lastNoteEnd(item.notes);
    if (item.lengthSteps != null && item.lengthSteps < end) {
      ctx.addIssue({ code: "custom", path: ["lengthSteps"], message: `lengthSteps ${item.lengthSteps} ends before the last note (step ${end})` });
    }
  });

export const createDatasetInput = z.object({
  name: datasetName,
  description,
  items: z.array(datasetItemInput).min(1, "a dataset needs at least one item").max(MAX_ITEMS, `at most ${MAX_ITEMS} items`),
});
export type CreateDatasetInput = z.infer<typeof createDatasetInput>;

export const STYLE_IDS = STYLES.map((style) => style.id);

export const generateDatasetInput = z.object({
  name: datasetName,
  description,
  style: z.string().superRefine((id, ctx) => {
    if (!STYLE_IDS.includes(id)) ctx.addIssue({ code: "custom", message: `unknown style ${JSON.stringify(id)}; valid styles: ${STYLE_IDS.join(", ")}` });
  }),
  count: z.number().int("count must be a whole number").min(1, `count must be between 1 and ${MAX_GENERATED}`).max(MAX_GENERATED, `count must be between 1 and ${MAX_GENERATED}`),
  seed: z.number().int("seed must be a whole number").min(0, "seed must be between 0 and 2147483647").max(2_147_483_647).nullish(),
});
export type GenerateDatasetInput = z.infer<typeof generateDatasetInput>;
