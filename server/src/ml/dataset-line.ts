import { z } from "zod";
import { DEFAULT_METER } from "./melody.js";

/**
 * One training example as a line of a dataset's JSONL export: the contract between the API,
 * which writes it, and any trainer, which reads it (DESIGN §6 `--dataset`).
 */
export const datasetLineSchema = z.object({
  prompt: z.string(),
  notes: z.array(z.object({ pitch: z.number().int(), start: z.number().int().min(0), duration: z.number().int().min(1) })),
  lengthSteps: z.number().int().min(1),
  meter: z.object({ beatsPerBar: z.number().int().min(1), stepsPerBeat: z.number().int().min(1) }).default(DEFAULT_METER),
});

export type DatasetLine = z.infer<typeof datasetLineSchema>;
