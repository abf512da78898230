import type { ArchitectureFingerprint } from "../contracts/worker-tasks.js";
import type { Modality } from "../generated/prisma/enums.js";
import { layerShapes, MODEL_SPECS } from "../ml/model.js";

export interface BaseModelCapabilities {
  maxDurationSeconds?: number;
  sampleRate?: number;
  resolution?: number;
  maxTokens?: number;
}

export interface CatalogueEntry {
  id: string;
  displayName: string;
  modality: Modality;
  family: string;
  version: string;
  capabilities: BaseModelCapabilities;
  /** names found in files: PEFT base_model_name_or_path, kohya ss_*, Civitai baseModel */
  aliases: string[];
  /** other base models whose adapters also fit this one */
  accepts?: string[];
  /** served by our own sidecar (the reference models) rather than an external backend */
  builtin?: boolean;
  /** module names and shapes, for compatibility checks */
  architecture?: Record<string, { in: number; out: number }>;
  /** the id of its entry in ARCHITECTURES: what a file registered for it must look like */
  fingerprint?: string;
}

const BUILTIN_CAPABILITIES: Record<string, BaseModelCapabilities> = {
  "tunes-s": { maxDurationSeconds: 16, sampleRate: 22050 },
  "tunes-m": { maxDurationSeconds: 32, sampleRate: 22050 },
};

/** The reference models (DESIGN §7): small melody generators that train and generate on any machine. */
const BUILTIN_MODELS: CatalogueEntry[] = MODEL_SPECS.map((spec) => ({
  id: spec.id,
  displayName: `Tunes ${spec.id.slice("tunes-".length).toUpperCase()} (built-in)`,
  modality: "AUDIO",
  family: "tunes",
  version: "1",
  capabilities: BUILTIN_CAPABILITIES[spec.id]!,
  aliases: [spec.id],
  builtin: true,
  architecture: layerShapes(spec),
  fingerprint: spec.id,
}));

const SD_UNET = "^(unet_)?(down_blocks|up_blocks|mid_block|input_blocks|output_blocks|middle_block)_";
const SD_TEXT_ENCODER = "^(te1?|text_encoder)_text_model_encoder_layers_\\d+_";
const SDXL_TEXT_ENCODER_2 = "^(te2|text_encoder_2)_text_model_encoder_layers_\\d+_";

/** Stable Diffusion generations share their UNet's module names; the width of the text embeddings its cross-attention reads tells them apart. */
function stableDiffusion(id: string, label: string, contextWidth: number, modules: string[]): ArchitectureFingerprint {
  const description = `${label}'s cross-attention keys and values take ${contextWidth}-wide text embeddings`;
  return { id, label, modules, shapes: [{ module: "_attn2_to_[kv]$", in: contextWidth, description }] };
}

/**
 * What LoRAs for each architecture look like (formats/architecture.ts): the built-in models' exact layers, then the
 * external families' module names (normalised: kohya's lora_ and PEFT's base_model.model. dropped, dots as underscores)
 * and the sizes characteristic of them. GPT-2 has no catalogue entry; it is known so that its LoRAs can be named.
 */
export const ARCHITECTURES: ArchitectureFingerprint[] = [
  ...MODEL_SPECS.map((spec) => ({ id: spec.id, label: spec.id, modules: [], layers: layerShapes(spec) })),
  stableDiffusion("stable-diffusion-1", "Stable Diffusion 1.x", 768, [SD_UNET, SD_TEXT_ENCODER]),
  stableDiffusion("stable-diffusion-2", "Stable Diffusion 2.x", 1024, [SD_UNET, SD_TEXT_ENCODER]),
  stableDiffusion("stable-diffusion-xl", "Stable Diffusion XL", 2048, [SD_UNET, SD_TEXT_ENCODER, SDXL_TEXT_ENCODER_2]),
  {
    id: "flux",
    label: "FLUX.1",
    modules: ["^(unet_|transformer_)?(double_blocks|single_blocks)_\\d+_", "^(transformer_)?(single_)?transformer_blocks_\\d+_"],
    shapes: [
      { module: "_(img|txt)_attn_qkv$", in: 3072, out: 9216, description: "FLUX.1's fused attention maps its 3072-wide stream to q, k and v (9216)" },
      { module: "_attn_(to_[qkv]|add_[qkv]_proj)$", in: 3072, description: "FLUX.1's attention projections take its 3072-wide stream" },
    ],
  },
  {
    id: "llama",
    label: "LLaMA-style",
    modules: ["^(model_)?layers_\\d+_(self_attn_[qkvo]_proj|mlp_(gate|up|down)_proj)$", "^(q|k|v|o|gate|up|down)_proj$"],
  },
  {
    id: "gpt2",
    label: "GPT-2",
    modules: ["^(transformer_)?h_\\d+_(attn_c_attn|attn_c_proj|mlp_c_fc|mlp_c_proj)$", "^c_(attn|proj|fc)$"],
    shapes: [{ module: "c_attn$", outPerIn: 3, description: "GPT-2's c_attn projects its input to q, k and v at once (3 × its width)" }],
  },
];

/** The base models LoRA Studio knows out of the box: its own reference models, then external ones. */
export const BASE_MODEL_CATALOGUE: CatalogueEntry[] = [
  ...BUILTIN_MODELS,
  {
    id: "sd15", fingerprint: "stable-diffusion-1", displayName: "Stable Diffusion 1.5", modality: "IMAGE", family: "stable-diffusion", version: "1.5",
    capabilities: { resolution: 512 },
    aliases: ["SD 1.5", "sd1.5", "sd15", "sd_v1", "sd1", "runwayml/stable-diffusion-v1-5", "stable-diffusion-v1-5/stable-diffusion-v1-5",
      "v1-5-pruned-emaonly", "v1-5-pruned-emaonly.safetensors", "v1-5-pruned.safetensors", "v1-5-pruned", "v1-5-pruned-emaonly.ckpt"],
  },
  {
    id: "sd21", fingerprint: "stable-diffusion-2", displayName: "Stable Diffusion 2.1", modality: "IMAGE", family: "stable-diffusion", version: "2.1",
    capabilities: { resolution: 768 },
    aliases: ["SD 2.1", "SD 2.1 768", "sd_v2", "sd_v2_768_v", "stabilityai/stable-diffusion-2-1", "v2-1_768-ema-pruned", "v2-1_768-ema-pruned.safetensors"],
  },
  {
    id: "sdxl", fingerprint: "stable-diffusion-xl", displayName: "Stable Diffusion XL 1.0", modality: "IMAGE", family: "stable-diffusion-xl", version: "1.0",
    capabilities: { resolution: 1024 },
    aliases: ["SDXL 1.0", "SDXL", "sdxl_base_v1-0", "sdxl_base_v0-9", "stabilityai/stable-diffusion-xl-base-1.0",
      "sd_xl_base_1.0", "sd_xl_base_1.0.safetensors", "sd_xl_base_1.0_0.9vae.safetensors"],
  },
  {
    id: "pony-xl", fingerprint: "stable-diffusion-xl", displayName: "Pony Diffusion V6 XL", modality: "IMAGE", family: "stable-diffusion-xl", version: "6",
    capabilities: { resolution: 1024 }, accepts: ["sdxl"],
    aliases: ["Pony", "ponyDiffusionV6XL", "ponyDiffusionV6XL_v6StartWithThisOne.safetensors"],
  },
  {
    id: "flux1-dev", fingerprint: "flux", displayName: "FLUX.1 [dev]", modality: "IMAGE", family: "flux", version: "1",
    capabilities: { resolution: 1024 },
    aliases: ["Flux.1 D", "flux1", "black-forest-labs/FLUX.1-dev", "flux1-dev.safetensors"],
  },
  {
    id: "musicgen-small", displayName: "MusicGen Small", modality: "AUDIO", family: "musicgen", version: "small",
    capabilities: { maxDurationSeconds: 30, sampleRate: 32000 },
    aliases: ["facebook/musicgen-small", "musicgen-small"],
  },
  {
    id: "musicgen-medium", displayName: "MusicGen Medium", modality: "AUDIO", family: "musicgen", version: "medium",
    capabilities: { maxDurationSeconds: 30, sampleRate: 32000 },
    aliases: ["facebook/musicgen-medium", "musicgen-medium"],
  },
  {
    id: "llama-3.1-8b", fingerprint: "llama", displayName: "Llama 3.1 8B", modality: "TEXT", family: "llama", version: "3.1",
    capabilities: { maxTokens: 131072 },
    aliases: ["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B-Instruct"],
  },
  {
    id: "llama-3-8b", fingerprint: "llama", displayName: "Llama 3 8B", modality: "TEXT", family: "llama", version: "3",
    capabilities: { maxTokens: 8192 },
    aliases: ["meta-llama/Meta-Llama-3-8B", "meta-llama/Meta-Llama-3-8B-Instruct"],
  },
  {
    id: "mistral-7b", fingerprint: "llama", displayName: "Mistral 7B v0.1", modality: "TEXT", family: "mistral", version: "0.1",
    capabilities: { maxTokens: 32768 },
    aliases: ["mistralai/Mistral-7B-v0.1", "mistralai/Mistral-7B-Instruct-v0.1"],
  },
  {
    id: "qwen2.5-7b", fingerprint: "llama", displayName: "Qwen2.5 7B", modality: "TEXT", family: "qwen", version: "2.5",
    capabilities: { maxTokens: 32768 },
    aliases: ["Qwen/Qwen2.5-7B", "Qwen/Qwen2.5-7B-Instruct"],
  },
  {
    id: "tinyllama-1.1b", fingerprint: "llama", displayName: "TinyLlama 1.1B", modality: "TEXT", family: "llama", version: "1.1",
    capabilities: { maxTokens: 2048 },
    aliases: ["TinyLlama/TinyLlama-1.1B-Chat-v1.0", "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T"],
  },
];

export function fingerprintOf(entry: Pick<CatalogueEntry, "fingerprint">): ArchitectureFingerprint | null {
  return ARCHITECTURES.find((fingerprint) => fingerprint.id === entry.fingerprint) ?? null;
}

export function normaliseAlias(name: string): string {
  return name.trim().toLowerCase();
}
