import onnxProto from "onnx-proto";
import type { Lora } from "./lora.js";
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
 * Pure: this builds protobuf bytes and does no I/O; the runtime lives in the inference worker.
 */

export const INPUT_NAME = "X";
export const OUTPUT_NAME = "logits";
/** The dynamic batch dimension of X and the logits. */
export const BATCH_DIM = "batch";

export function loraInputNames(layer: LayerName): { a: string; b: string } {
  return { a: `${layer}.lora_A`, b: `${layer}.lora_B` };
}

/** The dynamic rank dimension of a layer's LoRA inputs. */
export function loraRankDim(layer: LayerName): string {
  return `${layer}.rank`;
}

/** The ModelProto bytes of the model's forward pass with LoRA inputs; see the comment above for the contract. */
export function buildInferenceGraph(model: Model): Uint8Array {
  const initializer: InstanceType<typeof onnx.TensorProto>[] = [];
  const node: InstanceType<typeof onnx.NodeProto>[] = [];
  const input = [floatInput(INPUT_NAME, [BATCH_DIM, model.layers.fc1.in])];
  let current = INPUT_NAME;
  for (const name of LAYER_NAMES) {
    const layer = model.layers[name];
    const lora = loraInputNames(name);
    input.push(floatInput(lora.a, [loraRankDim(name), layer.in]), floatInput(lora.b, [layer.out, loraRankDim(name)]));
    initializer.push(floatTensor(`${name}.weight`, [layer.out, layer.in], layer.weight), floatTensor(`${name}.bias`, [layer.out], layer.bias));
    const output = name === "head" ? OUTPUT_NAME : `${name}.out`;
    node.push(
      gemm(`${name}.base`, [current, `${name}.weight`, `${name}.bias`]),
      gemm(`${name}.lora_hidden`, [current, lora.a]),
      gemm(`${name}.lora_delta`, [`${name}.lora_hidden`, lora.b]),
      new onnx.NodeProto({ name: `${name}.add`, opType: "Add", input: [`${name}.base`, `${name}.lora_delta`], output: [output] }),
    );
    current = output;
    if (name !== "head") {
      node.push(new onnx.NodeProto({ name: `${name}.relu`, opType: "Relu", input: [output], output: [`${name}.act`] }));
      current = `${name}.act`;
    }
  }
  const graph = new onnx.GraphProto({
    name: `lora-studio ${model.spec.id}`,
    input,
    output: [floatInput(OUTPUT_NAME, [BATCH_DIM, model.layers.head.out])],
    initializer,
    node,
  });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "lora-studio",
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** One graph input's float32 data and dims, ready for `new ort.Tensor("float32", data, dims)`. */
export interface GraphFeed {
  name: string;
  data: Float32Array;
  dims: number[];
}

/**
 * The six LoRA feeds for a LoRA (for several adapters, the result of combineAdapters): B scaled by the
 * module's scale, and R = 0 empty tensors for a layer without a module (so `{}` is the base model).
 */
export function loraInputs(model: Model, lora: Lora): GraphFeed[] {
  return LAYER_NAMES.flatMap((name) => {
    const layer = model.layers[name];
    const module = lora[name];
    const names = loraInputNames(name);
    if (!module) {
      return [
        { name: names.a, data: new Float32Array(0), dims: [0, layer.in] },
        { name: names.b, data: new Float32Array(0), dims: [layer.out, 0] },
      ];
    }
    assertFits(name, module, layer);
    const b = module.scale === 1 ? module.b : module.b.map((value) => value * module.scale);
    return [
      { name: names.a, data: module.a, dims: [module.rank, module.in] },
      { name: names.b, data: b, dims: [module.out, module.rank] },
    ];
  });
}

function assertFits(name: LayerName, module: { rank: number; in: number; out: number; a: Float32Array; b: Float32Array }, layer: Linear): void {
  if (module.in !== layer.in || module.out !== layer.out) {
    throw new RangeError(`the ${name} LoRA module of shape ${module.out}×${module.in} does not fit a layer of shape ${layer.out}×${layer.in}`);
  }
  if (module.a.length !== module.rank * module.in || module.b.length !== module.out * module.rank) {
    throw new RangeError(`the ${name} LoRA module's A or B does not match its rank ${module.rank}`);
  }
}

/** Y = A · Bᵀ (+ C): both the base layer (B = W [out × in]) and the LoRA factors use PyTorch's layout as is. */
function gemm(output: string, input: string[]): InstanceType<typeof onnx.NodeProto> {
  return new onnx.NodeProto({
    name: output,
    opType: "Gemm",
    input,
    output: [output],
    attribute: [{ name: "transB", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
  });
}

function floatInput(name: string, dims: (number | string)[]): InstanceType<typeof onnx.ValueInfoProto> {
  return new onnx.ValueInfoProto({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((dim) => (typeof dim === "number" ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  });
}

/** An initializer as little-endian raw bytes (copied, so later edits of the model do not reach the graph). */
function floatTensor(name: string, dims: number[], values: Float32Array): InstanceType<typeof onnx.TensorProto> {
  const rawData = new Uint8Array(Float32Array.from(values).buffer);
  return new onnx.TensorProto({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData });
}
