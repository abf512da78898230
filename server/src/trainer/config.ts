import { z } from "zod";
import type { LoraConfig } from "../ml/lora.js";
import { LAYER_NAMES } from "../ml/model.js";
import { ADAMW_MOMENTS, type TrainingOptions } from "../ml/train.js";

/* The built-in trainer's config.json (DESIGN §6): LoRA shape, optimizer and schedule. Unknown keys are refused. */

export const TrainerConfigSchema = z
  .object({
    baseModel: z.enum(["tunes-s", "tunes-m"]),
    rank: z.number().int().min(1).max(64).default(8),
    alpha: z.number().positive().default(16),
    dropout: z.number().min(0).max(0.5).default(0.05),
    targetModules: z
      .array(z.enum(LAYER_NAMES))
      .min(1)
      .refine((modules) => new Set(modules).size === modules.length, "must not repeat a module")
      .default([...LAYER_NAMES]),
    useRslora: z.boolean().default(false),
    learningRate: z.number().positive().default(3e-3),
    batchSize: z.number().int().min(1).default(32),
    epochs: z.number().int().min(1).default(3),
    maxSteps: z.number().int().min(1).optional(),
    warmupSteps: z.number().int().min(0).default(20),
    scheduler: z.enum(["cosine", "linear", "constant"]).default("cosine"),
    maxGradNorm: z.number().positive().default(1),
    weightDecay: z.number().min(0).default(0),
    seed: z.number().int().default(42),
    evalEvery: z.number().int().min(1).default(50),
  })
  .strict();

export type TrainerConfig = z.infer<typeof TrainerConfigSchema>;

export class TrainerConfigError extends Error {
  override name = "TrainerConfigError";
}

/** Validates a parsed config.json; the error names every offending key. */
export function parseTrainerConfig(value: unknown): TrainerConfig {
  const result = TrainerConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".");
    return `${keys || "(config)"}: ${issue.message}`;
  });
  throw new TrainerConfigError(`invalid trainer config: ${problems.join("; ")}`);
}

export function loraConfigOf(config: TrainerConfig): LoraConfig {
  return { rank: config.rank, alpha: config.alpha, rsLora: config.useRslora, targetModules: config.targetModules };
}

/** The optimizer, schedule and dropout of a run of totalSteps steps. */
export function trainingOptions(config: TrainerConfig, totalSteps: number): TrainingOptions {
  return {
    learningRate: config.learningRate,
    warmupSteps: config.warmupSteps,
    totalSteps,
    schedule: config.scheduler,
    ...ADAMW_MOMENTS,
    weightDecay: config.weightDecay,
    maxGradNorm: config.maxGradNorm,
    dropout: config.dropout,
  };
}
