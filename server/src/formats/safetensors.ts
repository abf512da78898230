import { FormatError, quoteName } from "./errors.js";
import { isJsonObject, parseJson, type JsonObject } from "./json.js";

/** 100 MB, as the reference implementation (huggingface/safetensors) allows */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

const LENGTH_PREFIX_BYTES = 8;
const METADATA_KEY = "__metadata__";
const TENSOR_FIELDS = ["dtype", "shape", "data_offsets"] as const;

export const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  headerLength: number;
  /** Byte offset in the file where tensor data begins (8 + headerLength). */
  dataStart: number;
  /** Sorted by data offset. */
  tensors: TensorInfo[];
  metadata: Record<string, string>;
}

export interface TensorData {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/** Reads the little-endian u64 header length from the first 8 bytes of a file of `fileSize` bytes. */
export function readHeaderLength(first8: Uint8Array, fileSize: number): number {
  if (fileSize < LENGTH_PREFIX_BYTES) {
    throw new FormatError(
      `file is ${fileSize} bytes, shorter than the 8-byte length prefix every safetensors file starts with`,
    );
  }
  if (first8.length < LENGTH_PREFIX_BYTES) {
    throw new FormatError(`need the first 8 bytes of the file to read the safetensors header length, got ${first8.length}`);
  }
  const length = new DataView(first8.buffer, first8.byteOffset, LENGTH_PREFIX_BYTES).getBigUint64(0, true);
  if (length === 0n) {
    throw new FormatError("safetensors header length is 0: the file has no JSON header");
  }
  if (length > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new FormatError(
      `safetensors header length is ${length} bytes, over the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit; the file is corrupt or not a safetensors file`,
    );
  }
  const available = fileSize - LENGTH_PREFIX_BYTES;
  // Exact as a number: the length is within the header limit by now.
  if (Number(length) > available) {
    throw new FormatError(
      `safetensors header length is ${length} bytes but only ${available} bytes follow the length prefix; the file is truncated or not a safetensors file`,
    );
  }
  return Number(length);
}

/** Parses and validates the JSON header (exactly `headerLength` bytes) of a safetensors file of `fileSize` bytes. */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const headerLength = headerBytes.length;
  const dataStart = LENGTH_PREFIX_BYTES + headerLength;
  const dataLength = fileSize - dataStart;
  if (dataLength < 0) {
    throw new FormatError(`safetensors header of ${headerLength} bytes does not fit in a file of ${fileSize} bytes`);
  }
  const root = parseHeaderJson(headerBytes);
  const metadata = parseMetadata(root[METADATA_KEY]);
  const tensors = Object.entries(root)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, entry]) => parseTensorEntry(name, entry));
  return { headerLength, dataStart, tensors: checkDataLayout(tensors, dataLength), metadata };
}

/** Writes a safetensors file the way the reference writer does: largest dtypes first, header padded to 8 bytes. */
/** The bytes of an F32 tensor, without copying (safetensors stores little-endian, as every host Node runs on). */
export function float32Bytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function encodeSafetensors(tensors: readonly TensorData[], metadata?: Record<string, string>): Uint8Array {
  checkUniqueNames(tensors);
  const ordered = [...tensors].sort(
    (a, b) => dtypeBytes(b.name, b.dtype) - dtypeBytes(a.name, a.dtype) || compareText(a.name, b.name),
  );
  let offset = 0;
  const entries: [string, unknown][] = metadata === undefined ? [] : [[METADATA_KEY, metadata]];
  for (const tensor of ordered) {
    checkTensorData(tensor);
    const end = offset + tensor.data.length;
    entries.push([tensor.name, { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, end] }]);
    offset = end;
  }
  const header = padToEightBytes(new TextEncoder().encode(JSON.stringify(Object.fromEntries(entries))));
  const file = new Uint8Array(LENGTH_PREFIX_BYTES + header.length + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
  file.set(header, LENGTH_PREFIX_BYTES);
  let position = LENGTH_PREFIX_BYTES + header.length;
  for (const tensor of ordered) {
    file.set(tensor.data, position);
    position += tensor.data.length;
  }
  return file;
}

/** Formats a tensor shape for a message, shortening absurdly long ones. */
export function formatShape(shape: readonly number[]): string {
  const shown = shape.slice(0, 8).join(", ");
  return shape.length > 8 ? `[${shown}, … ${shape.length} dims]` : `[${shown}]`;
}

function parseHeaderJson(headerBytes: Uint8Array): JsonObject {
  const text = decodeUtf8(headerBytes);
  if (!text.startsWith("{")) {
    throw new FormatError("safetensors header must be a JSON object starting with '{'; this is not a safetensors file");
  }
  const root = parseJson(text, "safetensors header");
  if (!isJsonObject(root)) {
    throw new FormatError("safetensors header must be a JSON object");
  }
  return root;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError("safetensors header is not valid UTF-8");
  }
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isJsonObject(value)) {
    throw new FormatError(`safetensors ${METADATA_KEY} must be an object of strings, got ${jsonKind(value)}`);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") {
      throw new FormatError(`safetensors ${METADATA_KEY} value ${quoteName(key)} must be a string, got ${jsonKind(entry)}`);
    }
  }
  return value as Record<string, string>;
}

function parseTensorEntry(name: string, entry: unknown): TensorInfo {
  if (!isJsonObject(entry)) {
    throw tensorError(name, `must be an object with dtype, shape and data_offsets, got ${jsonKind(entry)}`);
  }
  checkTensorFields(name, entry);
  const tensor: TensorInfo = {
    name,
    dtype: parseDtype(name, entry.dtype),
    shape: parseShape(name, entry.shape),
    dataOffsets: parseDataOffsets(name, entry.data_offsets),
  };
  checkByteLength(tensor);
  return tensor;
}

function checkTensorFields(name: string, entry: JsonObject): void {
  const fields: readonly string[] = TENSOR_FIELDS;
  const unexpected = Object.keys(entry).find((key) => !fields.includes(key));
  if (unexpected !== undefined) {
    throw tensorError(name, `has unexpected field ${quoteName(unexpected)}; only dtype, shape and data_offsets are allowed`);
  }
  const missing = TENSOR_FIELDS.find((field) => !Object.hasOwn(entry, field));
  if (missing !== undefined) throw tensorError(name, `is missing ${missing}`);
}

function parseDtype(name: string, dtype: unknown): string {
  if (typeof dtype !== "string" || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    const shown = typeof dtype === "string" ? quoteName(dtype) : jsonKind(dtype);
    throw tensorError(name, `has unknown dtype ${shown}; expected one of ${Object.keys(DTYPE_BYTES).join(", ")}`);
  }
  return dtype;
}

function parseShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every(isByteCount)) {
    throw tensorError(name, "has an invalid shape: expected an array of non-negative integers");
  }
  return shape;
}

function parseDataOffsets(name: string, offsets: unknown): [number, number] {
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isByteCount)) {
    throw tensorError(name, "has invalid data_offsets: expected [begin, end] with non-negative integers");
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw tensorError(name, `has data_offsets [${begin}, ${end}] that end before they begin`);
  return [begin, end];
}

function checkByteLength({ name, dtype, shape, dataOffsets: [begin, end] }: TensorInfo): void {
  const expected = elementCount(shape) * (DTYPE_BYTES[dtype] ?? 0);
  if (expected !== end - begin) {
    const needs = Number.isFinite(expected) ? `${expected} bytes` : "more bytes than any file can hold";
    throw tensorError(
      name,
      `has shape ${formatShape(shape)} of ${dtype}, which needs ${needs}, but its data_offsets [${begin}, ${end}] span ${end - begin} bytes`,
    );
  }
}

/** Product of the dimensions, or Infinity once it passes the largest safe integer (no file is that large). */
function elementCount(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const dimension of shape) {
    count *= dimension;
    if (count > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return count;
}

/** Checks the tensors tile the data area exactly; returns them in file order. */
function checkDataLayout(tensors: TensorInfo[], dataLength: number): TensorInfo[] {
  const ordered = [...tensors].sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let covered = 0;
  let previous: TensorInfo | undefined;
  for (const tensor of ordered) {
    const [begin, end] = tensor.dataOffsets;
    if (end > dataLength) {
      throw tensorError(
        tensor.name,
        `has data_offsets [${begin}, ${end}] past the end of the ${dataLength}-byte data area; the file is truncated`,
      );
    }
    if (begin < covered) {
      throw tensorError(tensor.name, `overlaps tensor ${quoteName(previous?.name ?? "")}: it begins at ${begin}, before ${covered}`);
    }
    if (begin > covered) {
      throw tensorError(tensor.name, `begins at ${begin}, leaving bytes ${covered}–${begin} of the data area unused (a hole)`);
    }
    covered = end;
    previous = tensor;
  }
  if (covered !== dataLength) {
    throw new FormatError(
      `safetensors tensors cover ${covered} bytes but the data area holds ${dataLength}; the file has ${dataLength - covered} trailing bytes that belong to no tensor`,
    );
  }
  return ordered;
}

function checkUniqueNames(tensors: readonly TensorData[]): void {
  const seen = new Set<string>();
  for (const { name } of tensors) {
    if (name === METADATA_KEY) throw new FormatError(`a tensor cannot be named ${METADATA_KEY}`);
    if (seen.has(name)) throw new FormatError(`tensor ${quoteName(name)} appears twice`);
    seen.add(name);
  }
}

function checkTensorData({ name, dtype, shape, data }: TensorData): void {
  if (!shape.every(isByteCount)) throw tensorError(name, "has an invalid shape: expected non-negative integers");
  const expected = elementCount(shape) * dtypeBytes(name, dtype);
  if (expected !== data.length) {
    throw tensorError(name, `has shape ${formatShape(shape)} of ${dtype}, which needs ${expected} bytes, but ${data.length} were given`);
  }
}

function dtypeBytes(name: string, dtype: string): number {
  return DTYPE_BYTES[parseDtype(name, dtype)] ?? 0;
}

function padToEightBytes(header: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(header.length / 8) * 8).fill(0x20);
  padded.set(header);
  return padded;
}

function isByteCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function tensorError(name: string, problem: string): FormatError {
  return new FormatError(`safetensors tensor ${quoteName(name)} ${problem}`);
}
