import type { Lora } from "./lora.js";
import type { Matrix } from "./matrix.js";
import { VOCAB_SIZE } from "./melody.js";
import { LAYER_NAMES, type DropoutMasks, type LayerName, type Model } from "./model.js";
import {
  BATCH_DIM,
  DataType,
  encodeModel,
  floatTensor,
  forwardGraph,
  gemm,
  inputFeed,
  INPUT_NAME,
  intAttribute,
  loraInputNames,
  loraRankDim,
  moduleFeeds,
  node,
  OUTPUT_NAME,
  valueInfo,
  type GraphFeed,
  type LayerLoraInputs,
  type LayerValues,
  type NodeProto,
} from "./onnx-graph.js";

/*
 * One LoRA training step of the "tunes" model as an ONNX graph (opset 13): forward, mean cross-entropy and the gradients
 * of every LoRA A and B, the backward written out as ONNX ops (onnxruntime-node has no training API). The optimizer stays
 * in TypeScript (applyLoraGradients in train.ts); ml/train.ts's backward is the reference this graph is tested against.
 *
 * Inputs
 *   X                              [batch, in]   float   the encoded inputs (encodeInputs)
 *   targets                        [batch]       int32   the next tokens
 *   per target module <layer>:
 *     <layer>.lora_A                [R, in]       float   A as trained (PEFT's lora_A)
 *     <layer>.lora_B                [out, R]      float   B as trained, unscaled: the module's scale is built into the graph
 *     <layer>.lora_dropout_mask     [batch, in]   float   only with dropout: 0 or 1 / (1 − rate) per element, drawn in TypeScript
 * Outputs
 *   loss                           []            float   mean over the batch of −log softmax(logits)[target]
 *   <layer>.lora_A.grad            [R, in]       float   d loss / d A
 *   <layer>.lora_B.grad            [out, R]      float   d loss / d B
 *
 * Backward, from g = d loss / d logits = (softmax − onehot(target)) / batch down to the lowest target module, per layer
 * with output gradient g, LoRA input x̃ (after dropout) and hidden u = A x̃:
 *   dB = scale · gᵀ u      du = g · B      dA = scale · duᵀ x̃
 *   dx = g · W + scale · mask ⊙ (du · A)      and through the relu below: g_below = dx ⊙ sign(relu output below)
 */

export const TARGETS_NAME = "targets";
export const LOSS_NAME = "loss";

export function gradientNames(layer: LayerName): { a: string; b: string } {
  const names = loraInputNames(layer);
  return { a: `${names.a}.grad`, b: `${names.b}.grad` };
}

export function dropoutMaskName(layer: LayerName): string {
  return `${layer}.lora_dropout_mask`;
}

/**
 * The ModelProto bytes of one training step of the LoRA's modules (each module's scale is built in; ranks stay dynamic),
 * with dropout mask inputs when asked; see the comment above for the contract.
 */
export function buildTrainingGraph(model: Model, lora: Lora, dropout: boolean): Uint8Array {
  const targets = LAYER_NAMES.filter((name) => lora[name]);
  if (targets.length === 0) throw new RangeError("a training graph needs a LoRA with at least one module");
  const masks = (name: LayerName) => (dropout ? dropoutMaskName(name) : undefined);
  const layerLora = (name: LayerName) => {
    const module = lora[name];
    return module && { ...loraInputNames(name), scale: module.scale, mask: masks(name) };
  };
  const forward = forwardGraph(model, layerLora);
  const input = [valueInfo(INPUT_NAME, [BATCH_DIM, model.layers.fc1.in]), valueInfo(TARGETS_NAME, [BATCH_DIM], DataType.INT32)];
  const output = [valueInfo(LOSS_NAME, [])];
  for (const name of targets) {
    const { in: inputs, out } = model.layers[name];
    const [names, gradients] = [loraInputNames(name), gradientNames(name)];
    input.push(valueInfo(names.a, [loraRankDim(name), inputs]), valueInfo(names.b, [out, loraRankDim(name)]));
    if (dropout) input.push(valueInfo(dropoutMaskName(name), [BATCH_DIM, inputs]));
    output.push(valueInfo(gradients.a, [loraRankDim(name), inputs]), valueInfo(gradients.b, [out, loraRankDim(name)]));
  }
  return encodeModel(`lora-studio ${model.spec.id} training step`, {
    input,
    output,
    initializer: [...forward.initializers, floatTensor("onehot.depth", [], [VOCAB_SIZE]), floatTensor("onehot.values", [2], [0, 1])],
    node: [...forward.nodes, ...lossNodes(), ...backwardNodes(forward.layers, targets, layerLora)],
  });
}

const gradientOf = (value: string): string => `${value}.grad`;

/** The mean cross-entropy and its gradient with respect to the logits, (softmax − onehot(target)) / batch. */
function lossNodes(): NodeProto[] {
  return [
    node("SoftmaxCrossEntropyLoss", [OUTPUT_NAME, TARGETS_NAME], [LOSS_NAME, "log_probabilities"]),
    node("Exp", ["log_probabilities"], "probabilities"),
    node("OneHot", [TARGETS_NAME, "onehot.depth", "onehot.values"], "onehot"),
    node("Shape", [TARGETS_NAME], "batch_size.int"),
    node("Cast", ["batch_size.int"], "batch_size", [intAttribute("to", DataType.FLOAT)]),
    node("Sub", ["probabilities", "onehot"], "probabilities.minus_onehot"),
    node("Div", ["probabilities.minus_onehot", "batch_size"], gradientOf(OUTPUT_NAME)),
  ];
}

/** The backward from the logits' gradient down to the lowest target module; see the comment above. */
function backwardNodes(layers: Record<LayerName, LayerValues>, targets: readonly LayerName[], layerLora: (name: LayerName) => LayerLoraInputs | undefined): NodeProto[] {
  const lowest = LAYER_NAMES.indexOf(targets[0]!);
  const nodes: NodeProto[] = [];
  for (let index = LAYER_NAMES.length - 1; index >= lowest; index -= 1) {
    const name = LAYER_NAMES[index]!;
    const lora = layerLora(name);
    const outputGradient = gradientOf(layers[name].output);
    if (lora) nodes.push(...loraGradientNodes(lora, layers[name], outputGradient, gradientNames(name)));
    if (index > lowest) nodes.push(...inputGradientNodes(name, layers, outputGradient, lora));
  }
  return nodes;
}

/** dB = scale · gᵀ u, du = g · B, dA = scale · duᵀ x̃. */
function loraGradientNodes(lora: LayerLoraInputs, values: LayerValues, outputGradient: string, gradients: { a: string; b: string }): NodeProto[] {
  return [
    gemm(gradients.b, [outputGradient, values.loraHidden], { transA: true, alpha: lora.scale }),
    node("MatMul", [outputGradient, lora.b], gradientOf(values.loraHidden)),
    gemm(gradients.a, [gradientOf(values.loraHidden), values.loraInput], { transA: true, alpha: lora.scale }),
  ];
}

/** dx = g · W (+ scale · mask ⊙ (du · A) through a LoRA), then through the relu of the layer below. */
function inputGradientNodes(name: LayerName, layers: Record<LayerName, LayerValues>, outputGradient: string, lora: LayerLoraInputs | undefined): NodeProto[] {
  const { input, loraHidden } = layers[name];
  const below = layers[LAYER_NAMES[LAYER_NAMES.indexOf(name) - 1]!];
  const base = lora ? `${gradientOf(input)}.base` : gradientOf(input);
  const nodes = [node("MatMul", [outputGradient, `${name}.weight`], base)];
  if (lora) {
    const throughLora = `${gradientOf(input)}.lora`;
    const unmasked = lora.mask ? `${throughLora}.unmasked` : throughLora;
    nodes.push(gemm(unmasked, [gradientOf(loraHidden), lora.a], { alpha: lora.scale }));
    if (lora.mask) nodes.push(node("Mul", [unmasked, lora.mask], throughLora));
    nodes.push(node("Add", [base, throughLora], gradientOf(input)));
  }
  nodes.push(node("Sign", [input], `${input}.sign`), node("Mul", [gradientOf(input), `${input}.sign`], gradientOf(below.output)));
  return nodes;
}

/**
 * The float feeds of one step (X, then per target module A, B as trained and its mask); the targets go in as an int32
 * tensor of batch.targets under TARGETS_NAME.
 */
export function trainingFeeds(model: Model, lora: Lora, inputs: Matrix, masks: DropoutMasks): GraphFeed[] {
  return [
    inputFeed(inputs),
    ...LAYER_NAMES.flatMap((name) => {
      const module = lora[name];
      if (!module) return [];
      const mask = masks[name];
      const feeds = moduleFeeds(name, module, model.layers[name], 1);
      return mask ? [...feeds, { name: dropoutMaskName(name), data: mask, dims: [inputs.rows, module.in] }] : feeds;
    }),
  ];
}
