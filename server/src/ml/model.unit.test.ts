import { describe, expect, it } from "vitest";
import { initLora } from "./lora.js";
import { BOS, EOS, HOLD, PAD, PROMPT_BUCKETS, promptVector, VOCAB_SIZE } from "./melody.js";
import { applyLinear, contextWindows, drawDropoutMasks, encodeInputs, forward, initModel, inputSize, LAYER_NAMES, layerShapes, MODEL_SPECS, modelSpec, type ModelSpec } from "./model.js";
import { createRandom } from "./random.js";

const TINY: ModelSpec = { id: "tiny", contextTokens: 3, hidden1: 8, hidden2: 6 };

function tinyInputs(rows: number, seed: number) {
  const random = createRandom(seed);
  const inputs = Array.from({ length: rows }, () => ({
    context: Array.from({ length: TINY.contextTokens }, () => random.int(0, VOCAB_SIZE - 1)),
    prompt: promptVector(random.pick(["a gentle waltz", "a sad ballad in D minor", "blues"])),
  }));
  return encodeInputs(TINY, inputs);
}

describe("the model presets", () => {
  it("has tunes-s and tunes-m with different layer shapes", () => {
    const small = layerShapes(modelSpec("tunes-s"));
    const medium = layerShapes(modelSpec("tunes-m"));
    expect(MODEL_SPECS.map((spec) => spec.id)).toEqual(["tunes-s", "tunes-m"]);
    expect(small).toEqual({ fc1: { in: 16 * VOCAB_SIZE + PROMPT_BUCKETS, out: 64 }, fc2: { in: 64, out: 64 }, head: { in: 64, out: VOCAB_SIZE } });
    expect(medium.fc1.out).toBe(128);
    expect(medium.head).toEqual({ in: 128, out: VOCAB_SIZE });
  });

  it("refuses an unknown model id", () => {
    expect(() => modelSpec("tunes-xl")).toThrow(/unknown model "tunes-xl"/);
  });
});

describe("initModel", () => {
  it("makes every layer of its shape with zero biases, the same for the same seed", () => {
    const model = initModel(TINY, createRandom(1));
    for (const name of LAYER_NAMES) {
      const layer = model.layers[name];
      expect(layer.weight.length).toBe(layer.out * layer.in);
      expect(layer.bias).toEqual(new Float32Array(layer.out));
      expect({ in: layer.in, out: layer.out }).toEqual(layerShapes(TINY)[name]);
    }
    expect(initModel(TINY, createRandom(1))).toEqual(model);
    expect(initModel(TINY, createRandom(2)).layers.fc1.weight).not.toEqual(model.layers.fc1.weight);
  });

  it("draws He-scaled weights for the ReLU layers", () => {
    const { fc1 } = initModel(modelSpec("tunes-s"), createRandom(3)).layers;
    const variance = fc1.weight.reduce((sum, value) => sum + value * value, 0) / fc1.weight.length;
    expect(variance).toBeCloseTo(2 / fc1.in, 4);
  });
});

describe("contextWindows", () => {
  it("predicts each token after the first from the K before it, left-padded with PAD", () => {
    expect(contextWindows([BOS, 10, HOLD, EOS], 3)).toEqual([
      { context: [PAD, PAD, BOS], target: 10 },
      { context: [PAD, BOS, 10], target: HOLD },
      { context: [BOS, 10, HOLD], target: EOS },
    ]);
  });
});

describe("encodeInputs", () => {
  it("writes the one-hot tokens oldest first, then the prompt vector", () => {
    const prompt = promptVector("a gentle waltz");
    const { rows, cols, data } = encodeInputs(TINY, [{ context: [PAD, BOS, 10], prompt }]);
    expect([rows, cols]).toEqual([1, inputSize(TINY)]);
    const hot = [...data.subarray(0, 3 * VOCAB_SIZE).keys()].filter((index) => data[index] === 1);
    expect(hot).toEqual([PAD, VOCAB_SIZE + BOS, 2 * VOCAB_SIZE + 10]);
    expect(data.subarray(3 * VOCAB_SIZE)).toEqual(Float64Array.from(prompt));
  });

  it("refuses a context of the wrong length or with a token outside the vocabulary", () => {
    const prompt = promptVector("blues");
    expect(() => encodeInputs(TINY, [{ context: [BOS], prompt }])).toThrow(/expected 3/);
    expect(() => encodeInputs(TINY, [{ context: [BOS, 1, VOCAB_SIZE], prompt }])).toThrow(/outside the vocabulary/);
  });
});

describe("forward", () => {
  const model = initModel(TINY, createRandom(4));
  const inputs = tinyInputs(5, 5);
  const freshLora = () => initLora(model, { rank: 4, alpha: 8, rsLora: false, targetModules: LAYER_NAMES }, createRandom(6));

  it("gives one row of VOCAB_SIZE logits per input, the head layer's output", () => {
    const pass = forward(model, inputs);
    expect([pass.logits.rows, pass.logits.cols]).toEqual([5, VOCAB_SIZE]);
    expect(pass.logits).toEqual(applyLinear(model.layers.head, pass.layers.head.input));
  });

  it("gives exactly the base model's logits with a freshly initialised LoRA (B = 0), even with dropout", () => {
    const base = forward(model, inputs).logits;
    expect(forward(model, inputs, freshLora()).logits).toEqual(base);
    const lora = freshLora();
    expect(forward(model, inputs, lora, drawDropoutMasks(lora, inputs.rows, { rate: 0.5, random: createRandom(7) })).logits).toEqual(base);
  });

  it("drops LoRA inputs only in training, scaling the kept ones by 1 / (1 − rate)", () => {
    const lora = freshLora();
    expect(forward(model, inputs, lora).layers.fc2.lora?.mask).toBeUndefined();
    const masks = drawDropoutMasks(lora, inputs.rows, { rate: 0.25, random: createRandom(8) });
    expect(Object.keys(masks)).toEqual(LAYER_NAMES);
    const mask = forward(model, inputs, lora, masks).layers.fc2.lora?.mask ?? new Float32Array();
    expect(mask.length).toBe(5 * TINY.hidden1);
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(4 / 3)]));
    expect(drawDropoutMasks(lora, inputs.rows, { rate: 0, random: createRandom(8) })).toEqual({});
  });

  it("refuses a LoRA module that does not fit the layer", () => {
    const other = initModel(modelSpec("tunes-s"), createRandom(9));
    const lora = initLora(other, { rank: 2, alpha: 2, rsLora: false, targetModules: ["fc2"] }, createRandom(10));
    expect(() => forward(model, inputs, lora)).toThrow(/does not fit/);
  });
});
