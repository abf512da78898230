import ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { initLora, type Lora } from "./lora.js";
import { promptVector, VOCAB_SIZE } from "./melody.js";
import { drawDropoutMasks, encodeInputs, forward, initModel, LAYER_NAMES, type DropoutMasks, type LayerName, type Model, type ModelSpec } from "./model.js";
import { buildTrainingGraph, dropoutMaskName, gradientNames, LOSS_NAME, TARGETS_NAME, trainingFeeds } from "./onnx-train-graph.js";
import { INPUT_NAME, loraInputNames } from "./onnx-graph.js";
import { createRandom } from "./random.js";
import { loraGradients, softmaxCrossEntropy, type Batch } from "./train.js";

/* The ONNX training step against finite differences of its own loss and against the TypeScript reference backward. */

const TINY: ModelSpec = { id: "tiny", contextTokens: 2, hidden1: 6, hidden2: 5 };
const EPSILON = 1e-2;

interface Setup {
  model: Model;
  lora: Lora;
  batch: Batch;
  masks: DropoutMasks;
}

/** Non-zero biases and B, so that every gradient path carries signal; the dropout masks are drawn once and then fixed. */
function setup(targetModules: readonly LayerName[], dropout: number): Setup {
  const random = createRandom(11);
  const model = initModel(TINY, random);
  for (const layer of Object.values(model.layers)) layer.bias.set(layer.bias.map(() => 0.1 * random.normal()));
  const lora = initLora(model, { rank: 3, alpha: 6, rsLora: false, targetModules }, random);
  for (const module of Object.values(lora)) module.b.set(module.b.map(() => 0.5 * random.normal()));
  const rows = Array.from({ length: 6 }, () => ({
    context: [random.int(0, VOCAB_SIZE - 1), random.int(0, VOCAB_SIZE - 1)],
    prompt: promptVector(random.pick(["a gentle waltz in C major", "a sad ballad", "dorian jig"])),
  }));
  const batch: Batch = { inputs: encodeInputs(TINY, rows), targets: Int32Array.from(rows, () => random.int(0, VOCAB_SIZE - 1)) };
  return { model, lora, batch, masks: drawDropoutMasks(lora, rows.length, { rate: dropout, random }) };
}

const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((session) => session.release()));
});

async function openStep({ model, lora, masks }: Setup): Promise<ort.InferenceSession> {
  const session = await ort.InferenceSession.create(buildTrainingGraph(model, lora, Object.keys(masks).length > 0), { executionProviders: ["cpu"] });
  sessions.push(session);
  return session;
}

async function runStep(session: ort.InferenceSession, { model, lora, batch, masks }: Setup): Promise<ort.InferenceSession.OnnxValueMapType> {
  const feeds: Record<string, ort.Tensor> = { [TARGETS_NAME]: new ort.Tensor("int32", batch.targets, [batch.targets.length]) };
  for (const { name, data, dims } of trainingFeeds(model, lora, batch.inputs, masks)) feeds[name] = new ort.Tensor("float32", data, dims);
  return session.run(feeds);
}

function parametersOf(lora: Lora): { what: string; parameter: Float32Array; gradient: string }[] {
  return LAYER_NAMES.flatMap((name) => {
    const module = lora[name];
    const gradients = gradientNames(name);
    return module ? [{ what: `${name}.lora_A`, parameter: module.a, gradient: gradients.a }, { what: `${name}.lora_B`, parameter: module.b, gradient: gradients.b }] : [];
  });
}

describe.each<[string, readonly LayerName[], number]>([
  ["every module, with dropout", LAYER_NAMES, 0.2],
  ["fc1 and head (the backward crosses a frozen fc2), without dropout", ["fc1", "head"], 0],
  ["the head only", ["head"], 0.3],
])("the ONNX training step of a LoRA on %s", (_, targets, dropout) => {
  it("takes X, the targets, A, B and the masks, and gives the loss and the gradient of each A and B", async () => {
    const data = setup(targets, dropout);
    const session = await openStep(data);
    const modules = LAYER_NAMES.filter((name) => targets.includes(name));
    expect(session.inputNames).toEqual([
      INPUT_NAME,
      TARGETS_NAME,
      ...modules.flatMap((name) => [...Object.values(loraInputNames(name)), ...(dropout > 0 ? [dropoutMaskName(name)] : [])]),
    ]);
    expect(session.outputNames).toEqual([LOSS_NAME, ...modules.flatMap((name) => Object.values(gradientNames(name)))]);
  });

  it("gives the loss and the LoRA gradients of the TypeScript reference backward", async () => {
    const data = setup(targets, dropout);
    const results = await runStep(await openStep(data), data);
    const pass = forward(data.model, data.batch.inputs, data.lora, data.masks);
    const { loss, gradient } = softmaxCrossEntropy(pass.logits, data.batch.targets);
    const reference = loraGradients(data.model, data.lora, pass, gradient);
    expect((results[LOSS_NAME]!.data as Float32Array)[0]).toBeCloseTo(loss, 5);
    for (const name of LAYER_NAMES.filter((layer) => targets.includes(layer))) {
      for (const part of ["a", "b"] as const) {
        const expected = reference[name]![part];
        const actual = results[gradientNames(name)[part]]!.data as Float32Array;
        const magnitude = Math.max(...expected.map(Math.abs));
        expect(magnitude, `${name}.${part} carries gradient`).toBeGreaterThan(1e-4);
        expect(Math.max(...expected.map((value, index) => Math.abs(value - actual[index]!))) / magnitude, `${name}.${part}`).toBeLessThan(1e-5);
      }
    }
  });

  it("gives gradients that match central finite differences of its own loss, the masks fixed", async () => {
    const data = setup(targets, dropout);
    const session = await openStep(data);
    const results = await runStep(session, data);
    const lossAt = async () => ((await runStep(session, data))[LOSS_NAME]!.data as Float32Array)[0]!;
    const errors: number[] = [];
    for (const { what, parameter, gradient } of parametersOf(data.lora)) {
      const analytic = results[gradient]!.data as Float32Array;
      expect(analytic.length, what).toBe(parameter.length);
      for (let index = 0; index < parameter.length; index += 1) {
        const original = parameter[index]!;
        parameter[index] = original + EPSILON;
        const above = await lossAt();
        parameter[index] = original - EPSILON;
        const below = await lossAt();
        parameter[index] = original;
        const numeric = (above - below) / (2 * EPSILON);
        // The loss is float32 (about 1e-6 of rounding, so 1e-4 on the difference quotient): smaller gradients compare absolutely.
        errors.push(Math.abs(analytic[index]! - numeric) / Math.max(Math.abs(analytic[index]!), Math.abs(numeric), 1e-2));
      }
    }
    // A ReLU input within ε of its kink can spoil one entry, hence "nearly all".
    expect(errors.filter((error) => error < 1e-2).length / errors.length).toBeGreaterThanOrEqual(0.98);
  });
});
