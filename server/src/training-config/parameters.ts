import { BUILTIN_TRAINER_BASE_MODELS } from "../config/trainers.js";
import { TrainerConfigSchema } from "../trainer/config.js";

/**
 * The training parameters LoRA Studio knows: where each belongs, what it is called, what it does
 * and which values it takes. Keys are those of an adapter's trainingConfig JSON, one per parameter:
 * format readers (formats/kohya.ts, formats/lora.ts) map what trainers write onto them.
 */
export const TRAINING_PARAMETER_CATEGORIES = ["MODEL", "LORA", "TRAINING", "HARDWARE", "CHECKPOINTING", "DPO"] as const;
export type TrainingParameterCategory = (typeof TRAINING_PARAMETER_CATEGORIES)[number];

/** SIZE is one number for a square or [width, height]. */
export const TRAINING_PARAMETER_VALUE_TYPES = ["NUMBER", "INTEGER", "BOOLEAN", "STRING", "STRING_LIST", "SIZE"] as const;
export type TrainingParameterValueType = (typeof TRAINING_PARAMETER_VALUE_TYPES)[number];

export interface TrainingParameter {
  key: string;
  category: TrainingParameterCategory;
  label: string;
  /** one line, for tooltips and form help */
  description: string;
  unit?: string;
  valueType: TrainingParameterValueType;
  /** the value a trainer of ours uses when none is given; absent where we do not train with it */
  default?: unknown;
  min?: number;
  max?: number;
}

/** The built-in trainer's defaults: the values a new experiment on a reference model starts from. */
const BUILTIN = TrainerConfigSchema.parse({ baseModel: BUILTIN_TRAINER_BASE_MODELS[0] });

/** Listed category by category, in TRAINING_PARAMETER_CATEGORIES order. */
export const TRAINING_PARAMETERS: readonly TrainingParameter[] = [
  { key: "baseModel", category: "MODEL", label: "Base model", valueType: "STRING", description: "The model the adapter was trained on: a hub id, a checkpoint file or a version tag." },
  { key: "modelName", category: "MODEL", label: "Model name", valueType: "STRING", description: "The name the trainer gave its output." },
  { key: "taskType", category: "MODEL", label: "Task type", valueType: "STRING", description: "What the adapted model does, in PEFT's terms: CAUSAL_LM for text generation, SEQ_2_SEQ_LM, and so on." },
  { key: "clipSkip", category: "MODEL", label: "CLIP skip", valueType: "INTEGER", description: "How many of the text encoder's last layers were skipped; 2 is usual for anime-style Stable Diffusion 1.5 models." },
  { key: "rank", category: "LORA", label: "Rank (r)", valueType: "INTEGER", description: "Inner size of the low-rank update: higher ranks capture more detail, with more parameters and a larger file.", default: BUILTIN.rank, min: 1, max: 64 },
  { key: "alpha", category: "LORA", label: "Alpha", valueType: "NUMBER", description: "Scales the update: the adapter applies alpha / rank (alpha / √rank with rsLoRA) times its weight.", default: BUILTIN.alpha, min: 0.01, max: 1024 },
  { key: "dropout", category: "LORA", label: "Dropout", valueType: "NUMBER", description: "Share of the LoRA inputs zeroed at random during training, to curb overfitting.", default: BUILTIN.dropout, min: 0, max: 0.5 },
  { key: "targetModules", category: "LORA", label: "Target modules", valueType: "STRING_LIST", description: "The layers that receive a LoRA update, such as q_proj and v_proj.", default: BUILTIN.targetModules },
  { key: "useRslora", category: "LORA", label: "rsLoRA", valueType: "BOOLEAN", description: "Rank-stabilised LoRA: scales by alpha / √rank so that high ranks train as stably as low ones.", default: BUILTIN.useRslora },
  { key: "bias", category: "LORA", label: "Bias", valueType: "STRING", description: "Which bias terms were trained with the LoRA weights: none, all, or lora_only." },
  { key: "networkModule", category: "LORA", label: "Network module", valueType: "STRING", description: "The kohya network implementation that trained it, such as networks.lora or lycoris.kohya." },
  { key: "learningRate", category: "TRAINING", label: "Learning rate", valueType: "NUMBER", description: "How large each optimizer step is, for every trained weight without a rate of its own.", default: BUILTIN.learningRate, min: 1e-7, max: 1 },
  { key: "unetLr", category: "TRAINING", label: "UNet learning rate", valueType: "NUMBER", description: "Learning rate of the UNet's LoRA weights; overrides the general learning rate." },
  { key: "textEncoderLr", category: "TRAINING", label: "Text encoder learning rate", valueType: "NUMBER", description: "Learning rate of the text encoder's LoRA weights; often lower than the UNet's." },
  { key: "optimizer", category: "TRAINING", label: "Optimizer", valueType: "STRING", description: "The algorithm that updates the weights, such as AdamW, AdamW8bit or Prodigy." },
  { key: "scheduler", category: "TRAINING", label: "LR scheduler", valueType: "STRING", description: "How the learning rate changes during training: constant, cosine, linear and so on.", default: BUILTIN.scheduler },
  { key: "warmupSteps", category: "TRAINING", label: "Warmup", valueType: "INTEGER", unit: "steps", description: "Steps over which the learning rate rises from zero to its full value.", default: BUILTIN.warmupSteps, min: 0, max: 100_000 },
  { key: "epochs", category: "TRAINING", label: "Epochs", valueType: "INTEGER", description: "Full passes over the training data.", default: BUILTIN.epochs, min: 1, max: 1000 },
  { key: "maxSteps", category: "TRAINING", label: "Max steps", valueType: "INTEGER", unit: "steps", description: "Training stops after this many optimizer steps.", min: 1, max: 10_000_000 },
  { key: "batchSize", category: "TRAINING", label: "Batch size", valueType: "INTEGER", description: "Samples per optimizer step on each device.", default: BUILTIN.batchSize, min: 1, max: 4096 },
  { key: "gradientAccumulationSteps", category: "TRAINING", label: "Gradient accumulation", valueType: "INTEGER", unit: "steps", description: "Batches summed before each optimizer step; the effective batch size is this times the batch size." },
  { key: "maxGradNorm", category: "TRAINING", label: "Max gradient norm", valueType: "NUMBER", description: "Gradients are clipped to this norm so that one bad batch cannot derail training.", default: BUILTIN.maxGradNorm, min: 0.001, max: 1000 },
  { key: "weightDecay", category: "TRAINING", label: "Weight decay", valueType: "NUMBER", description: "AdamW's decoupled weight decay: pulls the trained weights towards zero each step.", default: BUILTIN.weightDecay, min: 0, max: 1 },
  { key: "evalEvery", category: "TRAINING", label: "Evaluate every", valueType: "INTEGER", unit: "steps", description: "Steps between evaluations of the held-out loss and the sampled melodies' score.", default: BUILTIN.evalEvery, min: 1, max: 1_000_000 },
  { key: "noiseOffset", category: "TRAINING", label: "Noise offset", valueType: "NUMBER", description: "Extra noise in diffusion training that lets images reach darker darks and brighter lights." },
  { key: "resolution", category: "TRAINING", label: "Resolution", valueType: "SIZE", unit: "px", description: "The image size the training data was resized or bucketed to." },
  { key: "seed", category: "TRAINING", label: "Seed", valueType: "INTEGER", description: "Random seed: the same seed, data and settings reproduce the same adapter.", default: BUILTIN.seed, min: 0, max: 2_147_483_647 },
  { key: "mixedPrecision", category: "HARDWARE", label: "Mixed precision", valueType: "STRING", description: "Number format of activations and gradients: fp16 or bf16 halve memory use, no keeps full fp32." },
  { key: "gradientCheckpointing", category: "HARDWARE", label: "Gradient checkpointing", valueType: "BOOLEAN", description: "Recomputes activations in the backward pass: less memory, about 20–30 % slower." },
  { key: "saveEveryNEpochs", category: "CHECKPOINTING", label: "Save every N epochs", valueType: "INTEGER", unit: "epochs", description: "A checkpoint was written after this many epochs." },
  { key: "saveEveryNSteps", category: "CHECKPOINTING", label: "Save every N steps", valueType: "INTEGER", unit: "steps", description: "A checkpoint was written after this many steps." },
  { key: "beta", category: "DPO", label: "DPO beta", valueType: "NUMBER", description: "Strength of the pull towards the reference model in Direct Preference Optimization; lower lets the adapter drift further." },
];
