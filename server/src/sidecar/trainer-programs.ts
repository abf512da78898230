import { entryPointCommand } from "../config/entry-points.js";
import { BUILTIN_TRAINER, type TrainerCommand } from "../config/trainers.js";

/** A trainer as the sidecar runs it: the program and its arguments (no shell), and how long it may run. */
export interface TrainerProgram {
  name: string;
  command: string[];
  timeoutSeconds: number;
}

/** The built-in trainer gets the longest an operator's trainer gets by default. */
const BUILTIN_TIMEOUT_SECONDS = 24 * 3600;

/** The built-in trainer, or the one of TRAINERS with this name; null when this sidecar has neither. */
export function trainerProgram(name: string, configured: readonly TrainerCommand[]): TrainerProgram | null {
  if (name === BUILTIN_TRAINER) return { name, command: entryPointCommand("trainer/main"), timeoutSeconds: BUILTIN_TIMEOUT_SECONDS };
  return configured.find((trainer) => trainer.name === name) ?? null;
}
