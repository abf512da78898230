import onnxProto from "onnx-proto";
import ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { combineAdapters, initLora, type Lora } from "./lora.js";
import type { Matrix } from "./matrix.js";
import { PROMPT_BUCKETS, VOCAB_SIZE } from "./melody.js";
import { encodeInputs, forward, initModel, inputSize, LAYER_NAMES, MODEL_SPECS, type LayerName, type Model } from "./model.js";
import { buildInferenceGraph, INPUT_NAME, loraInputNames, loraInputs, OUTPUT_NAME } from "./onnx-graph.js";
import { createRandom, type Random } from "./random.js";

const { onnx } = onnxProto;
const BATCH = 6;

/** A trained-looking adapter: PEFT's A init, and a non-zero B (initLora leaves B at zero). */
function randomLora(model: Model, random: Random, rank: number, alpha: number, targetModules: readonly LayerName[]): Lora {
  const lora = initLora(model, { rank, alpha, rsLora: false, targetModules }, random);
  for (const module of Object.values(lora)) module.b.forEach((_, index) => (module.b[index] = random.normal() * 0.3));
  return lora;
}

function randomInputs(model: Model, random: Random): Matrix {
  return encodeInputs(
    model.spec,
    Array.from({ length: BATCH }, () => ({
      context: Array.from({ length: model.spec.contextTokens }, () => random.int(0, VOCAB_SIZE - 1)),
      prompt: Float32Array.from({ length: PROMPT_BUCKETS }, () => random.next() / 4),
    })),
  );
}

async function runGraph(session: ort.InferenceSession, model: Model, inputs: Matrix, lora: Lora): Promise<Float32Array> {
  const feeds: Record<string, ort.Tensor> = {
    [INPUT_NAME]: new ort.Tensor("float32", Float32Array.from(inputs.data), [inputs.rows, inputs.cols]),
  };
  for (const feed of loraInputs(model, lora)) feeds[feed.name] = new ort.Tensor("float32", feed.data, feed.dims);
  const result = await session.run(feeds);
  const logits = result[OUTPUT_NAME]!;
  expect(logits.dims).toEqual([inputs.rows, VOCAB_SIZE]);
  return logits.data as Float32Array;
}

/** Float32 against the float64 reference: every logit within 1e-4 of the largest magnitude. */
function expectClose(actual: Float32Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  const magnitude = Math.max(...expected.map(Math.abs), 1e-6);
  const worst = Math.max(...expected.map((value, index) => Math.abs(actual[index]! - value)));
  expect(worst / magnitude).toBeLessThan(1e-4);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.max(...Array.from(a, (value, index) => Math.abs(value - b[index]!)));
}

describe.each(MODEL_SPECS.map((spec) => [spec.id, spec] as const))("the ONNX inference graph of %s", (_, spec) => {
  const random = createRandom(spec.hidden1 * 7919);
  const model = initModel(spec, random);
  // Non-zero biases, so a transposed or dropped bias would show.
  for (const name of LAYER_NAMES) model.layers[name].bias.forEach((_, index, bias) => (bias[index] = random.normal() * 0.1));
  const inputs = randomInputs(model, random);
  let session: ort.InferenceSession;

  beforeAll(async () => {
    session = await ort.InferenceSession.create(buildInferenceGraph(model), { intraOpNumThreads: 1, executionProviders: ["cpu"] });
  });
  afterAll(async () => {
    await session.release();
  });

  it("is an opset-13 ModelProto with the base weights as initializers and X plus two LoRA inputs per layer", () => {
    const decoded = onnx.ModelProto.decode(buildInferenceGraph(model));
    expect(Number(decoded.irVersion)).toBe(8);
    expect(decoded.opsetImport.map(({ domain, version }) => [domain, Number(version)])).toEqual([["", 13]]);
    expect((decoded.graph?.initializer ?? []).map(({ name, dims }) => [name, (dims ?? []).map(Number)])).toEqual(
      LAYER_NAMES.flatMap((name) => [
        [`${name}.weight`, [model.layers[name].out, model.layers[name].in]],
        [`${name}.bias`, [model.layers[name].out]],
      ]),
    );
    expect(session.inputNames).toEqual([INPUT_NAME, ...LAYER_NAMES.flatMap((name) => Object.values(loraInputNames(name)))]);
    expect(session.outputNames).toEqual([OUTPUT_NAME]);
    expect(inputs.cols).toBe(inputSize(spec));
  });

  it("matches the TypeScript forward pass without an adapter (rank-0 LoRA inputs)", async () => {
    expect(loraInputs(model, {}).map(({ dims }) => dims)).toEqual(
      LAYER_NAMES.flatMap((name) => [
        [0, model.layers[name].in],
        [model.layers[name].out, 0],
      ]),
    );
    expectClose(await runGraph(session, model, inputs, {}), forward(model, inputs).logits.data);
  });

  it("matches it with one LoRA, its B scaled by alpha / r", async () => {
    const lora = randomLora(model, random, 8, 16, ["fc1", "fc2", "head"]);
    const expected = forward(model, inputs, lora).logits.data;
    expect(maxDifference(expected, forward(model, inputs).logits.data)).toBeGreaterThan(0.1);
    expectClose(await runGraph(session, model, inputs, lora), expected);
  });

  it("matches it with three adapters combined at weights 0.5, 1.0 and 2.0 (different ranks and targets)", async () => {
    const combined = combineAdapters([
      { lora: randomLora(model, random, 4, 8, ["fc1", "head"]), weight: 0.5 },
      { lora: randomLora(model, random, 8, 8, ["fc2", "head"]), weight: 1.0 },
      { lora: randomLora(model, random, 2, 4, ["head"]), weight: 2.0 },
    ]);
    expect(LAYER_NAMES.map((name) => combined[name]?.rank)).toEqual([4, 8, 14]);
    const expected = forward(model, inputs, combined).logits.data;
    expect(maxDifference(expected, forward(model, inputs).logits.data)).toBeGreaterThan(0.1);
    expectClose(await runGraph(session, model, inputs, combined), expected);
  });

  it("leaks nothing between runs: the base model after a LoRA run is bit-identical to before", async () => {
    const before = await runGraph(session, model, inputs, {});
    const withLora = await runGraph(session, model, inputs, randomLora(model, random, 16, 32, ["fc1", "fc2", "head"]));
    const after = await runGraph(session, model, inputs, {});
    expect(maxDifference(withLora, before)).toBeGreaterThan(0.1);
    expect(Buffer.from(after.buffer, after.byteOffset, after.byteLength).equals(Buffer.from(before.buffer, before.byteOffset, before.byteLength))).toBe(true);
  });

  it("refuses a LoRA module that does not fit the layer", () => {
    const other = initModel(MODEL_SPECS.find((candidate) => candidate.id !== spec.id)!, createRandom(3));
    expect(() => loraInputs(model, randomLora(other, random, 2, 2, ["fc2"]))).toThrow(RangeError);
  });
});
