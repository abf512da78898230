import { describe, expect, it } from "vitest";
import {
  architectureReport, architectureVerdict, describeLookalike, loraModuleShapes, namedModules, normaliseModuleName,
  type LoraModuleShape,
} from "./architecture.js";
import type { ArchitectureFingerprint } from "../contracts/worker-tasks.js";
import { encodeSafetensors, parseSafetensorsHeader, readHeaderLength } from "./safetensors.js";

const GPT2: ArchitectureFingerprint = {
  id: "gpt2",
  label: "GPT-2",
  modules: ["^(transformer_)?h_\\d+_(attn_c_attn|attn_c_proj|mlp_c_fc)$", "^c_(attn|proj|fc)$"],
  shapes: [{ module: "c_attn$", outPerIn: 3, description: "c_attn projects to q, k and v at once" }],
};
const SD1: ArchitectureFingerprint = {
  id: "sd1",
  label: "Stable Diffusion 1.x",
  modules: ["^(unet_)?(down|up)_blocks_"],
  shapes: [{ module: "_attn2_to_k$", in: 768, description: "its cross-attention keys take 768-wide text embeddings" }],
};
const SDXL: ArchitectureFingerprint = {
  id: "sdxl",
  label: "Stable Diffusion XL",
  modules: ["^(unet_)?(down|up)_blocks_", "^te2_"],
  shapes: [{ module: "_attn2_to_k$", in: 2048, description: "its cross-attention keys take 2048-wide text embeddings" }],
};
const TUNES: ArchitectureFingerprint = { id: "tunes", label: "tunes", modules: [], layers: { fc1: { in: 40, out: 16 }, head: { in: 16, out: 8 } } };
const KNOWN = [GPT2, SD1, SDXL, TUNES];

function module(name: string, inputs: number, out: number): LoraModuleShape {
  return { name, in: inputs, out };
}

function verdict(modules: LoraModuleShape[], expected: ArchitectureFingerprint) {
  return architectureVerdict(architectureReport(modules, KNOWN), KNOWN, expected);
}

const gpt2Modules = [0, 1].flatMap((layer) => [
  module(`base_model.model.transformer.h.${layer}.attn.c_attn`, 768, 2304),
  module(`base_model.model.transformer.h.${layer}.attn.c_proj`, 768, 768),
  module(`base_model.model.transformer.h.${layer}.mlp.c_fc`, 768, 3072),
]);
const sdUnet = module("lora_unet_down_blocks_0_attentions_0_proj_in", 32, 32);

describe("loraModuleShapes", () => {
  it("reads each module's input and output from its factors' shapes, a convolution's kernel folded into its input", () => {
    const f32 = (name: string, shape: number[]) => ({ name, dtype: "F32", shape, data: new Uint8Array(shape.reduce((a, b) => a * b, 1) * 4) });
    const file = encodeSafetensors([
      f32("transformer.h.0.attn.c_attn.lora_A.weight", [4, 12]),
      f32("transformer.h.0.attn.c_attn.lora_B.weight", [36, 4]),
      f32("lora_unet_conv_in.lora_down.weight", [2, 3, 3, 3]),
      f32("lora_unet_conv_in.lora_up.weight", [8, 2, 1, 1]),
    ]);
    const header = parseSafetensorsHeader(file.subarray(8, 8 + readHeaderLength(file, file.length)), file.length);
    expect(loraModuleShapes(header).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "lora_unet_conv_in", in: 27, out: 8 },
      { name: "transformer.h.0.attn.c_attn", in: 12, out: 36 },
    ]);
  });

  it("spells PEFT, kohya and diffusers names one way", () => {
    expect(normaliseModuleName("base_model.model.transformer.h.0.attn.c_attn")).toBe("transformer_h_0_attn_c_attn");
    expect(normaliseModuleName("lora_unet_down_blocks_0_attentions_0_proj_in")).toBe("unet_down_blocks_0_attentions_0_proj_in");
    expect(normaliseModuleName("unet.down_blocks.0.attentions.0.proj_in")).toBe("unet_down_blocks_0_attentions_0_proj_in");
  });
});

describe("architectureVerdict", () => {
  it("refuses GPT-2 weights for Stable Diffusion and says what they look like", () => {
    const refused = verdict(gpt2Modules, SD1);
    expect(refused).toMatchObject({ fits: false, looksLike: "GPT-2", examples: ["c_attn", "c_proj", "c_fc"] });
    expect(refused.fits || describeLookalike(refused)).toBe("it looks like a GPT-2 LoRA (c_attn, c_proj, c_fc …)");
    expect(refused.fits || refused.reason).toBe("none of its modules is one of Stable Diffusion 1.x's");
    expect(verdict(gpt2Modules, GPT2)).toEqual({ fits: true });
  });

  it("knows a fingerprint's characteristic shapes: a c_attn that is not three projections wide is not GPT-2's", () => {
    const refused = verdict([module("transformer.h.0.attn.c_attn", 768, 768)], GPT2);
    expect(refused.fits || refused.reason).toMatch(/module "transformer\.h\.0\.attn\.c_attn" maps 768 → 768, but c_attn projects to q, k and v at once/);
  });

  it("accepts a file whose modules fit several architectures equally, and tells them apart by a characteristic shape", () => {
    expect(verdict([sdUnet], SD1)).toEqual({ fits: true });
    expect(verdict([sdUnet], SDXL)).toEqual({ fits: true });
    const sdxlCrossAttention = module("lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k", 2048, 640);
    const refused = verdict([sdUnet, sdxlCrossAttention], SD1);
    expect(refused).toMatchObject({ fits: false, looksLike: "Stable Diffusion XL" });
    expect(refused.fits || refused.reason).toMatch(/maps 2048 → 640, but its cross-attention keys take 768-wide text embeddings/);
    expect(verdict([sdUnet, sdxlCrossAttention], SDXL)).toEqual({ fits: true });
  });

  it("refuses a file another architecture claims more of", () => {
    const refused = verdict([sdUnet, module("lora_te2_text_model_encoder_layers_0_self_attn_q_proj", 1280, 1280)], SD1);
    expect(refused).toMatchObject({ fits: false, looksLike: "Stable Diffusion XL" });
    expect(refused.fits || refused.reason).toBe("more of its modules are Stable Diffusion XL's than Stable Diffusion 1.x's");
  });

  it("holds a built-in model to its exact layers and sizes", () => {
    expect(verdict([module("base_model.model.fc1", 40, 16), module("base_model.model.head", 16, 8)], TUNES)).toEqual({ fits: true });
    const wrongSize = verdict([module("base_model.model.fc1", 41, 16)], TUNES);
    expect(wrongSize.fits || wrongSize.reason).toBe("module fc1 maps 41 → 16 (inputs → outputs); tunes's fc1 maps 40 → 16");
    const foreign = verdict([module("base_model.model.model.layers.0.self_attn.fc1", 40, 16)], TUNES);
    expect(foreign.fits || foreign.reason).toBe('module "base_model.model.model.layers.0.self_attn.fc1" is not one of tunes\'s layers (fc1, head)');
  });

  it("judges names alone when only a config's target_modules are known, and nothing when no module is", () => {
    expect(verdict(namedModules(["c_attn", "c_proj"]), SD1)).toMatchObject({ fits: false, looksLike: "GPT-2" });
    expect(verdict(namedModules(["fc1"]), TUNES)).toEqual({ fits: true });
    expect(verdict([], SD1)).toEqual({ fits: true });
  });

  it("says so when the modules match no architecture it knows", () => {
    const refused = verdict([module("encoder.block.0.layer.0.SelfAttention.q", 512, 512)], SD1);
    expect(refused).toMatchObject({ fits: false, looksLike: null });
    expect(refused.fits || describeLookalike(refused)).toBe("its modules match no architecture LoRA Studio knows");
  });
});
