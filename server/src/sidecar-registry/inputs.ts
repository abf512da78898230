import { z } from "zod";

const label = z.string().trim().min(1).max(100);

export const registerSidecarInput = z.object({
  /** a stable id keeps one record across restarts (the embedded sidecar's supervisor gives one) */
  id: z.uuid().nullish(),
  name: label,
  executionProviders: z.array(label).max(20),
  baseModels: z.array(z.string().trim().min(1).max(200)).max(200),
  trainers: z.array(label).max(50),
  concurrency: z.number().int().min(1).max(64),
  version: z.string().max(100).nullish(),
});

/** Generation jobs a sidecar runs at once beside its runs (0: it takes none). */
export const generationSlotsInput = z.number().int().min(0, "generationSlots must be from 0 to 64").max(64, "generationSlots must be from 0 to 64");
