import { isJsonObject, withoutMissing } from "./json.js";

const KOHYA_PREFIX = "ss_";
const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_PATTERN = /^[+-]?\d+$/;
const RESOLUTION_PATTERN = /^[([]?\s*(\d+)\s*(?:,\s*(\d+)\s*)?[)\]]?$/;

/** Training facts that kohya's sd-scripts record as `ss_*` strings in safetensors metadata. */
export interface KohyaMetadata {
  baseModelVersion: string | null;
  sdModelName: string | null;
  networkDim: number | null;
  networkAlpha: number | null;
  networkModule: string | null;
  networkArgs: Record<string, unknown> | null;
  trainingComment: string | null;
  outputName: string | null;
  learningRate: number | null;
  unetLr: number | null;
  textEncoderLr: number | null;
  epochs: number | null;
  steps: number | null;
  /** [width, height] */
  resolution: [number, number] | null;
  mixedPrecision: string | null;
  optimizer: string | null;
  seed: number | null;
  /** Dataset folder → tag → count. */
  tagFrequency: Record<string, Record<string, number>> | null;
  /** Every `ss_*` key, decoded. */
  all: Record<string, unknown>;
}

export function decodeKohyaMetadata(metadata: Record<string, string>): KohyaMetadata {
  const all = Object.fromEntries(
    Object.entries(metadata)
      .filter(([key]) => key.startsWith(KOHYA_PREFIX))
      .map(([key, value]) => [key, decodeKohyaValue(value)]),
  );
  const text = (key: string): string | null => textValue(metadata[key]);
  const number = (key: string): number | null => numberValue(all[key]);
  return {
    baseModelVersion: text("ss_base_model_version"),
    sdModelName: text("ss_sd_model_name"),
    networkDim: number("ss_network_dim"),
    networkAlpha: number("ss_network_alpha"),
    networkModule: text("ss_network_module"),
    networkArgs: objectValue(all["ss_network_args"]),
    trainingComment: text("ss_training_comment"),
    outputName: text("ss_output_name"),
    learningRate: number("ss_learning_rate"),
    unetLr: number("ss_unet_lr"),
    textEncoderLr: number("ss_text_encoder_lr"),
    epochs: number("ss_num_epochs"),
    steps: number("ss_max_train_steps") ?? number("ss_steps"),
    resolution: resolutionValue(metadata["ss_resolution"]),
    mixedPrecision: text("ss_mixed_precision"),
    optimizer: text("ss_optimizer"),
    seed: number("ss_seed"),
    tagFrequency: tagFrequencyValue(all["ss_tag_frequency"]),
    all,
  };
}

/** Maps kohya training facts onto our training-config keys, leaving out what the file does not say. */
export function kohyaTrainingConfig(meta: KohyaMetadata): Record<string, unknown> {
  const number = (key: string): number | null => numberValue(meta.all[key]);
  const text = (key: string): string | null => {
    const value = meta.all[key];
    return typeof value === "string" && value !== "" ? value : null;
  };
  return withoutMissing({
    baseModel: meta.baseModelVersion ?? meta.sdModelName,
    rank: meta.networkDim,
    alpha: meta.networkAlpha,
    dropout: number("ss_network_dropout"),
    networkModule: meta.networkModule,
    learningRate: meta.learningRate,
    unetLr: meta.unetLr,
    textEncoderLr: meta.textEncoderLr,
    scheduler: text("ss_lr_scheduler"),
    warmupSteps: number("ss_lr_warmup_steps"),
    optimizer: meta.optimizer,
    epochs: meta.epochs,
    maxSteps: meta.steps,
    batchSize: number("ss_batch_size_per_device"),
    gradientAccumulationSteps: number("ss_gradient_accumulation_steps"),
    maxGradNorm: number("ss_max_grad_norm"),
    seed: meta.seed,
    mixedPrecision: meta.mixedPrecision,
    resolution: meta.resolution,
    clipSkip: number("ss_clip_skip"),
    noiseOffset: number("ss_noise_offset"),
  });
}

export interface TagCount {
  tag: string;
  count: number;
}

/** The captions' tags over every dataset folder, most frequent first (ties by tag), as trigger-word candidates. */
export function rankedTags(tagFrequency: Record<string, Record<string, number>>): TagCount[] {
  const totals = new Map<string, number>();
  for (const tags of Object.values(tagFrequency)) {
    for (const [rawTag, count] of Object.entries(tags)) {
      const tag = rawTag.trim();
      if (tag !== "" && Number.isFinite(count) && count > 0) totals.set(tag, (totals.get(tag) ?? 0) + count);
    }
  }
  return [...totals]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

/** kohya writes every value with Python's str(): "None", "True", numbers, and JSON for dicts. */
function decodeKohyaValue(raw: string): unknown {
  if (raw === "None") return null;
  if (raw === "True") return true;
  if (raw === "False") return false;
  if (NUMBER_PATTERN.test(raw)) return decodeNumber(raw);
  if (/^\s*[[{]/.test(raw)) return decodeJsonOrKeep(raw);
  return raw;
}

/** Keeps the text when a number would lose digits (e.g. 64-bit seeds) or overflow. */
function decodeNumber(raw: string): number | string {
  const value = Number(raw);
  if (!Number.isFinite(value)) return raw;
  if (INTEGER_PATTERN.test(raw) && !Number.isSafeInteger(value)) return raw;
  return value;
}

function decodeJsonOrKeep(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function textValue(raw: string | undefined): string | null {
  return raw === undefined || raw === "" || raw === "None" ? null : raw;
}

function numberValue(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

function objectValue(value: unknown): Record<string, unknown> | null {
  return isJsonObject(value) ? value : null;
}

function resolutionValue(raw: string | undefined): [number, number] | null {
  const match = raw === undefined ? null : RESOLUTION_PATTERN.exec(raw.trim());
  if (!match?.[1]) return null;
  const width = Number(match[1]);
  const height = match[2] === undefined ? width : Number(match[2]);
  return Number.isSafeInteger(width) && Number.isSafeInteger(height) ? [width, height] : null;
}

function tagFrequencyValue(value: unknown): Record<string, Record<string, number>> | null {
  if (!isJsonObject(value)) return null;
  const wellFormed = Object.values(value).every(
    (tags) => isJsonObject(tags) && Object.values(tags).every((count) => typeof count === "number"),
  );
  return wellFormed ? (value as Record<string, Record<string, number>>) : null;
}
