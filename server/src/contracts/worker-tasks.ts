import { z } from "zod";
import { sampledMelodySchema } from "./melody.js";

/*
 * The API's worker pool (server/src/workers): the tasks it runs and what they answer, validated on both sides of the
 * thread boundary, and the shapes formats/architecture.ts works with.
 */

/** Sizes every module matching `module` has in an architecture (formats/architecture.ts). */
const shapeRule = z.object({
  module: z.string(),
  in: z.number().int().positive().optional(),
  out: z.number().int().positive().optional(),
  /** output = outPerIn × input, as in a fused q/k/v projection */
  outPerIn: z.number().positive().optional(),
  /** the rule in words, for messages: "cross-attention keys take 768-wide text embeddings" */
  description: z.string(),
});
export type ShapeRule = z.infer<typeof shapeRule>;

const architectureFingerprint = z.object({
  id: z.string().min(1),
  /** what its LoRAs are called in messages: "GPT-2" */
  label: z.string().min(1),
  /** regular expressions over normalised module names; at least one must match every module of this architecture */
  modules: z.array(z.string()),
  shapes: z.array(shapeRule).optional(),
  /** the exact layers of a built-in model: every module must be one of them, with these sizes */
  layers: z.record(z.string(), z.object({ in: z.number().int().positive(), out: z.number().int().positive() })).optional(),
});
export type ArchitectureFingerprint = z.infer<typeof architectureFingerprint>;

/** How a file's modules fit one fingerprint: how many it claims (by name) and the first size that breaks it. */
const architectureFit = z.object({
  id: z.string(),
  claimed: z.number().int().nonnegative(),
  /** a few short names of claimed modules, for messages */
  examples: z.array(z.string()),
  contradiction: z.string().nullable(),
});
export type ArchitectureFit = z.infer<typeof architectureFit>;

/** A file's fits to every known fingerprint; `modules` is 0 when nothing about its modules is known. */
const architectureReport = z.object({ modules: z.number().int().nonnegative(), fits: z.array(architectureFit) });
export type ArchitectureReport = z.infer<typeof architectureReport>;

export const inspectAdapterTask = z.object({
  kind: z.literal("inspectAdapter"),
  weightsPath: z.string().min(1),
  peftConfigPath: z.string().min(1).optional(),
  /** the architectures the file's modules are fitted to (formats/architecture.ts) */
  fingerprints: z.array(architectureFingerprint).default([]),
});
export type InspectAdapterTask = z.infer<typeof inspectAdapterTask>;
export type InspectAdapterTaskInput = z.input<typeof inspectAdapterTask>;

export const hashFileTask = z.object({ kind: z.literal("hashFile"), path: z.string().min(1) });

const float64Array = z.instanceof(Float64Array);

/** A plain loop: this runs on both sides of every large downsample task, 100,000 steps at a time. */
function firstUnorderedStep(steps: Float64Array): number {
  for (let i = 0; i < steps.length; i++) {
    if (!Number.isFinite(steps[i]!) || (i > 0 && steps[i]! < steps[i - 1]!)) return i;
  }
  return -1;
}

/**
 * One training metric (loss, learning rate, ...) as parallel arrays: point i is logged at
 * `steps[i]` (ascending; repeated steps are allowed), `times[i]` (epoch ms) with `values[i]`.
 */
export const metricSeries = z
  .object({ steps: float64Array, values: float64Array, times: float64Array })
  .superRefine(({ steps, values, times }, ctx) => {
    if (values.length !== steps.length || times.length !== steps.length) {
      ctx.addIssue({ code: "custom", message: `a metric series needs one value and one time per step: got ${steps.length} steps, ${values.length} values, ${times.length} times` });
      return;
    }
    const unordered = firstUnorderedStep(steps);
    if (unordered >= 0) ctx.addIssue({ code: "custom", path: ["steps"], message: `steps must be finite and ascending: step ${steps[unordered]} at index ${unordered} is not` });
  });
export type MetricSeries = z.infer<typeof metricSeries>;

/** The series is moved to the worker by transfer list, not copied: see transfer.ts. */
export const downsampleTask = z.object({ kind: z.literal("downsample"), series: metricSeries, maxPoints: z.number().int().min(2) });

/** A LoRA's weight-space signature (formats/lora-projection.ts), read from its safetensors weights. */
export const adapterSignatureTask = z.object({
  kind: z.literal("adapterSignature"),
  weightsPath: z.string().min(1),
  /** the adapter's lora_alpha; kohya's per-module `.alpha` tensors take precedence */
  alpha: z.number().positive(),
  useRslora: z.boolean(),
});
export type AdapterSignatureTask = z.infer<typeof adapterSignatureTask>;

/** A generated melody's WAV (ml/synth.ts, formats/wav.ts) and MIDI (formats/midi-file.ts), written where the task says. */
export const renderSampleTask = z.object({
  kind: z.literal("renderSample"),
  melody: sampledMelodySchema,
  sampleRate: z.number().int(),
  /** the MIDI track's name */
  trackName: z.string(),
  audioPath: z.string().min(1),
  midiPath: z.string().min(1),
});
export type RenderSampleTask = z.infer<typeof renderSampleTask>;

/** A MIDI file's melody (formats/midi-file.ts decodeMelodyMidi); `bytes` are moved to the worker, not copied. */
export const midiMelodyTask = z.object({
  kind: z.literal("midiMelody"),
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, "expected a Uint8Array"),
  maxFileNotes: z.number().int().positive(),
  maxMelodyNotes: z.number().int().positive(),
});
export type MidiMelodyTask = z.infer<typeof midiMelodyTask>;

export const workerTask = z.discriminatedUnion("kind", [inspectAdapterTask, hashFileTask, downsampleTask, adapterSignatureTask, renderSampleTask, midiMelodyTask]);
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
      architecture: architectureReport,
    }),
  }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type InspectAdapterResult = z.infer<typeof inspectAdapterResult>;

/** Why stored weights give no signature: the API records it against the adapter. */
export const signatureFailureCode = z.enum(["NO_LORA_MODULES", "TENSOR_TOO_LARGE", "UNREADABLE_WEIGHTS"]);

/** `projection` is moved back from the worker, not copied. */
export const adapterSignatureResult = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), projection: z.custom<Float32Array>((value) => value instanceof Float32Array, "expected a Float32Array"), modules: z.array(z.string()).min(1) }),
  z.object({ ok: z.literal(false), code: signatureFailureCode, message: z.string() }),
]);
export type AdapterSignatureResult = z.infer<typeof adapterSignatureResult>;

/** A failed write comes back as its errno code and message: an error thrown in a worker loses its `code` on the way. */
export const renderSampleResult = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type RenderSampleResult = z.infer<typeof renderSampleResult>;

const wholeNumber = z.number().int().nonnegative();

/** A damaged file, or one past the task's limits, comes back as its reason. */
export const midiMelodyResult = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    notes: z.array(z.object({ pitch: wholeNumber, start: wholeNumber, duration: wholeNumber })),
    meter: z.object({ beatsPerBar: wholeNumber, stepsPerBeat: wholeNumber }),
    trackName: z.string().nullable(),
  }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type MidiMelodyResult = z.infer<typeof midiMelodyResult>;
