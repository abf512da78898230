/** The Generate form: its bounds, what it sends, and where the API's messages about it belong. */
import type { CreateGenerationJobInput } from "../../gql/graphql";
import type { ChosenAdapter } from "./adapterSelection";

export const MAX_SAMPLES = 8;
export const MIN_TEMPERATURE = 0.05;
export const MAX_TEMPERATURE = 5;
export const MIN_DURATION_SECONDS = 1;
export const DURATION_STEP_SECONDS = 0.5;
const DEFAULT_DURATION_SECONDS = 10;

export interface GenerationSettings {
  durationSeconds: number | null;
  samples: number | null;
  temperature: number | null;
  /** null: draw among all tokens */
  topK: number | null;
  /** null: a random seed, which the job keeps */
  seed: number | null;
}

/** 10 s, or the model's maximum when that is shorter. */
export function defaultDuration(maxDurationSeconds: number | null): number {
  return maxDurationSeconds === null ? DEFAULT_DURATION_SECONDS : Math.min(DEFAULT_DURATION_SECONDS, maxDurationSeconds);
}

/** The duration asked for, within what the (newly) current model makes. */
export function fitDuration(durationSeconds: number | null, maxDurationSeconds: number | null): number {
  if (durationSeconds === null) return defaultDuration(maxDurationSeconds);
  return maxDurationSeconds === null ? durationSeconds : Math.min(durationSeconds, maxDurationSeconds);
}

export function defaultSettings(maxDurationSeconds: number | null): GenerationSettings {
  return { durationSeconds: defaultDuration(maxDurationSeconds), samples: 1, temperature: 1, topK: null, seed: null };
}

/** The job to create: settings left empty (null) take the API's defaults. */
export function generationInput(baseModelId: string, prompt: string, chosen: readonly ChosenAdapter[], settings: GenerationSettings): CreateGenerationJobInput {
  return { baseModelId, prompt: prompt.trim(), adapters: chosen.map(({ adapterId, weight }) => ({ adapterId, weight })), ...settings };
}

/** The API's messages about `adapters.<i>.<field>`, by the id of the adapter at that position. */
export function adapterFieldErrors(fieldErrors: Readonly<Record<string, string>>, chosen: readonly ChosenAdapter[]): Record<string, string> {
  const byAdapter: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const position = /^adapters\.(\d+)\./.exec(field)?.[1];
    const entry = position === undefined ? undefined : chosen[Number(position)];
    if (entry) byAdapter[entry.adapterId] = message;
  }
  return byAdapter;
}
