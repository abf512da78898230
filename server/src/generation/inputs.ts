import { z } from "zod";
import { MAX_ERROR_CHARS } from "../contracts/sidecar.js";
import { sampledMelodySchema } from "../contracts/melody.js";
import { VOCAB_SIZE } from "../ml/melody.js";
import { MAX_PROMPT_CHARS } from "../prompts/inputs.js";

export const MAX_ADAPTERS = 5;
export const MIN_WEIGHT = 0;
export const MAX_WEIGHT = 2;
export const MAX_SAMPLES = 8;
export const MIN_TEMPERATURE = 0.05;
export const MAX_TEMPERATURE = 5;
/** the duration of a job that names none, when the base model allows it */
export const DEFAULT_DURATION_SECONDS = 10;
/** the largest job seed: sample i is drawn with seed + i, and every sample's seed fits a GraphQL Int */
export const MAX_SEED = 2 ** 31 - MAX_SAMPLES;
export const recordId = z.string().trim().min(1).max(200);

const dimension = (what: string) =>
  z.number().int(`${what} must be a whole number`).min(64, `${what} must be 64–2048`).max(2048, `${what} must be 64–2048`)
    .refine((n) => n % 8 === 0, `${what} must be a multiple of 8`);

/** An image generation's settings as AUTOMATIC1111 names them, each optional (the backend's defaults fill in the rest). */
export const imageSettingFields = {
  negativePrompt: z.string().max(MAX_PROMPT_CHARS, `the negative prompt must be at most ${MAX_PROMPT_CHARS} characters`).nullish(),
  steps: z.number().int("steps must be a whole number").min(1, "steps must be 1–150").max(150, "steps must be 1–150").nullish(),
  cfgScale: z.number().min(1, "cfgScale must be 1–30").max(30, "cfgScale must be 1–30").nullish(),
  sampler: z.string().trim().min(1).max(100).regex(/^[\w +.()-]+$/, "sampler: a sampler name like 'Euler a' or 'DPM++ 2M Karras'").nullish(),
  width: dimension("width").nullish(),
  height: dimension("height").nullish(),
};
export const IMAGE_SETTINGS = ["negativePrompt", "steps", "cfgScale", "sampler", "width", "height"] as const;
/** What only a melody model's jobs take. */
export const MELODY_SETTINGS = ["durationSeconds", "temperature", "topK"] as const;

/** how strongly an adapter is applied */
export const adapterWeight = z
  .number()
  .refine(Number.isFinite, "weight must be a finite number")
  .refine((weight) => weight >= MIN_WEIGHT && weight <= MAX_WEIGHT, `weight must be between ${MIN_WEIGHT.toFixed(1)} and ${MAX_WEIGHT.toFixed(1)}`);
export const jobSeed = z.number().int().min(0, `seed must be between 0 and ${MAX_SEED}`).max(MAX_SEED, `seed must be between 0 and ${MAX_SEED}`);

export const createGenerationJobInput = z.object({
  prompt: z.string().trim().min(1, "prompt must not be empty").max(2000, "prompt must be at most 2000 characters"),
  baseModelId: recordId,
  adapters: z
    .array(
      z.object({
        adapterId: recordId,
        weight: adapterWeight,
      }),
    )
    .max(MAX_ADAPTERS, `at most ${MAX_ADAPTERS} adapters per generation; remove some`)
    .nullish()
    .transform((adapters) => adapters ?? [])
    .superRefine((adapters, ctx) => {
      const seen = new Set<string>();
      adapters.forEach(({ adapterId }, index) => {
        if (seen.has(adapterId)) ctx.addIssue({ code: "custom", path: [index, "adapterId"], message: `adapter ${adapterId} is listed twice; give it once with the weight you want` });
        seen.add(adapterId);
      });
    }),
  durationSeconds: z.number().positive("durationSeconds must be positive").nullish(),
  samples: z.number().int().min(1, "samples must be between 1 and 8").max(MAX_SAMPLES, `samples must be between 1 and ${MAX_SAMPLES}`).nullish().transform((n) => n ?? 1),
  temperature: z
    .number()
    .min(MIN_TEMPERATURE, `temperature must be between ${MIN_TEMPERATURE} and ${MAX_TEMPERATURE}`)
    .max(MAX_TEMPERATURE, `temperature must be between ${MIN_TEMPERATURE} and ${MAX_TEMPERATURE}`)
    .nullish(),
  topK: z.number().int().min(1, `topK must be between 1 and ${VOCAB_SIZE}`).max(VOCAB_SIZE, `topK must be between 1 and ${VOCAB_SIZE}`).nullish(),
  seed: jobSeed.nullish(),
  ...imageSettingFields,
});
export type CreateGenerationJobInput = z.infer<typeof createGenerationJobInput>;

const jobSize = { samples: z.number().int(), seed: z.number().int() };

/** What a melody job was asked for, as GenerationJob.params holds it. */
export const melodyParams = z.object({ ...jobSize, durationSeconds: z.number(), temperature: z.number(), topK: z.number().int().nullable() });
export type MelodyParams = z.infer<typeof melodyParams>;

/** What an image job was asked for, the backend's defaults filled in. */
export const imageParams = z.object({
  ...jobSize,
  negativePrompt: z.string(),
  steps: z.number().int(),
  sampler: z.string(),
  cfgScale: z.number(),
  width: z.number().int(),
  height: z.number().int(),
});
export type ImageParams = z.infer<typeof imageParams>;

export const generationParams = z.union([imageParams, melodyParams]);
export type GenerationParams = z.infer<typeof generationParams>;

export const isImageParams = (params: GenerationParams): params is ImageParams => "steps" in params;

export const GENERATION_STATUSES = ["QUEUED", "RUNNING", "DONE", "FAILED"] as const;

export interface GenerationJobFilter {
  status?: (typeof GENERATION_STATUSES)[number] | null;
  baseModelId?: string | null;
  adapterId?: string | null;
  /** words the prompt contains, in any case */
  promptContains?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

export const finishGenerationInput = z
  .object({
    jobId: recordId,
    melodies: z.array(sampledMelodySchema).max(MAX_SAMPLES).nullish(),
    error: z.string().min(1).max(MAX_ERROR_CHARS).nullish(),
  })
  .refine((input) => (input.melodies == null) !== (input.error == null), "give either the melodies or the error");

/** the id a browser keeps for itself when no API key names the rater: a UUID or similar token */
export const raterIdInput = z.string().trim().regex(/^[\w-]{8,100}$/, "raterId must be 8 to 100 letters, digits, '-' or '_' (the dashboard sends a UUID)");

export const rateSampleInput = z.object({
  sampleId: recordId,
  score: z.number().int("score must be a whole number of stars").min(1, "score must be from 1 to 5 stars").max(5, "score must be from 1 to 5 stars"),
  raterId: raterIdInput.nullish(),
});
