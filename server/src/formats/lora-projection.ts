import { FormatError, quoteName } from "./errors.js";
import { pairFactors } from "./lora.js";
import type { SafetensorsHeader, TensorInfo } from "./safetensors.js";

/*
 * A LoRA's weight-space signature: per module, a two-sided random sketch of its update
 * ΔW = scale · B · A ([out × in]), S = L · ΔW · R with L [K × out] and R [in × K] random ±1/√K
 * (Rademacher). E[Lᵀ L] = I and E[R Rᵀ] = I, so ⟨S_x, S_y⟩ estimates ⟨ΔW_x, ΔW_y⟩ (Frobenius) and the
 * cosine of two signatures estimates the cosine of the updates. ΔW is never formed: S = (L · B) · (A · R)
 * costs K·r·(out + in + K) multiply-adds, and L and R are never stored either: each entry is a hash of
 * (module shape, side, row, column), so every adapter with a module of one shape meets the same L and R.
 *
 * A signature is one block per module, in sorted module order: the module name's 24-bit hash (exact as
 * a float32), then the K² sketch values. Comparing two signatures pairs blocks by that hash, so the
 * cosine runs over the modules both adapters have.
 */

export const SKETCH_SIDE = 16;
export const SIGNATURE_BLOCK = 1 + SKETCH_SIDE * SKETCH_SIDE;

export interface ProjectionModule {
  name: string;
  rank: number;
  out: number;
  in: number;
  /** A / lora_down: [rank, in, ...] */
  down: TensorInfo;
  /** B / lora_up: [out, rank, ...] */
  up: TensorInfo;
  /** kohya's per-module `.alpha` scalar, when the file has one */
  alpha: TensorInfo | null;
}

/** The LoRA modules of a safetensors file, sorted by name, with their factors' shapes flattened to matrices. */
export function projectionModules(header: SafetensorsHeader): ProjectionModule[] {
  const byName = new Map(header.tensors.map((tensor) => [tensor.name, tensor]));
  return pairFactors(header.tensors)
    .pairs.map(({ module, down, up, rank, in: inputs, out }) => ({
      name: module,
      rank,
      out,
      in: inputs,
      down,
      up,
      alpha: byName.get(`${module}.alpha`) ?? null,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Factors over this many bytes are not read for a signature: a LoRA's are at most tens of megabytes, and sketching more would take minutes. */
export const MAX_SIGNATURE_FACTOR_BYTES = 128 * 1024 * 1024;

/** The first tensor (factor or kohya alpha) of `modules` over `maxBytes`, which a signature refuses to read; null when none is. */
export function oversizedFactor(modules: readonly ProjectionModule[], maxBytes = MAX_SIGNATURE_FACTOR_BYTES): TensorInfo | null {
  for (const { down, up, alpha } of modules) {
    const tensor = [down, up, alpha].find((candidate) => candidate !== null && byteLength(candidate) > maxBytes);
    if (tensor) return tensor;
  }
  return null;
}

export function byteLength({ dataOffsets: [start, end] }: TensorInfo): number {
  return end - start;
}

/** A tensor's little-endian values as float32; F32, F16, BF16 and F64 are the dtypes LoRA weights come in. */
export function decodeFloats(tensor: Pick<TensorInfo, "name" | "dtype">, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = { F32: 4, F16: 2, BF16: 2, F64: 8 }[tensor.dtype];
  if (width === undefined) throw new FormatError(`tensor ${quoteName(tensor.name)} is ${tensor.dtype}; a weight-space signature needs F32, F16, BF16 or F64 weights`);
  const values = new Float32Array(bytes.byteLength / width);
  for (let i = 0; i < values.length; i++) {
    const offset = i * width;
    if (tensor.dtype === "F32") values[i] = view.getFloat32(offset, true);
    else if (tensor.dtype === "F64") values[i] = view.getFloat64(offset, true);
    else if (tensor.dtype === "BF16") values[i] = bfloat16(view.getUint16(offset, true));
    else values[i] = float16(view.getUint16(offset, true));
  }
  return values;
}

function bfloat16(bits: number): number {
  const scratch = new DataView(new ArrayBuffer(4));
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** murmur3's finaliser: a well-mixed 32-bit value. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}

/** The 24-bit hash that names a module's block in a signature; below 2²⁴, so a float32 holds it exactly. */
export function moduleKey(name: string): number {
  return hashText(name) & 0xffffff;
}

/** Entry (row, column) of a projection, ±1/√K, fixed by its seed. */
function projectionEntry(seed: number, row: number, column: number): number {
  return mix(seed ^ mix(Math.imul(row, 0x9e3779b1) ^ column)) & 1 ? 1 / Math.sqrt(SKETCH_SIDE) : -1 / Math.sqrt(SKETCH_SIDE);
}

export interface LoraFactors {
  rank: number;
  out: number;
  in: number;
  /** [rank × in] row-major */
  a: Float32Array;
  /** [out × rank] row-major */
  b: Float32Array;
  scale: number;
}

/** S = L · (scale · B · A) · R, [K × K] row-major, computed as (L · B) · (A · R). */
export function sketchUpdate({ rank, out, in: inputs, a, b, scale }: LoraFactors): Float32Array {
  if (a.length !== rank * inputs || b.length !== out * rank) throw new RangeError(`factors of ${a.length} and ${b.length} values do not make a rank-${rank} [${out} × ${inputs}] update`);
  const k = SKETCH_SIDE;
  const leftSeed = hashText(`left:${out}x${inputs}`);
  const rightSeed = hashText(`right:${out}x${inputs}`);
  const ar = new Float64Array(rank * k);
  const projectionRow = new Float64Array(k);
  for (let column = 0; column < inputs; column++) {
    for (let j = 0; j < k; j++) projectionRow[j] = projectionEntry(rightSeed, column, j);
    for (let p = 0; p < rank; p++) {
      const value = a[p * inputs + column]!;
      if (value !== 0) for (let j = 0; j < k; j++) ar[p * k + j]! += value * projectionRow[j]!;
    }
  }
  const lb = new Float64Array(k * rank);
  for (let row = 0; row < out; row++) {
    for (let i = 0; i < k; i++) projectionRow[i] = projectionEntry(leftSeed, i, row);
    for (let p = 0; p < rank; p++) {
      const value = b[row * rank + p]!;
      if (value !== 0) for (let i = 0; i < k; i++) lb[i * rank + p]! += projectionRow[i]! * value;
    }
  }
  const sketch = new Float32Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let p = 0; p < rank; p++) sum += lb[i * rank + p]! * ar[p * k + j]!;
      sketch[i * k + j] = scale * sum;
    }
  }
  return sketch;
}

/** Concatenates named module sketches into a signature, in sorted module order. */
export function assembleSignature(modules: readonly { name: string; sketch: Float32Array }[]): Float32Array {
  const sorted = [...modules].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const signature = new Float32Array(sorted.length * SIGNATURE_BLOCK);
  sorted.forEach(({ name, sketch }, index) => {
    signature[index * SIGNATURE_BLOCK] = moduleKey(name);
    signature.set(sketch, index * SIGNATURE_BLOCK + 1);
  });
  return signature;
}

/**
 * The cosine of two signatures over the modules both have; null when they share none, or when either
 * update is zero on all of them.
 */
export function signatureCosine(x: Float32Array, y: Float32Array): { cosine: number; sharedModules: number } | null {
  const blocksOfX = new Map<number, number>();
  for (let offset = 0; offset + SIGNATURE_BLOCK <= x.length; offset += SIGNATURE_BLOCK) blocksOfX.set(x[offset]!, offset);
  let dot = 0;
  let normX = 0;
  let normY = 0;
  let sharedModules = 0;
  for (let offsetY = 0; offsetY + SIGNATURE_BLOCK <= y.length; offsetY += SIGNATURE_BLOCK) {
    const offsetX = blocksOfX.get(y[offsetY]!);
    if (offsetX === undefined) continue;
    sharedModules++;
    for (let i = 1; i < SIGNATURE_BLOCK; i++) {
      const a = x[offsetX + i]!;
      const b = y[offsetY + i]!;
      dot += a * b;
      normX += a * a;
      normY += b * b;
    }
  }
  if (sharedModules === 0 || normX === 0 || normY === 0) return null;
  return { cosine: Math.max(-1, Math.min(1, dot / Math.sqrt(normX * normY))), sharedModules };
}
