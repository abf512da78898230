import onnxProto from "onnx-proto";
import type { Lora, LoraModule } from "./lora.js";
import type { Matrix } from "./matrix.js";
import { LAYER_NAMES, type LayerName, type Linear, type Model } from "./model.js";

const { onnx } = onnxProto;

/*
 * The "tunes" forward pass as an ONNX graph (irVersion 8, opset 13), for onnxruntime-node:
 *   logits = head(relu(fc2(relu(fc1(X)))))
 * Each layer computes Gemm(x, W, bias, transB) + Gemm(Gemm(x, A, transB), B, transB): the base weights are
 * initializers in PyTorch's [out × in] layout, and the LoRA enters as two graph inputs per layer,
 * `<layer>.lora_A` [R, in] and `<layer>.lora_B` [out, R], with a dynamic rank R per layer. Adapters are
 * combined beforehand (combineAdapters: A stacked along the rank axis, B columns scaled by weight · scale),
 * so one to five adapters cost one extra matmul pair per layer and nothing is merged into the base.
 *
 * No adapter on a layer is R = 0: A [0, in] and B [out, 0] (empty data). onnxruntime accepts these
 * zero-size tensors and the LoRA term is exactly zero, so the result is bit-identical to the base model.
 * loraInputs builds these feeds from a Lora.
 *
 * The node and tensor helpers below are shared with the training graph (onnx-train-graph.ts), whose forward part is
 * built by the same forwardGraph. Pure: this builds protobuf bytes and does no I/O; the runtime lives in the workers.
 */

export const INPUT_NAME = "X";
export const OUTPUT_NAME = "logits";
/** The dynamic batch dimension of X and the logits. */
export const BATCH_DIM = "batch";

export type NodeProto = InstanceType<typeof onnx.NodeProto>;
type TensorProto = InstanceType<typeof onnx.TensorProto>;
type ValueInfoProto = InstanceType<typeof onnx.ValueInfoProto>;
type AttributeProto = InstanceType<typeof onnx.AttributeProto>;
export const DataType = onnx.TensorProto.DataType;

export function loraInputNames(layer: LayerName): { a: string; b: string } {
  return { a: `${layer}.lora_A`, b: `${layer}.lora_B` };
}

/** The dynamic rank dimension of a layer's LoRA inputs. */
export function loraRankDim(layer: LayerName): string {
  return `${layer}.rank`;
}

/** How a layer's LoRA enters a graph: its A and B inputs, the factor on B's term, and the input holding its dropout mask, if any. */
export interface LayerLoraInputs {
  a: string;
  b: string;
  scale: number;
  mask?: string;
}

/** The names of one layer's values in a forward graph, for a backward pass to refer to. */
export interface LayerValues {
  input: string;
  /** The input as the LoRA path sees it (after dropout); the input itself without dropout. */
  loraInput: string;
  /** A · loraInput, [batch × R]. */
  loraHidden: string;
  /** W · x + b (+ the LoRA term). */
  output: string;
  /** What the next layer sees: relu(output), or the logits themselves for the head. */
  activation: string;
}

export interface ForwardGraph {
  nodes: NodeProto[];
  initializers: TensorProto[];
  layers: Record<LayerName, LayerValues>;
}

/** The forward nodes from X to the logits, with the base weights as initializers and a LoRA path on each layer `lora` names. */
export function forwardGraph(model: Model, lora: (layer: LayerName) => LayerLoraInputs | undefined): ForwardGraph {
  const graph: ForwardGraph = { nodes: [], initializers: [], layers: {} as Record<LayerName, LayerValues> };
  let current = INPUT_NAME;
  for (const name of LAYER_NAMES) {
    graph.layers[name] = layerNodes(graph, name, model.layers[name], current, lora(name));
    current = graph.layers[name].activation;
  }
  return graph;
}

function layerNodes(graph: ForwardGraph, name: LayerName, layer: Linear, input: string, lora: LayerLoraInputs | undefined): LayerValues {
  graph.initializers.push(floatTensor(`${name}.weight`, [layer.out, layer.in], layer.weight), floatTensor(`${name}.bias`, [layer.out], layer.bias));
  const output = name === "head" ? OUTPUT_NAME : `${name}.out`;
  const values = { input, loraInput: input, loraHidden: `${name}.lora_hidden`, output, activation: name === "head" ? output : `${name}.act` };
  const base = lora ? `${name}.base` : output;
  graph.nodes.push(gemm(base, [input, `${name}.weight`, `${name}.bias`], { transB: true }));
  if (lora) {
    if (lora.mask) {
      values.loraInput = `${name}.lora_input`;
      graph.nodes.push(node("Mul", [input, lora.mask], values.loraInput));
    }
    graph.nodes.push(
      gemm(values.loraHidden, [values.loraInput, lora.a], { transB: true }),
      gemm(`${name}.lora_delta`, [values.loraHidden, lora.b], { transB: true, alpha: lora.scale }),
      node("Add", [base, `${name}.lora_delta`], output),
    );
  }
  if (name !== "head") graph.nodes.push(node("Relu", [output], values.activation));
  return values;
}

/** The ModelProto bytes of the model's forward pass with LoRA inputs; see the comment above for the contract. */
export function buildInferenceGraph(model: Model): Uint8Array {
  const forward = forwardGraph(model, (name) => ({ ...loraInputNames(name), scale: 1 }));
  const input = [valueInfo(INPUT_NAME, [BATCH_DIM, model.layers.fc1.in])];
  for (const name of LAYER_NAMES) {
    const { in: inputs, out } = model.layers[name];
    const lora = loraInputNames(name);
    input.push(valueInfo(lora.a, [loraRankDim(name), inputs]), valueInfo(lora.b, [out, loraRankDim(name)]));
  }
  return encodeModel(`lora-studio ${model.spec.id}`, {
    input,
    output: [valueInfo(OUTPUT_NAME, [BATCH_DIM, model.layers.head.out])],
    initializer: forward.initializers,
    node: forward.nodes,
  });
}

/** A graph as the bytes of an opset-13 ModelProto. */
export function encodeModel(
  name: string,
  graph: { input: ValueInfoProto[]; output: ValueInfoProto[]; initializer: TensorProto[]; node: NodeProto[] },
): Uint8Array {
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "lora-studio",
    graph: new onnx.GraphProto({ name, ...graph }),
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** One graph input's float32 data and dims, ready for `new ort.Tensor("float32", data, dims)`. */
export interface GraphFeed {
  name: string;
  data: Float32Array;
  dims: number[];
}

/** The feed of X: the encoded model inputs as float32. */
export function inputFeed(inputs: Matrix): GraphFeed {
  return { name: INPUT_NAME, data: Float32Array.from(inputs.data), dims: [inputs.rows, inputs.cols] };
}

/**
 * The six LoRA feeds for a LoRA (for several adapters, the result of combineAdapters): B scaled by the
 * module's scale, and R = 0 empty tensors for a layer without a module (so `{}` is the base model).
 */
export function loraInputs(model: Model, lora: Lora): GraphFeed[] {
  return LAYER_NAMES.flatMap((name) => {
    const layer = model.layers[name];
    const module = lora[name];
    if (!module) {
      const names = loraInputNames(name);
      return [
        { name: names.a, data: new Float32Array(0), dims: [0, layer.in] },
        { name: names.b, data: new Float32Array(0), dims: [layer.out, 0] },
      ];
    }
    return moduleFeeds(name, module, layer, module.scale);
  });
}

/** A module's A and B feeds, B times bScale; checks that the module fits the layer. */
export function moduleFeeds(name: LayerName, module: LoraModule, layer: Linear, bScale: number): GraphFeed[] {
  assertFits(name, module, layer);
  const names = loraInputNames(name);
  return [
    { name: names.a, data: module.a, dims: [module.rank, module.in] },
    { name: names.b, data: bScale === 1 ? module.b : module.b.map((value) => value * bScale), dims: [module.out, module.rank] },
  ];
}

function assertFits(name: LayerName, module: LoraModule, layer: Linear): void {
  if (module.in !== layer.in || module.out !== layer.out) {
    throw new RangeError(`the ${name} LoRA module of shape ${module.out}×${module.in} does not fit a layer of shape ${layer.out}×${layer.in}`);
  }
  if (module.a.length !== module.rank * module.in || module.b.length !== module.out * module.rank) {
    throw new RangeError(`the ${name} LoRA module's A or B does not match its rank ${module.rank}`);
  }
}

/** A node, named after its (first) output. */
export function node(opType: string, input: string[], output: string | string[], attribute: AttributeProto[] = []): NodeProto {
  const outputs = typeof output === "string" ? [output] : output;
  return new onnx.NodeProto({ name: outputs[0], opType, input, output: outputs, attribute });
}

/**
 * Y = alpha · A' · B' (+ C), A' = Aᵀ with transA, B' = Bᵀ with transB: with transB both the base layer (B = W [out × in])
 * and the LoRA factors use PyTorch's layout as is.
 */
export function gemm(output: string, input: string[], { transA = false, transB = false, alpha = 1 }: { transA?: boolean; transB?: boolean; alpha?: number }): NodeProto {
  const attribute: AttributeProto[] = [];
  if (transA) attribute.push(intAttribute("transA", 1));
  if (transB) attribute.push(intAttribute("transB", 1));
  if (alpha !== 1) attribute.push(new onnx.AttributeProto({ name: "alpha", type: onnx.AttributeProto.AttributeType.FLOAT, f: alpha }));
  return node("Gemm", input, output, attribute);
}

export function intAttribute(name: string, value: number): AttributeProto {
  return new onnx.AttributeProto({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}

/** A graph input or output of the element type (float unless told) and dims, a string naming a dynamic dimension. */
export function valueInfo(name: string, dims: (number | string)[], elemType: number = DataType.FLOAT): ValueInfoProto {
  return new onnx.ValueInfoProto({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((dim) => (typeof dim === "number" ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  });
}

/** A float initializer as little-endian raw bytes (copied, so later edits of the model do not reach the graph). */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  const rawData = new Uint8Array(Float32Array.from(values).buffer);
  return new onnx.TensorProto({ name, dims, dataType: DataType.FLOAT, rawData });
}
