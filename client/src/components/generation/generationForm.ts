/** The Generate form: its bounds, what it sends, and where the API's messages about it belong. */
import type { CreateGenerationJobInput } from "../../gql/graphql";
import type { ChosenAdapter } from "./adapterSelection";

export const MAX_SAMPLES = 8;
export const MIN_TEMPERATURE = 0.05;
export const MAX_TEMPERATURE = 5;
export const MIN_DURATION_SECONDS = 1;
export const DURATION_STEP_SECONDS = 0.5;
const DEFAULT_DURATION_SECONDS = 10;

/** AUTOMATIC1111's own samplers, offered in the sampler field; any other name a backend knows may be typed. */
export const A1111_SAMPLERS = ["DPM++ 2M", "DPM++ 2M Karras", "DPM++ SDE", "DPM++ 2M SDE", "Euler a", "Euler", "LMS", "Heun", "DDIM", "UniPC"];
export const MIN_IMAGE_SIDE = 64;
export const MAX_IMAGE_SIDE = 2048;
export const IMAGE_SIDE_STEP = 8;

/** What a melody model's job takes. */
interface MelodySettings {
  durationSeconds: number | null;
  temperature: number | null;
  /** null: draw among all tokens */
  topK: number | null;
}

/** What an image backend's job takes, as AUTOMATIC1111 names it; null: the backend's default. */
interface ImageSettings {
  negativePrompt: string;
  steps: number | null;
  sampler: string | null;
  cfgScale: number | null;
  width: number | null;
  height: number | null;
}

/** The form's settings for either kind of model: each job sends only its own kind's besides these two. */
export interface GenerationSettings extends MelodySettings, ImageSettings {
  samples: number | null;
  /** null: a random seed, which the job keeps */
  seed: number | null;
}

/** Melodies from our sidecar, or images from a GENERATION_BACKENDS entry. */
export type GenerationKind = "AUDIO" | "IMAGE";

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
  return {
    durationSeconds: defaultDuration(maxDurationSeconds),
    samples: 1,
    temperature: 1,
    topK: null,
    seed: null,
    negativePrompt: "",
    steps: null,
    sampler: null,
    cfgScale: null,
    width: null,
    height: null,
  };
}

/** The job to create, with the settings of its kind only (the API refuses the other's): those left empty (null) take the API's defaults. */
export function generationInput(
  baseModelId: string,
  prompt: string,
  chosen: readonly ChosenAdapter[],
  settings: GenerationSettings,
  kind: GenerationKind,
): CreateGenerationJobInput {
  const { durationSeconds, temperature, topK, negativePrompt, steps, sampler, cfgScale, width, height, ...shared } = settings;
  const own = kind === "IMAGE" ? { negativePrompt: negativePrompt.trim(), steps, sampler, cfgScale, width, height } : { durationSeconds, temperature, topK };
  return { baseModelId, prompt: prompt.trim(), adapters: chosen.map(({ adapterId, weight }) => ({ adapterId, weight })), ...shared, ...own };
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
