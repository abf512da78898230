import { MessagePort } from "node:worker_threads";
import { z } from "zod";
import { sampledMelodySchema } from "./melody.js";

/* The contract between the sidecar and its inference workers (sidecar/inference.worker.ts), validated on both sides. */

export const executionProvider = z.enum(["cpu", "cuda"]);

/** Opens the base models' sessions in a worker ahead of the first job. */
export const warmTask = z.object({ kind: z.literal("warm"), baseModelIds: z.array(z.string().min(1)).min(1) });

export const adapterFiles = z.object({
  /** for errors: the adapter's friendly name and version */
  label: z.string(),
  weightsPath: z.string().min(1),
  configPath: z.string().min(1).nullable(),
  /** the registry's values, for an adapter without adapter_config.json */
  alpha: z.number().positive(),
  useRslora: z.boolean(),
  weight: z.number().finite(),
});
export type AdapterFiles = z.infer<typeof adapterFiles>;

export const generateTask = z.object({
  kind: z.literal("generate"),
  baseModelId: z.string().min(1),
  prompt: z.string(),
  meter: z.object({ beatsPerBar: z.number().int().min(1), stepsPerBeat: z.number().int().min(1) }),
  maxSteps: z.number().int().min(1),
  samples: z.number().int().min(1),
  temperature: z.number().positive(),
  topK: z.number().int().min(1).nullable(),
  seed: z.number().int(),
  adapters: z.array(adapterFiles),
  /** receives the fraction done (steps sampled / maxSteps) after each step; transferred with the task */
  progress: z.instanceof(MessagePort),
});
export type GenerateTask = z.infer<typeof generateTask>;

export const inferenceTask = z.discriminatedUnion("kind", [warmTask, generateTask]);
export type InferenceTask = z.infer<typeof inferenceTask>;

export const warmResult = z.object({ provider: executionProvider });
export const generateResult = z.array(sampledMelodySchema);
