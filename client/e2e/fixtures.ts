import { encodeSafetensors, type TensorData } from "../../server/src/formats/safetensors";

const RANK = 4;
const WIDTH = 16;

/** A float32 tensor of the given shape with small, varied values. */
function f32(name: string, shape: number[], seed: number): TensorData {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(seed * 31 + i) / 10);
  return { name, dtype: "F32", shape, data: new Uint8Array(values.buffer) };
}

function file(content: Uint8Array | string, name: string): File {
  return new File([typeof content === "string" ? content : content.slice()], name);
}

/** A PEFT adapter (adapter_config.json + adapter_model.safetensors) for TinyLlama, rank 4, alpha 8. */
export function peftAdapterFiles(seed: number): File[] {
  const module = "base_model.model.model.layers.0.self_attn.q_proj";
  const weights = encodeSafetensors([f32(`${module}.lora_A.weight`, [RANK, WIDTH], seed), f32(`${module}.lora_B.weight`, [WIDTH, RANK], seed + 1)]);
  const config = {
    peft_type: "LORA",
    r: RANK,
    lora_alpha: 8,
    target_modules: ["q_proj"],
    base_model_name_or_path: "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
  };
  return [file(JSON.stringify(config), "adapter_config.json"), file(weights, "adapter_model.safetensors")];
}

/** A kohya LoRA for Stable Diffusion 1.5 with training metadata in its ss_* keys. */
export function kohyaAdapterFile(seed: number): File[] {
  const module = "lora_unet_down_blocks_0_attentions_0_proj_in";
  const weights = encodeSafetensors(
    [f32(`${module}.lora_down.weight`, [RANK, WIDTH], seed), f32(`${module}.lora_up.weight`, [WIDTH, RANK], seed + 1), f32(`${module}.alpha`, [], seed + 2)],
    {
      ss_base_model_version: "sd_v1",
      ss_network_dim: String(RANK),
      ss_network_alpha: "2",
      ss_network_module: "networks.lora",
      ss_learning_rate: "0.0001",
      ss_unet_lr: "0.0001",
      ss_text_encoder_lr: "5e-05",
      ss_lr_scheduler: "cosine",
      ss_optimizer: "AdamW8bit",
      ss_num_epochs: "10",
      ss_seed: "42",
      ss_resolution: "(512, 512)",
      ss_mixed_precision: "fp16",
    },
  );
  return [file(weights, "piano_mood.safetensors")];
}
