import { describe, expect, it } from "vitest";
import { describeLora } from "../formats/lora.js";
import { parseSafetensorsHeader, readHeaderLength } from "../formats/safetensors.js";
import { initLora, type LoraConfig } from "../ml/lora.js";
import { initModel, modelSpec } from "../ml/model.js";
import { createRandom } from "../ml/random.js";
import { encodePeftAdapter } from "./peft-adapter.js";

describe("encodePeftAdapter", () => {
  const model = initModel(modelSpec("tunes-s"), createRandom(1));
  const config: LoraConfig = { rank: 4, alpha: 8, rsLora: true, targetModules: ["fc1", "head"] };
  const lora = initLora(model, config, createRandom(2));
  const files = encodePeftAdapter(lora, { config, baseModel: "tunes-s", dropout: 0.1 });

  it("writes a PEFT adapter that the registry's own validation reads back", () => {
    const headerLength = readHeaderLength(files.weights.subarray(0, 8), files.weights.length);
    const header = parseSafetensorsHeader(files.weights.subarray(8, 8 + headerLength), files.weights.length);
    const info = describeLora(header, files.config);
    expect(info).toMatchObject({ format: "PEFT", rank: 4, alpha: 8, useRslora: true, targetModules: ["fc1", "head"], tensorCount: 4, baseModelName: "tunes-s" });
  });

  it("stores A [r, in] and B [out, r] under PEFT's key names, bit for bit", () => {
    const headerLength = readHeaderLength(files.weights.subarray(0, 8), files.weights.length);
    const header = parseSafetensorsHeader(files.weights.subarray(8, 8 + headerLength), files.weights.length);
    const fc1A = header.tensors.find((t) => t.name === "base_model.model.fc1.lora_A.weight")!;
    expect(fc1A.shape).toEqual([4, lora.fc1!.in]);
    const start = header.dataStart + fc1A.dataOffsets[0];
    const stored = new Float32Array(files.weights.slice(start, start + lora.fc1!.a.byteLength).buffer);
    expect(stored).toEqual(lora.fc1!.a);
    expect(header.tensors.find((t) => t.name === "base_model.model.head.lora_B.weight")!.shape).toEqual([lora.head!.out, 4]);
  });
});
