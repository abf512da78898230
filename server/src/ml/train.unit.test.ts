import { describe, expect, it } from "vitest";
import { initLora, type Lora } from "./lora.js";
import { promptVector, VOCAB_SIZE } from "./melody.js";
import { drawDropoutMasks, encodeInputs, forward, forwardLogits, initModel, LAYER_NAMES, modelSpec, type Model, type ModelSpec } from "./model.js";
import { createRandom } from "./random.js";
import { generateExamples } from "./styles.js";
import {
  ADAMW_MOMENTS,
  adamWStep,
  backward,
  baseGradients,
  clipGradients,
  createAdamW,
  createBaseTrainer,
  createTrainer,
  evaluateLoss,
  learningRateAt,
  loraGradients,
  loraParameters,
  makeBatch,
  meanLoss,
  meanLossFrom,
  softmaxCrossEntropy,
  trainBaseStep,
  trainingPairs,
  trainStep,
  type Batch,
  type StepResult,
  type TrainingOptions,
} from "./train.js";

describe("softmaxCrossEntropy", () => {
  it("is ln(V) for uniform logits, with gradient (softmax − onehot) / rows", () => {
    const logits = { rows: 2, cols: 4, data: new Float64Array(8) };
    const { loss, gradient } = softmaxCrossEntropy(logits, [1, 3]);
    expect(loss).toBeCloseTo(Math.log(4), 12);
    expect([...gradient.data]).toEqual([0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375]);
  });

  it("stays finite for large logits", () => {
    const logits = { rows: 1, cols: 2, data: Float64Array.from([1000, 0]) };
    expect(softmaxCrossEntropy(logits, [1]).loss).toBeCloseTo(1000, 9);
  });
});

const TINY: ModelSpec = { id: "tiny", contextTokens: 2, hidden1: 6, hidden2: 5 };
const EPSILON = 1e-3;
/** Gradients below this are compared absolutely (entries of A or W whose inputs are all zero have gradient exactly 0). */
const TINY_GRADIENT = 1e-7;

/** A tiny model with non-zero biases and a LoRA on every module whose B is non-zero, so that every gradient path carries signal. */
function tinySetup() {
  const random = createRandom(11);
  const model = initModel(TINY, random);
  for (const layer of Object.values(model.layers)) layer.bias.set(layer.bias.map(() => 0.1 * random.normal()));
  const lora = initLora(model, { rank: 3, alpha: 6, rsLora: false, targetModules: LAYER_NAMES }, random);
  for (const module of Object.values(lora)) module.b.set(module.b.map(() => 0.5 * random.normal()));
  const rows = Array.from({ length: 4 }, () => ({
    context: [random.int(0, VOCAB_SIZE - 1), random.int(0, VOCAB_SIZE - 1)],
    prompt: promptVector(random.pick(["a gentle waltz in C major", "a sad ballad", "dorian jig"])),
  }));
  const batch: Batch = { inputs: encodeInputs(TINY, rows), targets: Int32Array.from(rows, () => random.int(0, VOCAB_SIZE - 1)) };
  return { model, lora, batch };
}

/** Dropout on, with the same mask at every evaluation (a fresh random of the same seed). */
function lossOf(model: Model, lora: Lora, batch: Batch) {
  const pass = forward(model, batch.inputs, lora, drawDropoutMasks(lora, batch.inputs.rows, { rate: 0.2, random: createRandom(5) }));
  return { pass, ...softmaxCrossEntropy(pass.logits, batch.targets) };
}

/** (L(p + ε) − L(p − ε)) / (the difference actually stored): float32 parameters round p ± ε, the forward pass is float64. */
function centralDifference(parameter: Float32Array, index: number, loss: () => number): number {
  const original = parameter[index]!;
  parameter[index] = original + EPSILON;
  const above = parameter[index]!;
  const lossAbove = loss();
  parameter[index] = original - EPSILON;
  const below = parameter[index]!;
  const lossBelow = loss();
  parameter[index] = original;
  return (lossAbove - lossBelow) / (above - below);
}

/** The relative error of each analytic gradient against central differences; every parameter must carry some gradient. */
function relativeErrors(checks: readonly { what: string; parameter: Float32Array; gradients: Float64Array }[], loss: () => number): number[] {
  return checks.flatMap(({ what, parameter, gradients }) => {
    expect(gradients.length, what).toBe(parameter.length);
    expect(gradients.some((value) => Math.abs(value) > 1e-4), `${what} carries gradient`).toBe(true);
    return [...gradients].map((value, index) => {
      const numeric = centralDifference(parameter, index, loss);
      return Math.abs(value - numeric) / Math.max(Math.abs(value), Math.abs(numeric), TINY_GRADIENT);
    });
  });
}

/**
 * The forward pass runs in float64, so only O(ε²) truncation remains (relative errors near 1e-6 here);
 * an entry may still fail where a ReLU input lies within ε of its kink, hence "most entries".
 */
function expectMostlyAccurate(errors: readonly number[]): void {
  expect(errors.filter((error) => error < 1e-3).length / errors.length).toBeGreaterThanOrEqual(0.99);
}

describe("the LoRA gradients", () => {
  it("match central finite differences for A and B of every target module, through dropout", () => {
    const { model, lora, batch } = tinySetup();
    const { pass, gradient } = lossOf(model, lora, batch);
    const analytic = loraGradients(model, lora, pass, gradient);
    const checks = LAYER_NAMES.flatMap((name) => [
      { what: `${name}.lora_A`, parameter: lora[name]!.a, gradients: analytic[name]!.a },
      { what: `${name}.lora_B`, parameter: lora[name]!.b, gradients: analytic[name]!.b },
    ]);
    expectMostlyAccurate(relativeErrors(checks, () => lossOf(model, lora, batch).loss));
  });
});

describe("the base gradients", () => {
  it.each([
    ["without a LoRA (base training)", false],
    ["through the LoRA paths and dropout", true],
  ])("match central finite differences for W and b of every layer, %s", (_, withLora) => {
    const setup = tinySetup();
    const { model, batch } = setup;
    const lora = withLora ? setup.lora : {};
    const { pass, gradient } = lossOf(model, lora, batch);
    const analytic = baseGradients(model, pass, gradient, lora);
    const checks = LAYER_NAMES.flatMap((name) => [
      { what: `${name}.weight`, parameter: model.layers[name].weight, gradients: analytic[name].weight },
      { what: `${name}.bias`, parameter: model.layers[name].bias, gradients: analytic[name].bias },
    ]);
    expectMostlyAccurate(relativeErrors(checks, () => lossOf(model, lora, batch).loss));
  });

  it("come from the same backward pass as the LoRA gradients", () => {
    const { model, lora, batch } = tinySetup();
    const { pass, gradient } = lossOf(model, lora, batch);
    const both = backward(model, lora, pass, gradient, true);
    expect(both.lora).toEqual(loraGradients(model, lora, pass, gradient));
    expect(both.base).toEqual(baseGradients(model, pass, gradient, lora));
    expect(backward(model, lora, pass, gradient, false).base).toEqual({});
  });
});

describe("loraGradients", () => {
  it("gives gradients only for the modules the LoRA has", () => {
    const spec = modelSpec("tunes-s");
    const model = initModel(spec, createRandom(1));
    const lora = initLora(model, { rank: 2, alpha: 2, rsLora: false, targetModules: ["fc2"] }, createRandom(2));
    const batch = makeBatch(spec, trainingPairs(generateExamples("blues", 1, 3), spec.contextTokens).slice(0, 8));
    const pass = forward(model, batch.inputs, lora);
    const gradients = loraGradients(model, lora, pass, softmaxCrossEntropy(pass.logits, batch.targets).gradient);
    expect(Object.keys(gradients)).toEqual(["fc2"]);
    expect(loraGradients(model, {}, pass, pass.logits)).toEqual({});
  });
});

describe("learningRateAt", () => {
  const schedule = { learningRate: 1, warmupSteps: 10, totalSteps: 110 };

  it("warms up linearly from 0 to the peak", () => {
    expect([0, 5, 10].map((step) => learningRateAt(step, { ...schedule, schedule: "cosine" }))).toEqual([0, 0.5, 1]);
  });

  it("then decays to 0 at the last step along a cosine or a line, or stays constant", () => {
    const at = (step: number, kind: "cosine" | "linear" | "constant") => learningRateAt(step, { ...schedule, schedule: kind });
    expect([at(60, "cosine"), at(110, "cosine"), at(200, "cosine")].map((rate) => rate.toFixed(9))).toEqual(["0.500000000", "0.000000000", "0.000000000"]);
    expect([at(35, "linear"), at(110, "linear")]).toEqual([0.75, 0]);
    expect(at(100, "constant")).toBe(1);
  });
});

describe("clipGradients", () => {
  it("scales all gradients together down to the maximum global norm and returns the norm before", () => {
    const gradients = [Float64Array.from([3]), Float64Array.from([0, 4])];
    expect(clipGradients(gradients, 1)).toBe(5);
    expect([...gradients[0]!, ...gradients[1]!].map((value) => value.toFixed(6))).toEqual(["0.600000", "0.000000", "0.800000"]);
  });

  it("leaves gradients within the norm, or with clipping off, as they are", () => {
    const gradients = [Float64Array.from([3, 4])];
    expect(clipGradients(gradients, 10)).toBe(5);
    expect(clipGradients(gradients, Infinity)).toBe(5);
    expect([...gradients[0]!]).toEqual([3, 4]);
  });
});

describe("adamWStep", () => {
  it("moves each parameter by about the learning rate against its gradient on the first step, after decoupled decay", () => {
    const parameter = Float32Array.from([1, -2]);
    const optimizer = createAdamW([parameter]);
    adamWStep(optimizer, [Float64Array.from([0.5, -3])], 0.1, { ...ADAMW_MOMENTS, weightDecay: 0.01 });
    expect(parameter[0]).toBeCloseTo(1 * (1 - 0.001) - 0.1, 6);
    expect(parameter[1]).toBeCloseTo(-2 * (1 - 0.001) + 0.1, 6);
    expect(optimizer.step).toBe(1);
  });
});

describe("training a LoRA on one style", () => {
  const spec = modelSpec("tunes-s");
  const OPTIONS: TrainingOptions = {
    learningRate: 1e-2,
    warmupSteps: 20,
    totalSteps: 250,
    schedule: "cosine",
    ...ADAMW_MOMENTS,
    weightDecay: 0.01,
    maxGradNorm: 1,
    dropout: 0.05,
  };
  const BATCH_SIZE = 32;
  const trainingSet = trainingPairs(generateExamples("major-waltz", 16, 1), spec.contextTokens);
  const heldOut = makeBatch(spec, trainingPairs(generateExamples("major-waltz", 3, 2), spec.contextTokens));

  function train(steps: number, trainerSeed: number) {
    const model = initModel(spec, createRandom(1));
    const lora = initLora(model, { rank: 8, alpha: 16, rsLora: false, targetModules: LAYER_NAMES }, createRandom(2));
    const trainer = createTrainer(model, lora, OPTIONS, trainerSeed);
    const batchRandom = createRandom(3);
    const initialLoss = evaluateLoss(model, heldOut, lora);
    const baseWeights = structuredClone(model.layers);
    const results: StepResult[] = Array.from({ length: steps }, () => {
      const pairs = Array.from({ length: BATCH_SIZE }, () => batchRandom.pick(trainingSet));
      return trainStep(trainer, makeBatch(spec, pairs));
    });
    return { model, lora, initialLoss, baseWeights, results };
  }

  it("lowers the held-out loss of the style clearly, leaving the base weights bit-identical", () => {
    const { model, lora, initialLoss, baseWeights, results } = train(OPTIONS.totalSteps, 4);
    const finalLoss = evaluateLoss(model, heldOut, lora);
    expect(initialLoss).toBeCloseTo(evaluateLoss(model, heldOut), 12);
    expect(finalLoss).toBeLessThan(0.5 * initialLoss);
    expect(results.every(({ loss, gradNorm }) => Number.isFinite(loss) && Number.isFinite(gradNorm))).toBe(true);
    for (const name of LAYER_NAMES) {
      expect(Buffer.from(model.layers[name].weight.buffer).equals(Buffer.from(baseWeights[name].weight.buffer)), name).toBe(true);
      expect(Buffer.from(model.layers[name].bias.buffer).equals(Buffer.from(baseWeights[name].bias.buffer)), name).toBe(true);
    }
  });

  it("is deterministic for a seed: the same losses and the same adapter bits", () => {
    const first = train(12, 5);
    const second = train(12, 5);
    expect(second.results).toEqual(first.results);
    expect(loraParameters(second.lora)).toEqual(loraParameters(first.lora));
    expect(train(12, 6).results).not.toEqual(first.results);
  });
});

describe("training the base model", () => {
  const spec = modelSpec("tunes-s");
  const OPTIONS = { learningRate: 3e-3, warmupSteps: 5, totalSteps: 60, schedule: "cosine", ...ADAMW_MOMENTS, weightDecay: 0.01, maxGradNorm: 1 } as const;
  const trainingSet = trainingPairs(generateExamples("blues", 8, 1), spec.contextTokens);
  const heldOut = trainingPairs(generateExamples("blues", 2, 2), spec.contextTokens);

  function train() {
    const model = initModel(spec, createRandom(1));
    const initial = structuredClone(model.layers);
    const trainer = createBaseTrainer(model, OPTIONS);
    const batchRandom = createRandom(3);
    const results = Array.from({ length: OPTIONS.totalSteps }, () =>
      trainBaseStep(trainer, makeBatch(spec, Array.from({ length: 32 }, () => batchRandom.pick(trainingSet)))),
    );
    return { model, initial, results };
  }

  it("updates every W and b, lowers the held-out loss and is deterministic", () => {
    const { model, initial, results } = train();
    expect(meanLoss(model, heldOut, 100)).toBeLessThan(0.6 * meanLoss(initModel(spec, createRandom(1)), heldOut));
    for (const name of LAYER_NAMES) {
      expect(model.layers[name].weight, `${name}.weight`).not.toEqual(initial[name].weight);
      expect(model.layers[name].bias, `${name}.bias`).not.toEqual(initial[name].bias);
    }
    expect(train().results).toEqual(results);
  });
});

describe("meanLoss", () => {
  it("is the mean over all pairs, whatever the chunk size", () => {
    const spec = modelSpec("tunes-s");
    const model = initModel(spec, createRandom(1));
    const pairs = trainingPairs(generateExamples("blues", 1, 3), spec.contextTokens);
    expect(meanLoss(model, pairs, 7)).toBeCloseTo(evaluateLoss(model, makeBatch(spec, pairs)), 10);
  });

  it("is the same through a logits function (meanLossFrom), as the trainer computes it on onnxruntime", async () => {
    const spec = modelSpec("tunes-s");
    const model = initModel(spec, createRandom(1));
    const pairs = trainingPairs(generateExamples("blues", 1, 3), spec.contextTokens);
    expect(await meanLossFrom(forwardLogits(model), pairs, 7)).toBeCloseTo(meanLoss(model, pairs), 10);
  });
});
