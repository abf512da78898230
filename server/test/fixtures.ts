import { createHash } from "node:crypto";
import { encodeSafetensors, type TensorData } from "../src/formats/safetensors.js";
import { TEST_HEADERS } from "./test-key.js";

/** Real, small LoRA files in the formats users bring: PEFT, kohya, and other trainers. */

function f32(shape: number[], seed: number): TensorData["data"] {
  const count = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: count }, (_, i) => Math.sin(seed * 997 + i) * 0.01);
  return new Uint8Array(values.buffer);
}

function tensor(name: string, shape: number[], seed = 1): TensorData {
  return { name, dtype: "F32", shape, data: f32(shape, seed) };
}

export interface PeftOptions {
  rank?: number;
  alpha?: number;
  modules?: string[];
  baseModel?: string | null;
  seed?: number;
  hidden?: number;
}

export function peftAdapter({ rank = 4, alpha = 8, modules = ["q_proj", "v_proj"], baseModel = "TinyLlama/TinyLlama-1.1B-Chat-v1.0", seed = 1, hidden = 16 }: PeftOptions = {}) {
  const tensors = modules.flatMap((module) => {
    const prefix = `base_model.model.model.layers.0.self_attn.${module}`;
    return [tensor(`${prefix}.lora_A.weight`, [rank, hidden], seed), tensor(`${prefix}.lora_B.weight`, [hidden, rank], seed + 1)];
  });
  const config = {
    peft_type: "LORA", r: rank, lora_alpha: alpha, target_modules: modules, base_model_name_or_path: baseModel,
    lora_dropout: 0.05, bias: "none", task_type: "CAUSAL_LM",
  };
  return { weights: encodeSafetensors(tensors), config: JSON.stringify(config, null, 2) };
}

export interface KohyaOptions {
  rank?: number;
  networkAlpha?: string;
  baseModelVersion?: string;
  seed?: number;
  /** input and output width of the UNet module */
  width?: number;
  /** more `__metadata__` strings, such as ss_tag_frequency */
  metadata?: Record<string, string>;
}

export function kohyaAdapter({ rank = 8, networkAlpha, baseModelVersion = "sd_v1", seed = 3, width = 32, metadata: extra = {} }: KohyaOptions = {}): Uint8Array {
  const module = "lora_unet_down_blocks_0_attentions_0_proj_in";
  const te = "lora_te_text_model_encoder_layers_0_self_attn_q_proj";
  const metadata: Record<string, string> = {
    ss_base_model_version: baseModelVersion, ss_network_dim: String(rank), ss_network_module: "networks.lora",
    ss_learning_rate: "0.0001", ss_num_epochs: "10", ss_seed: "42", ss_sd_model_name: "None", ...extra,
  };
  if (networkAlpha !== undefined) metadata.ss_network_alpha = networkAlpha;
  return encodeSafetensors([
    tensor(`${module}.lora_down.weight`, [rank, width], seed),
    tensor(`${module}.lora_up.weight`, [width, rank], seed + 1),
    tensor(`${module}.alpha`, [], seed + 2),
    tensor(`${te}.lora_down.weight`, [rank, 24], seed + 3),
    tensor(`${te}.lora_up.weight`, [24, rank], seed + 4),
  ], metadata);
}

/** diffusers-style keys, with kohya metadata that must not make it KOHYA */
export function diffusersAdapter(): Uint8Array {
  const prefix = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora";
  return encodeSafetensors([tensor(`${prefix}.down.weight`, [4, 32]), tensor(`${prefix}.up.weight`, [32, 4])], { ss_base_model_version: "sdxl_base_v1-0" });
}

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface UploadPart {
  name: string;
  data: Uint8Array | string;
}

/** A GraphQL multipart request (jaydenseric's spec) for uploadAdapter. */
export function uploadRequestBody(parts: UploadPart[], input: Record<string, unknown>): FormData {
  const query = `mutation Upload($files: [File!]!, $input: UploadAdapterInput!) {
    uploadAdapter(files: $files, input: $input) {
      __typename
      ... on Error { message code }
      ... on ConflictError { suggestedVersion }
      ... on UploadAdapterSuccess { adapter { id name version format rank alpha sha256 sizeBytes targetModules tensorCount warnings baseModel { id discovered } } }
    }
  }`;
  const form = new FormData();
  form.set("operations", JSON.stringify({ query, variables: { files: parts.map(() => null), input } }));
  form.set("map", JSON.stringify(Object.fromEntries(parts.map((_, i) => [String(i), [`variables.files.${i}`]]))));
  parts.forEach((part, i) => form.set(String(i), new Blob([Buffer.from(part.data)]), part.name));
  return form;
}

export async function upload(url: string, parts: UploadPart[], input: Record<string, unknown>) {
  const res = await fetch(`${url}/graphql`, { method: "POST", body: uploadRequestBody(parts, input), headers: TEST_HEADERS });
  return { status: res.status, body: (await res.json()) as any };
}
