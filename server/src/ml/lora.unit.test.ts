import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { combineAdapters, initLora, loraScale, type Lora, type LoraConfig } from "./lora.js";
import { addScaled, type Matrix } from "./matrix.js";
import { PROMPT_BUCKETS, VOCAB_SIZE } from "./melody.js";
import { applyLinear, forward, initModel, inputSize, LAYER_NAMES, modelSpec, type ModelSpec } from "./model.js";
import { createRandom } from "./random.js";

const TINY: ModelSpec = { id: "tiny", contextTokens: 2, hidden1: 7, hidden2: 5 };
const model = initModel(TINY, createRandom(1));

/** An adapter as after training: A as initialised, B drawn too. */
function trainedLora(config: LoraConfig, seed: number): Lora {
  const random = createRandom(seed);
  const lora = initLora(model, config, random);
  for (const module of Object.values(lora)) module.b.set(module.b.map(() => random.normal()));
  return lora;
}

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const random = createRandom(seed);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => random.normal()) };
}

const config = (rank: number, alpha: number, targetModules: LoraConfig["targetModules"] = LAYER_NAMES, rsLora = false): LoraConfig => ({ rank, alpha, rsLora, targetModules });

describe("loraScale", () => {
  it("is alpha / r, or alpha / sqrt(r) with rsLoRA", () => {
    expect(loraScale(config(8, 16))).toBe(2);
    expect(loraScale(config(16, 8, LAYER_NAMES, true))).toBe(2);
  });
});

describe("initLora", () => {
  it("gives each target module A [r × in] uniform in ±1/sqrt(in) and B [out × r] zero", () => {
    const lora = initLora(model, config(3, 6, ["fc1", "head"]), createRandom(2));
    expect(Object.keys(lora)).toEqual(["fc1", "head"]);
    const fc1 = lora.fc1!;
    expect([fc1.rank, fc1.in, fc1.out, fc1.scale]).toEqual([3, TINY.contextTokens * VOCAB_SIZE + PROMPT_BUCKETS, 7, 2]);
    expect(fc1.a.length).toBe(3 * fc1.in);
    expect(Math.max(...fc1.a.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(fc1.in));
    expect(lora.head!.b).toEqual(new Float32Array(VOCAB_SIZE * 3));
  });

  it("refuses a rank that is not a positive integer, a non-positive alpha, and an unknown module", () => {
    expect(() => initLora(model, config(0, 1), createRandom(1))).toThrow(/rank/);
    expect(() => initLora(model, config(2, 0), createRandom(1))).toThrow(/alpha/);
    expect(() => initLora(model, config(2, 1, ["q_proj" as "fc1"]), createRandom(1))).toThrow(/unknown target module "q_proj"/);
  });
});

describe("combineAdapters", () => {
  const adapters = [trainedLora(config(2, 4), 3), trainedLora(config(3, 3, ["fc2", "head"], true), 4), trainedLora(config(1, 8, ["fc1"]), 5)];

  it("concatenates the ranks of the adapters that target each module, with scale 1", () => {
    const combined = combineAdapters(adapters.map((lora) => ({ lora, weight: 1 })));
    expect([combined.fc1?.rank, combined.fc2?.rank, combined.head?.rank]).toEqual([3, 5, 5]);
    expect(LAYER_NAMES.map((name) => combined[name]?.scale)).toEqual([1, 1, 1]);
  });

  it("adds to every layer the weighted sum of each adapter's separate contribution", () => {
    const adapterWeight = fc.double({ min: 0, max: 2, noNaN: true });
    const inputs = { fc1: inputSize(TINY), fc2: TINY.hidden1, head: TINY.hidden2 };
    fc.assert(
      fc.property(fc.tuple(adapterWeight, adapterWeight, adapterWeight), fc.nat(), (weights, seed) => {
        const combined = combineAdapters(adapters.map((lora, index) => ({ lora, weight: weights[index]! })));
        for (const name of LAYER_NAMES) {
          const layer = model.layers[name];
          const x = randomMatrix(3, inputs[name], seed);
          const base = applyLinear(layer, x);
          const expected = applyLinear(layer, x);
          for (const [index, lora] of adapters.entries()) {
            const contribution = applyLinear(layer, x, lora[name]);
            addScaled(contribution, base, -1);
            addScaled(expected, contribution, weights[index]!);
          }
          const actual = applyLinear(layer, x, combined[name]);
          for (const [index, value] of actual.data.entries()) expect(value).toBeCloseTo(expected.data[index]!, 4);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("reproduces a single adapter at weight 1 and the base model at weight 0 or with no adapters", () => {
    const x = randomMatrix(4, inputSize(TINY), 6);
    const [adapter] = adapters;
    const alone = forward(model, x, adapter).logits.data;
    const combined = forward(model, x, combineAdapters([{ lora: adapter!, weight: 1 }])).logits.data;
    for (const [index, value] of combined.entries()) expect(value).toBeCloseTo(alone[index]!, 5);
    const base = forward(model, x).logits;
    expect(forward(model, x, combineAdapters([{ lora: adapter!, weight: 0 }])).logits).toEqual(base);
    expect(combineAdapters([])).toEqual({});
  });

  it("refuses adapters of different shapes (made for different base models) and non-finite weights", () => {
    const medium = initLora(initModel(modelSpec("tunes-m"), createRandom(7)), config(2, 2), createRandom(8));
    expect(() => combineAdapters([{ lora: adapters[0]!, weight: 1 }, { lora: medium, weight: 1 }])).toThrow(/fc1 modules have different shapes/);
    expect(() => combineAdapters([{ lora: adapters[0]!, weight: Number.NaN }])).toThrow(/finite/);
  });
});
