/**
 * The training parameters the dashboard knows: where each belongs, what it is called and what it
 * does. Keys follow the API's trainingConfig JSON; `aliases` are other names trainers write for the
 * same parameter (kohya metadata arrives as unetLearningRate, lrScheduler, ...).
 */
export type ParameterCategory = "Model" | "LoRA" | "Training" | "Hardware" | "Checkpointing" | "DPO";

export interface TrainingParameter {
  key: string;
  category: ParameterCategory;
  label: string;
  help: string;
  unit?: string;
  aliases?: string[];
  /** a reading of the value when the general one does not fit; null to fall back to it */
  format?: (value: unknown) => string | null;
}

/** [512, 768] -> "512 × 768 px"; a single number stays "512 px". */
function formatResolution(value: unknown): string | null {
  const isSize = Array.isArray(value) && value.length === 2 && value.every((side) => typeof side === "number");
  return isSize ? `${value[0]} × ${value[1]} px` : null;
}

export const PARAMETER_CATEGORIES: readonly ParameterCategory[] = ["Model", "LoRA", "Training", "Hardware", "Checkpointing", "DPO"];

/** Shown only when the configuration holds at least one of their parameters. */
const OPTIONAL_CATEGORIES: ReadonlySet<ParameterCategory> = new Set(["DPO"]);

export const TRAINING_PARAMETERS: readonly TrainingParameter[] = [
  { key: "baseModel", category: "Model", label: "Base model", help: "The model the adapter was trained on: a hub id, a checkpoint file or a version tag." },
  { key: "modelName", category: "Model", label: "Model name", help: "The name the trainer gave its output." },
  { key: "taskType", category: "Model", label: "Task type", help: "What the adapted model does, in PEFT's terms: CAUSAL_LM for text generation, SEQ_2_SEQ_LM, and so on." },
  { key: "clipSkip", category: "Model", label: "CLIP skip", help: "How many of the text encoder's last layers were skipped; 2 is usual for anime-style Stable Diffusion 1.5 models." },
  { key: "rank", category: "LoRA", label: "Rank (r)", help: "Inner size of the low-rank update: higher ranks capture more detail, with more parameters and a larger file." },
  { key: "alpha", category: "LoRA", label: "Alpha", help: "Scales the update: the adapter applies alpha / rank (alpha / √rank with rsLoRA) times its weight." },
  { key: "dropout", category: "LoRA", label: "Dropout", help: "Share of the LoRA inputs zeroed at random during training, to curb overfitting." },
  { key: "targetModules", category: "LoRA", label: "Target modules", help: "The layers that receive a LoRA update, such as q_proj and v_proj." },
  { key: "useRslora", category: "LoRA", label: "rsLoRA", help: "Rank-stabilised LoRA: scales by alpha / √rank so that high ranks train as stably as low ones." },
  { key: "bias", category: "LoRA", label: "Bias", help: "Which bias terms were trained with the LoRA weights: none, all, or lora_only." },
  { key: "networkModule", category: "LoRA", label: "Network module", help: "The kohya network implementation that trained it, such as networks.lora or lycoris.kohya." },
  { key: "learningRate", category: "Training", label: "Learning rate", help: "How large each optimizer step is, for every trained weight without a rate of its own." },
  { key: "unetLr", category: "Training", label: "UNet learning rate", help: "Learning rate of the UNet's LoRA weights; overrides the general learning rate.", aliases: ["unetLearningRate"] },
  { key: "textEncoderLr", category: "Training", label: "Text encoder learning rate", help: "Learning rate of the text encoder's LoRA weights; often lower than the UNet's.", aliases: ["textEncoderLearningRate"] },
  { key: "optimizer", category: "Training", label: "Optimizer", help: "The algorithm that updates the weights, such as AdamW, AdamW8bit or Prodigy." },
  { key: "scheduler", category: "Training", label: "LR scheduler", help: "How the learning rate changes during training: constant, cosine, linear and so on.", aliases: ["lrScheduler"] },
  { key: "warmupSteps", category: "Training", label: "Warmup", help: "Steps over which the learning rate rises from zero to its full value.", unit: "steps" },
  { key: "epochs", category: "Training", label: "Epochs", help: "Full passes over the training data." },
  { key: "maxSteps", category: "Training", label: "Max steps", help: "Training stops after this many optimizer steps.", unit: "steps" },
  { key: "batchSize", category: "Training", label: "Batch size", help: "Samples per optimizer step on each device." },
  { key: "gradientAccumulationSteps", category: "Training", label: "Gradient accumulation", help: "Batches summed before each optimizer step; the effective batch size is this times the batch size.", unit: "steps" },
  { key: "maxGradNorm", category: "Training", label: "Max gradient norm", help: "Gradients are clipped to this norm so that one bad batch cannot derail training." },
  { key: "noiseOffset", category: "Training", label: "Noise offset", help: "Extra noise in diffusion training that lets images reach darker darks and brighter lights." },
  { key: "resolution", category: "Training", label: "Resolution", help: "The image size the training data was resized or bucketed to.", unit: "px", format: formatResolution },
  { key: "seed", category: "Training", label: "Seed", help: "Random seed: the same seed, data and settings reproduce the same adapter." },
  { key: "mixedPrecision", category: "Hardware", label: "Mixed precision", help: "Number format of activations and gradients: fp16 or bf16 halve memory use, no keeps full fp32." },
  { key: "gradientCheckpointing", category: "Hardware", label: "Gradient checkpointing", help: "Recomputes activations in the backward pass: less memory, about 20–30 % slower." },
  { key: "saveEveryNEpochs", category: "Checkpointing", label: "Save every N epochs", help: "A checkpoint was written after this many epochs.", unit: "epochs" },
  { key: "saveEveryNSteps", category: "Checkpointing", label: "Save every N steps", help: "A checkpoint was written after this many steps.", unit: "steps" },
  { key: "beta", category: "DPO", label: "DPO beta", help: "Strength of the pull towards the reference model in Direct Preference Optimization; lower lets the adapter drift further." },
];

export const NOT_SET = "Not set";
const SMALL_NUMBER = 0.001;
const SIGNIFICANT_DIGITS = 6;

/** 0.0001 -> "1e-4", 0.5 -> "0.5", 3 -> "3": short, and exact enough to recognise a setting. */
export function formatParameterNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (Math.abs(value) < SMALL_NUMBER) return Number(value.toPrecision(4)).toExponential();
  return String(Number(value.toPrecision(SIGNIFICANT_DIGITS)));
}

function formatScalar(value: unknown): string {
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return formatParameterNumber(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A configuration value as people read it: Yes/No, 1e-4, comma-separated lists, "Not set" when missing. */
export function formatParameterValue(value: unknown, unit?: string): string {
  if (value === null || value === undefined || value === "") return NOT_SET;
  if (Array.isArray(value)) return value.length === 0 ? "None" : value.map(formatScalar).join(", ");
  const text = formatScalar(value);
  return unit && typeof value === "number" ? `${text} ${unit}` : text;
}

export interface ParameterRow {
  key: string;
  label: string;
  /** null for keys the catalogue does not know */
  help: string | null;
  value: string;
  isSet: boolean;
}

export interface ParameterGroup {
  category: ParameterCategory | "Other";
  rows: ParameterRow[];
}

/** "gradientAccumulationSteps" -> "Gradient accumulation steps", for keys the catalogue does not know. */
export function labelFromKey(key: string): string {
  const words = key.replace(/[_-]+/g, " ").replace(/([a-z\d])([A-Z])/g, "$1 $2").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function keysOf(parameter: TrainingParameter): string[] {
  return [parameter.key, ...(parameter.aliases ?? [])];
}

function rowFor(parameter: TrainingParameter, config: Record<string, unknown>): ParameterRow {
  const value = keysOf(parameter).map((key) => config[key]).find((candidate) => candidate !== undefined && candidate !== null);
  const isSet = value !== undefined && value !== "";
  const shown = (value != null ? parameter.format?.(value) : null) ?? formatParameterValue(value, parameter.unit);
  return { key: parameter.key, label: parameter.label, help: parameter.help, value: shown, isSet };
}

function otherRows(config: Record<string, unknown>): ParameterRow[] {
  const known = new Set(TRAINING_PARAMETERS.flatMap(keysOf));
  return Object.entries(config)
    .filter(([key]) => !known.has(key))
    .map(([key, value]) => ({ key, label: labelFromKey(key), help: null, value: formatParameterValue(value), isSet: value != null }));
}

/**
 * Every known parameter by category ("Not set" where the configuration lacks it), optional
 * categories only when used, then whatever else the configuration holds under "Other".
 */
export function trainingConfigGroups(config: Record<string, unknown>): ParameterGroup[] {
  const groups: ParameterGroup[] = PARAMETER_CATEGORIES.map((category) => ({
    category,
    rows: TRAINING_PARAMETERS.filter((parameter) => parameter.category === category).map((parameter) => rowFor(parameter, config)),
  })).filter((group) => !OPTIONAL_CATEGORIES.has(group.category as ParameterCategory) || group.rows.some((row) => row.isSet));
  const other = otherRows(config);
  return other.length > 0 ? [...groups, { category: "Other", rows: other }] : groups;
}
