import { layerShapes, LAYER_NAMES, type LayerName, type Linear, type Model, type ModelSpec } from "./model.js";

/* The base model as named tensors, the layout of its safetensors file: "<layer>.weight" [out, in] and "<layer>.bias" [out]. */

export type TensorName = `${LayerName}.${"weight" | "bias"}`;

export interface ModelTensor {
  name: TensorName;
  shape: number[];
  data: Float32Array;
}

/** fc1.weight, fc1.bias, fc2.weight, … in layer order; the data are the model's own arrays, not copies. */
export function modelTensors(model: Model): ModelTensor[] {
  return LAYER_NAMES.flatMap((name) => {
    const layer = model.layers[name];
    return [
      { name: `${name}.weight` as const, shape: [layer.out, layer.in], data: layer.weight },
      { name: `${name}.bias` as const, shape: [layer.out], data: layer.bias },
    ];
  });
}

/** A model of the spec from exactly its six tensors, each of the spec's shape; throws a RangeError naming what is wrong. */
export function modelFromTensors(spec: ModelSpec, tensors: readonly { name: string; shape: readonly number[]; data: Float32Array }[]): Model {
  const byName = new Map<string, (typeof tensors)[number]>();
  for (const tensor of tensors) {
    if (byName.has(tensor.name)) throw new RangeError(`tensor "${tensor.name}" appears twice`);
    byName.set(tensor.name, tensor);
  }
  const expected = new Set(LAYER_NAMES.flatMap((name) => [`${name}.weight`, `${name}.bias`]));
  const unexpected = [...byName.keys()].filter((name) => !expected.has(name));
  if (unexpected.length > 0) throw new RangeError(`unexpected tensors for ${spec.id}: ${unexpected.join(", ")}; expected ${[...expected].join(", ")}`);
  const shapes = layerShapes(spec);
  const layer = (name: LayerName): Linear => {
    const { in: inputs, out } = shapes[name];
    return {
      weight: tensorData(byName, spec, `${name}.weight`, [out, inputs]),
      bias: tensorData(byName, spec, `${name}.bias`, [out]),
      in: inputs,
      out,
    };
  };
  return { spec, layers: { fc1: layer("fc1"), fc2: layer("fc2"), head: layer("head") } };
}

function tensorData(
  byName: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>,
  spec: ModelSpec,
  name: TensorName,
  shape: readonly number[],
): Float32Array {
  const tensor = byName.get(name);
  if (!tensor) throw new RangeError(`tensor "${name}" is missing for ${spec.id}`);
  if (tensor.shape.length !== shape.length || tensor.shape.some((size, axis) => size !== shape[axis])) {
    throw new RangeError(`tensor "${name}" has shape [${tensor.shape.join(", ")}], ${spec.id} needs [${shape.join(", ")}]`);
  }
  const size = shape.reduce((product, length) => product * length, 1);
  if (tensor.data.length !== size) throw new RangeError(`tensor "${name}" has ${tensor.data.length} values, its shape [${shape.join(", ")}] needs ${size}`);
  return tensor.data;
}
