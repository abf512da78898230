import { describe, expect, it } from "vitest";
import { initModel, modelSpec } from "./model.js";
import { createRandom } from "./random.js";
import { modelFromTensors, modelTensors } from "./weights.js";

describe("model tensors", () => {
  const spec = modelSpec("tunes-s");
  const model = initModel(spec, createRandom(1));

  it("name and shape every layer's weight [out, in] and bias [out], in layer order", () => {
    expect(modelTensors(model).map(({ name, shape }) => [name, shape])).toEqual([
      ["fc1.weight", [64, 736]],
      ["fc1.bias", [64]],
      ["fc2.weight", [64, 64]],
      ["fc2.bias", [64]],
      ["head.weight", [42, 64]],
      ["head.bias", [42]],
    ]);
  });

  it("round-trip through modelFromTensors, in any order", () => {
    expect(modelFromTensors(spec, modelTensors(model).reverse())).toEqual(model);
  });

  it("are validated: missing, unexpected, duplicated, mis-shaped or mis-sized tensors are named", () => {
    const tensors = modelTensors(model);
    expect(() => modelFromTensors(spec, tensors.slice(1))).toThrow(/"fc1.weight" is missing for tunes-s/);
    expect(() => modelFromTensors(spec, [...tensors, { name: "fc3.weight", shape: [1], data: new Float32Array(1) }])).toThrow(/unexpected tensors for tunes-s: fc3.weight/);
    expect(() => modelFromTensors(spec, [...tensors, tensors[1]!])).toThrow(/"fc1.bias" appears twice/);
    expect(() => modelFromTensors(modelSpec("tunes-m"), tensors)).toThrow(/"fc1.weight" has shape \[64, 736\], tunes-m needs \[128, 736\]/);
    const short = tensors.map((tensor) => (tensor.name === "head.bias" ? { ...tensor, data: new Float32Array(3) } : tensor));
    expect(() => modelFromTensors(spec, short)).toThrow(/"head.bias" has 3 values, its shape \[42\] needs 42/);
  });
});
