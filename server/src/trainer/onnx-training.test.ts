import { beforeAll, describe, expect, it } from "vitest";
import { initLora, type Lora } from "../ml/lora.js";
import { forwardLogits, LAYER_NAMES, type Model } from "../ml/model.js";
import { createRandom } from "../ml/random.js";
import { generateExamples } from "../ml/styles.js";
import { ADAMW_MOMENTS, createTrainer, loraParameters, makeBatch, meanLossFrom, trainingPairs, type StepResult, type Trainer, type TrainingOptions } from "../ml/train.js";
import { loadBaseModel } from "../inference/base-model.js";
import { sampleEvaluation } from "./sample-evaluation.js";
import { createOnnxEngine, createTypeScriptEngine, type TrainingEngine } from "./training-engine.js";

/*
 * LoRA training through the ONNX training graph on onnxruntime's CPU provider, from the committed tunes-s base. The
 * dataset teaches a style under a trigger prompt the base has never seen ("a zeta tune", as DreamBooth-style trigger
 * words do), so the base cannot tell the style from the prompt and the adapter has something clear to learn.
 */

const TRIGGER = "a zeta tune";
const STYLE = "minor-ballad";
const STEPS = 1000;
const BATCH_SIZE = 32;
const OPTIONS: TrainingOptions = {
  learningRate: 3e-3,
  warmupSteps: 20,
  totalSteps: STEPS,
  schedule: "cosine",
  ...ADAMW_MOMENTS,
  weightDecay: 0,
  maxGradNorm: 1,
  dropout: 0.05,
};

const withTrigger = (examples: ReturnType<typeof generateExamples>) => examples.map((example) => ({ ...example, prompt: TRIGGER }));
const dataset = withTrigger(generateExamples(STYLE, 100, 1));
const heldOut = withTrigger(generateExamples(STYLE, 16, 2));
const trainingSet = trainingPairs(dataset, 16);
const heldOutPairs = trainingPairs(heldOut, 16);

function newTrainer(model: Model): Trainer {
  const lora = initLora(model, { rank: 8, alpha: 16, rsLora: false, targetModules: LAYER_NAMES }, createRandom(3));
  return createTrainer(model, lora, OPTIONS, 4);
}

/** steps steps of batches drawn with a fixed seed. */
async function train(engine: TrainingEngine, model: Model, steps: number): Promise<StepResult[]> {
  const random = createRandom(5);
  const results: StepResult[] = [];
  for (let step = 0; step < steps; step += 1) {
    results.push(await engine.step(makeBatch(model.spec, Array.from({ length: BATCH_SIZE }, () => random.pick(trainingSet)))));
  }
  return results;
}

const scoreOf = async (model: Model, engine: { logits: TrainingEngine["logits"] }) => (await sampleEvaluation(model.spec, engine.logits, heldOut, dataset, 7)).score;

describe("LoRA training with the ONNX training graph", () => {
  const model = loadBaseModel("tunes-s");
  const base = { logits: forwardLogits(model) };
  let engine: TrainingEngine;
  let results: StepResult[];

  beforeAll(async () => {
    engine = await createOnnxEngine(newTrainer(model), "cpu");
    results = await train(engine, model, STEPS);
  });

  it("lowers the style's held-out loss well below the base model's", async () => {
    expect(results.every(({ loss, gradNorm }) => Number.isFinite(loss) && Number.isFinite(gradNorm))).toBe(true);
    const baseLoss = await meanLossFrom(base.logits, heldOutPairs);
    expect(await meanLossFrom(engine.logits, heldOutPairs)).toBeLessThan(0.8 * baseLoss);
  });

  it("raises the evaluation score of sampled melodies of the style over the base model's", async () => {
    const baseScore = await scoreOf(model, base);
    expect(await scoreOf(model, engine)).toBeGreaterThan(baseScore + 0.2);
  });
});

describe("the ONNX engine and the TypeScript reference", () => {
  it("train alike from the same state and seeds: the same losses, and adapters far closer to each other than to where they started", async () => {
    const model = loadBaseModel("tunes-s");
    const [viaOnnx, viaReference, untrained] = [newTrainer(model), newTrainer(model), newTrainer(model)];
    const onnx = await train(await createOnnxEngine(viaOnnx, "cpu"), model, 20);
    const reference = await train(createTypeScriptEngine(viaReference), model, 20);
    onnx.forEach((result, index) => expect(result.loss, `step ${index + 1}`).toBeCloseTo(reference[index]!.loss, 4));
    // AdamW divides by the gradients' magnitude, so float32 rounding of gradients near zero shows in single parameters.
    expect(largestDifference(viaOnnx.lora, viaReference.lora)).toBeLessThan(0.05 * largestDifference(viaReference.lora, untrained.lora));
  });
});

function largestDifference(lora: Lora, other: Lora): number {
  const others = loraParameters(other);
  return Math.max(...loraParameters(lora).flatMap((parameter, index) => Array.from(parameter, (value, at) => Math.abs(value - others[index]![at]!))));
}
