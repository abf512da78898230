import { parseSafetensorsHeader, readHeaderLength } from "../formats/safetensors.js";

export interface Float32Tensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Every tensor of a safetensors file, each copied onto an aligned buffer of its own; `what` names the file in errors. */
export function float32Tensors(file: Uint8Array, what: string): Float32Tensor[] {
  const headerLength = readHeaderLength(file.subarray(0, 8), file.length);
  const header = parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
  return header.tensors.map(({ name, dtype, shape, dataOffsets: [start, end] }) => {
    if (dtype !== "F32") throw new Error(`${what}: tensor "${name}" is ${dtype}, expected F32`);
    const bytes = new Uint8Array(end - start);
    bytes.set(file.subarray(header.dataStart + start, header.dataStart + end));
    return { name, shape, data: new Float32Array(bytes.buffer) };
  });
}
