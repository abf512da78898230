import { z } from "zod";
import { jsonEnv } from "./json-env.js";

/*
 * Trainer commands (DESIGN §6): the built-in one for the reference models, and the ones an operator
 * registers in TRAINERS, e.g. a PEFT or sd-scripts wrapper on a GPU box. The API picks the trainer of a
 * run's base model; the sidecar runs it without a shell, adding --config/--dataset/--output.
 */

export const BUILTIN_TRAINER = "tunes";
export const BUILTIN_TRAINER_BASE_MODELS = ["tunes-s", "tunes-m"] as const;
const DEFAULT_TIMEOUT_SECONDS = 24 * 3600;

const trainerCommand = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, "name: lower-case letters, digits, - and _, at most 50"),
    command: z.array(z.string().min(1).max(4096)).min(1, "command: the program and its arguments, as an array").max(100),
    baseModels: z.array(z.string().min(1).max(200)).min(1, "baseModels: at least one base model id"),
    timeoutSeconds: z.number().int().positive().max(30 * 24 * 3600).default(DEFAULT_TIMEOUT_SECONDS),
  })
  .strict();
export type TrainerCommand = z.infer<typeof trainerCommand>;

export const trainerCommands = jsonEnv("a JSON array of {name, command, baseModels}", z.array(trainerCommand).max(50))
  .refine((list) => new Set(list.map((t) => t.name)).size === list.length, "trainer names must be unique")
  .refine((list) => list.every((t) => t.name !== BUILTIN_TRAINER), `"${BUILTIN_TRAINER}" is the built-in trainer's name`);

/** The trainer a run on this base model uses: an operator's command first, else the built-in one. */
export function trainerFor(baseModelId: string, configured: TrainerCommand[]): string | null {
  const external = configured.find((t) => t.baseModels.includes(baseModelId));
  if (external) return external.name;
  return (BUILTIN_TRAINER_BASE_MODELS as readonly string[]).includes(baseModelId) ? BUILTIN_TRAINER : null;
}
