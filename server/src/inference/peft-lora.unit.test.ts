import { describe, expect, it } from "vitest";
import { encodeSafetensors } from "../formats/safetensors.js";
import { initLora, type LoraConfig } from "../ml/lora.js";
import { initModel, modelSpec } from "../ml/model.js";
import { createRandom } from "../ml/random.js";
import { encodePeftAdapter } from "../trainer/peft-adapter.js";
import { peftLora, peftScaling } from "./peft-lora.js";

const model = initModel(modelSpec("tunes-s"), createRandom(1));
const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

describe("peftLora", () => {
  const config: LoraConfig = { rank: 4, alpha: 8, rsLora: false, targetModules: ["fc1", "head"] };
  const lora = initLora(model, config, createRandom(2));
  lora.head!.b.fill(0.25);
  const files = encodePeftAdapter(lora, { config, baseModel: "tunes-s", dropout: 0 });

  it("reads back what the trainer writes, with the scale from adapter_config.json", () => {
    const read = peftLora(model, files.weights, peftScaling(files.config));
    expect(Object.keys(read)).toEqual(["fc1", "head"]);
    for (const layer of ["fc1", "head"] as const) {
      expect(read[layer]).toMatchObject({ rank: 4, in: lora[layer]!.in, out: lora[layer]!.out, scale: 2 });
      expect(read[layer]!.a).toEqual(lora[layer]!.a);
      expect(read[layer]!.b).toEqual(lora[layer]!.b);
    }
  });

  it("scales each module by its own rank, by its square root with rsLoRA", () => {
    expect(peftLora(model, files.weights, { alpha: 8, rsLora: true }).fc1!.scale).toBe(4);
    expect(peftScaling(files.config.replace('"use_rslora": false', '"use_rslora": true'))).toEqual({ alpha: 8, rsLora: true });
  });

  it("refuses factors that do not fit the model, are unpaired, unknown or not finite, naming the adapter", () => {
    const what = "adapter 'x' 1";
    const weights = (tensors: { name: string; shape: number[]; values: number[] }[]) =>
      encodeSafetensors(tensors.map(({ name, shape, values }) => ({ name, dtype: "F32", shape, data: f32(values) })));
    const a = { name: "base_model.model.fc2.lora_A.weight", shape: [1, 64], values: new Array(64).fill(0.1) };
    const b = { name: "base_model.model.fc2.lora_B.weight", shape: [64, 1], values: new Array(64).fill(0.1) };
    const scaling = { alpha: 1, rsLora: false };
    expect(peftLora(model, weights([a, b]), scaling, what).fc2!.rank).toBe(1);
    expect(() => peftLora(model, weights([{ ...a, shape: [2, 32] }, b]), scaling, what)).toThrow(/adapter 'x' 1: fc2 has lora_A \[2, 32\] and lora_B \[64, 1\]; tunes-s needs \[r, 64\] and \[64, r\]/);
    expect(() => peftLora(model, weights([a]), scaling, what)).toThrow(/fc2 has lora_A without lora_B/);
    expect(() => peftLora(model, weights([a, b, { ...a, name: "base_model.model.layers.0.q_proj.lora_A.weight" }]), scaling, what)).toThrow(/not a LoRA factor of tunes-s's layers fc1, fc2, head/);
    expect(() => peftLora(model, weights([a, { ...b, values: [Number.NaN, ...b.values.slice(1)] }]), scaling, what)).toThrow(/fc2 holds values that are not finite/);
    expect(() => peftLora(model, weights([]), scaling, what)).toThrow(/no LoRA factors/);
  });
});
