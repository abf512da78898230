import { encodeSafetensors, float32Bytes, type TensorData } from "../formats/safetensors.js";
import type { LoraConfig, Lora } from "../ml/lora.js";
import { LAYER_NAMES } from "../ml/model.js";

export interface PeftAdapterFiles {
  /** adapter_model.safetensors */
  weights: Uint8Array;
  /** adapter_config.json */
  config: string;
}

export interface PeftAdapterOptions {
  config: LoraConfig;
  /** the base model's id, written as base_model_name_or_path */
  baseModel: string;
  dropout: number;
}


/** A trained LoRA as the two files PEFT writes, with PEFT's key names and config fields. */
export function encodePeftAdapter(lora: Lora, { config, baseModel, dropout }: PeftAdapterOptions): PeftAdapterFiles {
  const tensors: TensorData[] = LAYER_NAMES.flatMap((name) => {
    const module = lora[name];
    if (!module) return [];
    const prefix = `base_model.model.${name}`;
    return [
      { name: `${prefix}.lora_A.weight`, dtype: "F32", shape: [module.rank, module.in], data: float32Bytes(module.a) },
      { name: `${prefix}.lora_B.weight`, dtype: "F32", shape: [module.out, module.rank], data: float32Bytes(module.b) },
    ];
  });
  const adapterConfig = {
    peft_type: "LORA",
    task_type: null,
    base_model_name_or_path: baseModel,
    r: config.rank,
    lora_alpha: config.alpha,
    lora_dropout: dropout,
    use_rslora: config.rsLora,
    target_modules: LAYER_NAMES.filter((name) => lora[name]),
    bias: "none",
    fan_in_fan_out: false,
    inference_mode: true,
  };
  return { weights: encodeSafetensors(tensors, { format: "pt" }), config: `${JSON.stringify(adapterConfig, null, 2)}\n` };
}
