import { z } from "zod";

/** The contract between the API and its worker pool, validated on both sides. */
export const inspectAdapterTask = z.object({
  kind: z.literal("inspectAdapter"),
  weightsPath: z.string().min(1),
  peftConfigPath: z.string().min(1).optional(),
});

export const hashFileTask = z.object({ kind: z.literal("hashFile"), path: z.string().min(1) });

export const workerTask = z.discriminatedUnion("kind", [inspectAdapterTask, hashFileTask]);
export type WorkerTask = z.infer<typeof workerTask>;

export const fileDigest = z.object({ sizeBytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type FileDigest = z.infer<typeof fileDigest>;

export const inspectAdapterResult = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    weights: fileDigest,
    peftConfig: fileDigest.extend({ text: z.string() }).nullable(),
    lora: z.object({
      format: z.enum(["PEFT", "KOHYA", "SAFETENSORS"]),
      rank: z.number().int().positive(),
      alpha: z.number(),
      useRslora: z.boolean(),
      targetModules: z.array(z.string()),
      tensorCount: z.number().int().nonnegative(),
      baseModelName: z.string().nullable(),
      metadata: z.record(z.string(), z.string()),
      trainingConfig: z.record(z.string(), z.unknown()).nullable(),
      warnings: z.array(z.string()),
    }),
  }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type InspectAdapterResult = z.infer<typeof inspectAdapterResult>;
