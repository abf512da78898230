import { z } from "zod";

const runId = z.string().trim().min(1).max(200);
const time = z.coerce.date().nullish().transform((value) => value ?? undefined);
/** under the API's 1 MB JSON body limit, with room for the JSON around it */
export const MAX_LOG_CHUNK_CHARS = 256 * 1024;

export const logChunksInput = z.object({
  runId,
  chunks: z
    .array(
      z.object({
        seq: z.number().int().min(1),
        stream: z.enum(["STDOUT", "STDERR"]),
        // PostgreSQL text cannot hold NUL; it becomes U+FFFD as undecodable bytes do.
        data: z.string().min(1).max(MAX_LOG_CHUNK_CHARS).transform((data) => data.replaceAll("\u0000", "\uFFFD")),
        time,
      }),
    )
    .min(1)
    .max(1000),
});

export const METRIC_NAME = /^[A-Za-z][\w./-]{0,99}$/;

export const metricPointsInput = z.object({
  runId,
  points: z
    .array(
      z.object({
        name: z.string().regex(METRIC_NAME, "metric names start with a letter and hold letters, digits and _ . / - (at most 100)"),
        step: z.number().int().min(0).max(2_000_000_000),
        value: z.number(),
        time,
      }),
    )
    .min(1)
    .max(10_000),
});

export const finishRunInput = z.object({
  runId,
  exitCode: z.number().int().nullish().transform((value) => value ?? null),
  signal: z.string().max(20).nullish(),
  /** the last stderr lines */
  error: z.string().max(10_000).nullish(),
});
export type FinishRunInput = z.infer<typeof finishRunInput>;

export const metricsQueryInput = z
  .object({
    names: z.array(z.string().max(100)).max(50).nullish(),
    maxPoints: z.number().int().min(2, "maxPoints must be at least 2").max(10_000, "maxPoints must be at most 10000").default(1000),
    fromStep: z.number().int().nullish(),
    toStep: z.number().int().nullish(),
  })
  .refine((args) => args.fromStep == null || args.toStep == null || args.fromStep <= args.toStep, { message: "fromStep must not exceed toStep", path: ["fromStep"] });
