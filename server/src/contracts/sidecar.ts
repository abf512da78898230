import { z } from "zod";
import { metricName, metricStep } from "./trainer.js";

/*
 * What the API and its sidecars say to each other over the API's GraphQL (DESIGN §6): the registration, the commands
 * pushed down the sidecarCommands subscription, and the reports sent by mutation, with the limits each report keeps.
 * The API validates what arrives; the sidecar sizes what it sends by the same limits and checks what it is told.
 */

/** A log chunk's text: under the API's 1 MB JSON body limit, with room for the JSON around it. */
export const MAX_LOG_CHUNK_CHARS = 256 * 1024;
export const MAX_LOG_CHUNKS_PER_REPORT = 1000;
export const MAX_METRIC_POINTS_PER_REPORT = 10_000;
/** a failed run's or job's error: the last lines of the trainer's stderr, or what went wrong */
export const MAX_ERROR_CHARS = 10_000;
export const LOG_STREAMS = ["STDOUT", "STDERR"] as const;

const id = z.string().trim().min(1).max(200);
const label = z.string().trim().min(1).max(100);
const reportTime = z.coerce
  .date()
  .nullish()
  .transform((value) => value ?? undefined);

// ---- registration ---------------------------------------------------------------------------

export const sidecarRegistration = z.object({
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
export const generationSlots = z.number().int().min(0, "generationSlots must be from 0 to 64").max(64, "generationSlots must be from 0 to 64");

// ---- commands -------------------------------------------------------------------------------

export const generationCommandAdapter = z.object({
  adapterId: id,
  name: z.string(),
  version: z.string(),
  weight: z.number(),
  /** used when the adapter has no adapter_config.json */
  alpha: z.number(),
  useRslora: z.boolean(),
  files: z.array(z.object({ name: z.string().min(1), role: z.string(), sha256: z.string(), sizeBytes: z.number().nonnegative(), url: z.string().min(1) })),
});
export type GenerationCommandAdapter = z.infer<typeof generationCommandAdapter>;

/** A generation job as a sidecar receives it: adapters by database id, with their names for its logs and their files' URLs. */
export const generationCommand = z.object({
  jobId: id,
  baseModelId: id,
  /** the prompt without its <lora:...> tags: what conditions the model */
  prompt: z.string(),
  meter: z.object({ beatsPerBar: z.number().int().positive(), stepsPerBeat: z.number().int().positive() }),
  maxSteps: z.number().int().positive(),
  samples: z.number().int().positive(),
  temperature: z.number().positive(),
  topK: z.number().int().positive().nullable(),
  seed: z.number().int().nonnegative(),
  adapters: z.array(generationCommandAdapter),
});
export type GenerationCommand = z.infer<typeof generationCommand>;

export const SIDECAR_COMMAND_KINDS = ["START_RUN", "CANCEL_RUN", "GENERATE"] as const;

/** GraphQL sends the fields a command does not use as null. */
export const sidecarCommand = z.object({
  kind: z.enum(SIDECAR_COMMAND_KINDS),
  /** START_RUN and CANCEL_RUN */
  runId: id.nullish(),
  trainer: z.string().nullish(),
  /** the trainer's config.json */
  config: z.record(z.string(), z.unknown()).nullish(),
  /** the dataset as JSONL, relative to the API */
  datasetUrl: z.string().nullish(),
  generation: generationCommand.nullish(),
});
export type SidecarCommand = z.infer<typeof sidecarCommand>;

// ---- reports --------------------------------------------------------------------------------

export const logChunkReport = z.object({
  /** 1, 2, 3, ... per run, so a retried report is stored once */
  seq: z.number().int().min(1),
  stream: z.enum(LOG_STREAMS),
  // PostgreSQL text cannot hold NUL; it becomes U+FFFD as undecodable bytes do.
  data: z
    .string()
    .min(1)
    .max(MAX_LOG_CHUNK_CHARS)
    .transform((data) => data.replaceAll("\u0000", "\uFFFD")),
  time: reportTime,
});

export const runLogsReport = z.object({ runId: id, chunks: z.array(logChunkReport).min(1).max(MAX_LOG_CHUNKS_PER_REPORT) });
export type RunLogsReport = z.infer<typeof runLogsReport>;

export const metricPointReport = z.object({ name: metricName, step: metricStep, value: z.number(), time: reportTime });

export const runMetricsReport = z.object({ runId: id, points: z.array(metricPointReport).min(1).max(MAX_METRIC_POINTS_PER_REPORT) });

export const finishRunReport = z.object({
  runId: id,
  exitCode: z
    .number()
    .int()
    .nullish()
    .transform((value) => value ?? null),
  signal: z.string().max(20).nullish(),
  /** the last stderr lines */
  error: z.string().max(MAX_ERROR_CHARS).nullish(),
});
export type FinishRunReport = z.infer<typeof finishRunReport>;

export const generationProgressReport = z.object({
  jobId: id,
  progress: z.number().min(0, "progress is a fraction from 0 to 1").max(1, "progress is a fraction from 0 to 1"),
});
