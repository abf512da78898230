// LoRA training steps per second of the built-in trainer: the TypeScript reference backward beside the ONNX training
// graph on onnxruntime, for tunes-s and tunes-m at the trainer's default config (batch size, rank, targets, dropout).
// A step is what the trainer does per step: the batch's encoding, forward, backward, clipping and AdamW.
// Usage: pnpm bench:trainer   (TRAINER_DEVICE=auto|cpu|cuda picks the provider as the trainer does; BENCH_SECONDS per measurement)
import { performance } from "node:perf_hooks";
import { initLora } from "../server/src/ml/lora.js";
import { createRandom } from "../server/src/ml/random.js";
import { generateExamples } from "../server/src/ml/styles.js";
import { createTrainer, makeBatch, trainingPairs, type Trainer } from "../server/src/ml/train.js";
import { loadBaseModel } from "../server/src/inference/base-model.js";
import { loraConfigOf, parseTrainerConfig, trainingOptions } from "../server/src/trainer/config.js";
import { devicePreferenceSchema } from "../server/src/inference/onnx-runtime.js";
import { createOnnxEngine, createTypeScriptEngine, type TrainingEngine } from "../server/src/trainer/training-engine.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP_STEPS = 20;
const MODELS = ["tunes-s", "tunes-m"] as const;
const device = devicePreferenceSchema.parse(process.env.TRAINER_DEVICE || undefined);

function newTrainer(id: (typeof MODELS)[number]): Trainer {
  const config = parseTrainerConfig({ baseModel: id });
  const model = loadBaseModel(id);
  return createTrainer(model, initLora(model, loraConfigOf(config), createRandom(1)), trainingOptions(config, 10_000), 2);
}

/** Steps per second over about SECONDS, after a warm-up, with batches drawn as the trainer draws them. */
async function stepsPerSecond(engine: TrainingEngine, trainer: Trainer): Promise<number> {
  const { spec } = trainer.model;
  const pairs = trainingPairs(generateExamples("major-waltz", 60, 7), spec.contextTokens);
  const batchSize = parseTrainerConfig({ baseModel: spec.id }).batchSize;
  const random = createRandom(3);
  const step = () => engine.step(makeBatch(spec, Array.from({ length: batchSize }, () => random.pick(pairs))));
  for (let index = 0; index < WARMUP_STEPS; index += 1) await step();
  const start = performance.now();
  let steps = 0;
  while (performance.now() - start < SECONDS * 1000) {
    await step();
    steps += 1;
  }
  return +((steps * 1000) / (performance.now() - start)).toFixed(1);
}

async function main(): Promise<void> {
  const results: Record<string, { typescript: number; onnx: number; speedup: number }> = {};
  let executionProvider = "";
  for (const id of MODELS) {
    const typescriptTrainer = newTrainer(id);
    const typescript = await stepsPerSecond(createTypeScriptEngine(typescriptTrainer), typescriptTrainer);
    const onnxTrainer = newTrainer(id);
    const engine = await createOnnxEngine(onnxTrainer, device);
    executionProvider = engine.provider;
    const onnx = await stepsPerSecond(engine, onnxTrainer);
    results[id] = { typescript, onnx, speedup: +(onnx / typescript).toFixed(1) };
  }
  process.stdout.write(
    `${JSON.stringify({
      benchmark: "LoRA training steps per second: TypeScript reference backward vs ONNX training graph",
      batchSize: parseTrainerConfig({ baseModel: "tunes-s" }).batchSize,
      executionProvider,
      stepsPerSecond: results,
    })}\n`,
  );
}

await main();
