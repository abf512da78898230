import { parsePeftConfig } from "../formats/peft.js";
import { loraScale, type Lora, type LoraModule } from "../ml/lora.js";
import { LAYER_NAMES, type LayerName, type Model } from "../ml/model.js";
import { float32Tensors, type Float32Tensor } from "./float32-tensors.js";

/*
 * A PEFT LoRA adapter of a "tunes" model, read back for inference: the weights' keys are
 * base_model.model.<layer>.lora_A.weight [r, in] and .lora_B.weight [out, r] (trainer/peft-adapter.ts writes them),
 * and each module's scale is alpha / r (alpha / sqrt(r) with rsLoRA), r being that module's own rank.
 */

export interface LoraScaling {
  alpha: number;
  rsLora: boolean;
}

const KEY = /^base_model\.model\.([^.]+)\.lora_(A|B)(?:\.[^.]+)?\.weight$/;

/** lora_alpha and use_rslora from adapter_config.json. */
export function peftScaling(configText: string): LoraScaling {
  const config = parsePeftConfig(configText);
  return { alpha: config.lora_alpha, rsLora: config.use_rslora ?? false };
}

/** The adapter's modules, each checked against its layer of `model`; throws, naming the tensor, when one does not fit. */
export function peftLora(model: Model, weights: Uint8Array, scaling: LoraScaling, what = "the adapter"): Lora {
  const factors = new Map<LayerName, { a?: Float32Tensor; b?: Float32Tensor }>();
  for (const tensor of float32Tensors(weights, what)) {
    const match = KEY.exec(tensor.name);
    const layer = LAYER_NAMES.find((name) => name === match?.[1]);
    if (!match || !layer) throw new Error(`${what}: tensor "${tensor.name}" is not a LoRA factor of ${model.spec.id}'s layers ${LAYER_NAMES.join(", ")}`);
    const pair = factors.get(layer) ?? {};
    pair[match[2] === "A" ? "a" : "b"] = tensor;
    factors.set(layer, pair);
  }
  if (factors.size === 0) throw new Error(`${what} holds no LoRA factors`);
  const lora: Lora = {};
  for (const [layer, { a, b }] of factors) lora[layer] = loraModule(model, layer, a, b, scaling, what);
  return lora;
}

function loraModule(model: Model, layer: LayerName, a: Float32Tensor | undefined, b: Float32Tensor | undefined, scaling: LoraScaling, what: string): LoraModule {
  if (!a || !b) throw new Error(`${what}: ${layer} has lora_${a ? "A" : "B"} without lora_${a ? "B" : "A"}`);
  const { in: inputs, out } = model.layers[layer];
  const rank = a.shape[0] ?? 0;
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== inputs || b.shape[0] !== out || b.shape[1] !== rank || rank < 1) {
    throw new Error(`${what}: ${layer} has lora_A [${a.shape.join(", ")}] and lora_B [${b.shape.join(", ")}]; ${model.spec.id} needs [r, ${inputs}] and [${out}, r]`);
  }
  if (!a.data.every(Number.isFinite) || !b.data.every(Number.isFinite)) throw new Error(`${what}: ${layer} holds values that are not finite numbers`);
  return { rank, in: inputs, out, a: a.data, b: b.data, scale: loraScale({ rank, ...scaling }) };
}
