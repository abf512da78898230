/*
 * Trains the base weights of the tunes reference models (DESIGN.md §7) on melodies of the project's own generator and writes
 * server/models/<id>.safetensors and server/models/<id>.json (the manifest). Deterministic: a second run writes the same bytes.
 *   npm run train:base
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeSafetensors, float32Bytes } from "../src/formats/safetensors.js";
import { PROMPT_BUCKETS, VOCAB_SIZE, VOCABULARY } from "../src/ml/melody.js";
import { initModel, inputSize, modelSpec, type ModelSpec } from "../src/ml/model.js";
import { createRandom } from "../src/ml/random.js";
import { generateExamples, STYLES } from "../src/ml/styles.js";
import { ADAMW_MOMENTS, createBaseTrainer, makeBatch, meanLoss, trainBaseStep, trainingPairs, type OptimizerOptions, type TrainingPair } from "../src/ml/train.js";
import { modelTensors } from "../src/ml/weights.js";

const SERVER_DIR = fileURLToPath(new URL("..", import.meta.url));
const MODELS_DIR = join(SERVER_DIR, "models");
const CREATED_BY = "server/scripts/train-base-models.ts";

const EXAMPLES_PER_STYLE = 200;
const HELD_OUT_PER_STYLE = 20;
/** Training-set losses are reported on every TRAIN_LOSS_STRIDE-th pair. */
const TRAIN_LOSS_STRIDE = 10;
const PROGRESS_EVERY = 250;

interface Preset {
  id: string;
  displayName: string;
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
}

/** Sized for a CPU budget: both models train in about two minutes on one core. */
const PRESETS: readonly Preset[] = [
  { id: "tunes-s", displayName: "Tunes S", seed: 20_241, steps: 3000, batchSize: 64, learningRate: 3e-3 },
  { id: "tunes-m", displayName: "Tunes M", seed: 20_242, steps: 3000, batchSize: 64, learningRate: 3e-3 },
];

function optimizerOptions(preset: Preset): OptimizerOptions {
  return {
    learningRate: preset.learningRate,
    warmupSteps: Math.round(preset.steps * 0.05),
    totalSteps: preset.steps,
    schedule: "cosine",
    ...ADAMW_MOMENTS,
    weightDecay: 0.01,
    maxGradNorm: 1,
  };
}

/** Every style's examples, each style from its own seed (seed + the style's index). */
function styleSet(spec: ModelSpec, perStyle: number, seed: number): TrainingPair[] {
  return trainingPairs(
    STYLES.flatMap((style, index) => generateExamples(style.id, perStyle, seed + index)),
    spec.contextTokens,
  );
}

function round(value: number): number {
  return Number(value.toFixed(6));
}

function trainPreset(preset: Preset): void {
  const spec = modelSpec(preset.id);
  const options = optimizerOptions(preset);
  const trainingSeed = preset.seed;
  const heldOutSeed = preset.seed + 1000;
  const trainingSet = styleSet(spec, EXAMPLES_PER_STYLE, trainingSeed);
  const heldOut = styleSet(spec, HELD_OUT_PER_STYLE, heldOutSeed);
  const trainProbe = trainingSet.filter((_, index) => index % TRAIN_LOSS_STRIDE === 0);

  const model = initModel(spec, createRandom(preset.seed));
  const initialHeldOutLoss = meanLoss(model, heldOut);
  const trainer = createBaseTrainer(model, options);
  const batchRandom = createRandom(preset.seed + 1);
  console.log(`${preset.id}: ${trainingSet.length} training pairs, ${heldOut.length} held out; held-out loss before training ${initialHeldOutLoss.toFixed(4)}`);
  const started = performance.now();
  let recent = 0;
  for (let step = 1; step <= preset.steps; step += 1) {
    const pairs = Array.from({ length: preset.batchSize }, () => batchRandom.pick(trainingSet));
    recent += trainBaseStep(trainer, makeBatch(spec, pairs)).loss;
    if (step % PROGRESS_EVERY === 0) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${preset.id}: step ${step}/${preset.steps}, mean batch loss ${(recent / PROGRESS_EVERY).toFixed(4)}, ${seconds} s`);
      recent = 0;
    }
  }
  const trainLoss = meanLoss(model, trainProbe);
  const heldOutLoss = meanLoss(model, heldOut);
  console.log(`${preset.id}: train loss ${trainLoss.toFixed(4)}, held-out loss ${heldOutLoss.toFixed(4)}`);

  const tensors = modelTensors(model).map(({ name, shape, data }) => ({ name, shape, dtype: "F32", data: float32Bytes(data) }));
  const file = encodeSafetensors(tensors, { format: "pt", model: preset.id, seed: String(preset.seed), created_by: CREATED_BY });
  const weightsPath = join(MODELS_DIR, `${preset.id}.safetensors`);
  writeFileSync(weightsPath, file);
  const manifest = {
    id: preset.id,
    displayName: preset.displayName,
    weights: { file: `${preset.id}.safetensors`, bytes: file.length, sha256: createHash("sha256").update(file).digest("hex") },
    spec: {
      contextTokens: spec.contextTokens,
      hidden1: spec.hidden1,
      hidden2: spec.hidden2,
      inputSize: inputSize(spec),
      vocabSize: VOCAB_SIZE,
      promptBuckets: PROMPT_BUCKETS,
    },
    vocabulary: VOCABULARY,
    promptBuckets: PROMPT_BUCKETS,
    seed: preset.seed,
    data: {
      styles: STYLES.map((style) => style.id),
      examplesPerStyle: EXAMPLES_PER_STYLE,
      trainingSeed,
      trainingPairs: trainingSet.length,
      heldOutPerStyle: HELD_OUT_PER_STYLE,
      heldOutSeed,
      heldOutPairs: heldOut.length,
    },
    training: { steps: preset.steps, batchSize: preset.batchSize, ...options },
    losses: { initialHeldOut: round(initialHeldOutLoss), train: round(trainLoss), heldOut: round(heldOutLoss) },
    createdBy: CREATED_BY,
  };
  const manifestPath = join(MODELS_DIR, `${preset.id}.json`);
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${preset.id}: wrote ${relative(SERVER_DIR, weightsPath)} (${file.length} bytes) and ${relative(SERVER_DIR, manifestPath)}`);
}

mkdirSync(MODELS_DIR, { recursive: true });
for (const preset of PRESETS) trainPreset(preset);
