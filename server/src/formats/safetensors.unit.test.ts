import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import {
  DTYPE_BYTES,
  SAFETENSORS_MAX_HEADER_BYTES,
  encodeSafetensors,
  parseSafetensorsHeader,
  readHeaderLength,
  type SafetensorsHeader,
} from "./safetensors.js";

const encoder = new TextEncoder();

/** A file with `header` after a length prefix (the true length unless `declaredLength` says otherwise) and zeroed data. */
function rawFile(header: string | Uint8Array, dataLength = 0, declaredLength?: bigint): Uint8Array {
  const headerBytes = typeof header === "string" ? encoder.encode(header) : header;
  const file = new Uint8Array(8 + headerBytes.length + dataLength);
  new DataView(file.buffer).setBigUint64(0, declaredLength ?? BigInt(headerBytes.length), true);
  file.set(headerBytes, 8);
  return file;
}

function fileWithEntries(entries: Record<string, unknown>, dataLength: number): Uint8Array {
  return rawFile(JSON.stringify(entries), dataLength);
}

function parseFile(file: Uint8Array): SafetensorsHeader {
  const headerLength = readHeaderLength(file.subarray(0, 8), file.length);
  return parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
}

function expectFormatError(action: () => unknown, message: RegExp): void {
  expect(action).toThrow(FormatError);
  expect(action).toThrow(message);
}

function lengthPrefix(length: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, length, true);
  return bytes;
}

const f32 = (name: string, shape: number[]) => ({ name, dtype: "F32", shape, data: new Uint8Array(shape.reduce((a, b) => a * b, 1) * 4) });

describe("readHeaderLength", () => {
  it("reads a little-endian u64", () => {
    expect(readHeaderLength(Uint8Array.of(0x10, 0x01, 0, 0, 0, 0, 0, 0), 1000)).toBe(0x110);
  });

  it("reads only the first 8 bytes of a longer slice", () => {
    expect(readHeaderLength(Uint8Array.of(8, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff), 16)).toBe(8);
  });

  it("rejects a file shorter than 8 bytes", () => {
    expectFormatError(() => readHeaderLength(Uint8Array.of(1, 0, 0), 3), /3 bytes, shorter than the 8-byte length prefix/);
  });

  it("rejects a header length of 0", () => {
    expectFormatError(() => readHeaderLength(lengthPrefix(0n), 100), /header length is 0/);
  });

  it("rejects a header over the 100 MB limit", () => {
    const tooLong = BigInt(SAFETENSORS_MAX_HEADER_BYTES + 1);
    expectFormatError(() => readHeaderLength(lengthPrefix(tooLong), 2 ** 40), /100000001 bytes, over the 100000000-byte limit/);
  });

  it("accepts a header of exactly the limit", () => {
    const limit = BigInt(SAFETENSORS_MAX_HEADER_BYTES);
    expect(readHeaderLength(lengthPrefix(limit), 2 ** 40)).toBe(SAFETENSORS_MAX_HEADER_BYTES);
  });

  it("rejects lengths beyond 2^53 without losing precision", () => {
    expectFormatError(() => readHeaderLength(lengthPrefix(2n ** 64n - 1n), 2 ** 40), /18446744073709551615 bytes/);
    expectFormatError(() => readHeaderLength(lengthPrefix(2n ** 53n + 1n), 2 ** 40), /9007199254740993 bytes/);
  });

  it("rejects a header longer than the rest of the file", () => {
    expectFormatError(() => readHeaderLength(lengthPrefix(93n), 100), /93 bytes but only 92 bytes follow/);
    expect(readHeaderLength(lengthPrefix(92n), 100)).toBe(92);
  });
});

describe("parseSafetensorsHeader", () => {
  it("parses the reference implementation's example file", () => {
    const header = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    const parsed = parseFile(rawFile(header, 16));
    expect(parsed).toEqual({
      headerLength: header.length,
      dataStart: 8 + header.length,
      tensors: [{ name: "test", dtype: "I32", shape: [2, 2], dataOffsets: [0, 16] }],
      metadata: {},
    });
  });

  it("returns metadata and tensors in file order whatever the header order", () => {
    const file = fileWithEntries(
      {
        b: { dtype: "F16", shape: [3], data_offsets: [4, 10] },
        __metadata__: { format: "pt", note: "hi" },
        a: { dtype: "U8", shape: [4], data_offsets: [0, 4] },
      },
      10,
    );
    const parsed = parseFile(file);
    expect(parsed.tensors.map((t) => t.name)).toEqual(["a", "b"]);
    expect(parsed.metadata).toEqual({ format: "pt", note: "hi" });
  });

  it("accepts trailing space padding, zero-size tensors and an empty file", () => {
    const padded = '{"e":{"dtype":"F32","shape":[0,5],"data_offsets":[0,0]},"x":{"dtype":"BF16","shape":[],"data_offsets":[0,2]}}   ';
    expect(parseFile(rawFile(padded, 2)).tensors.map((t) => t.name)).toEqual(["e", "x"]);
    expect(parseFile(rawFile("{}      ")).tensors).toEqual([]);
  });

  it("keeps names that collide with Object.prototype as plain data", () => {
    const file = rawFile('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"__metadata__":{"__proto__":"x"}}', 1);
    const parsed = parseFile(file);
    expect(parsed.tensors[0]?.name).toBe("__proto__");
    expect(Object.hasOwn(parsed.metadata, "__proto__")).toBe(true);
  });

  it("rejects a header that is not UTF-8", () => {
    expectFormatError(() => parseFile(rawFile(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))), /not valid UTF-8/);
  });

  it("rejects a header that does not start with '{'", () => {
    expectFormatError(() => parseFile(rawFile(' {"a":1}')), /starting with '\{'/);
    expectFormatError(() => parseFile(rawFile("[]")), /starting with '\{'/);
    expectFormatError(() => parseFile(rawFile("\uFEFF{}")), /starting with '\{'/);
  });

  it("rejects invalid JSON", () => {
    expectFormatError(() => parseFile(rawFile('{"a": ')), /header is not valid JSON/);
    expectFormatError(() => parseFile(rawFile("{}  x")), /header is not valid JSON/);
  });

  it("rejects a header that does not fit the file", () => {
    expectFormatError(() => parseSafetensorsHeader(encoder.encode("{}"), 9), /does not fit in a file of 9 bytes/);
  });

  it.each([
    ['"text"', /__metadata__ must be an object of strings, got a string/],
    ["[]", /__metadata__ must be an object of strings, got an array/],
    ["null", /__metadata__ must be an object of strings, got null/],
    ['{"ok":"1","epochs":3}', /__metadata__ value "epochs" must be a string, got a number/],
    ['{"args":{"lr":1}}', /__metadata__ value "args" must be a string, got an object/],
  ])("rejects __metadata__ %s", (metadata, message) => {
    expectFormatError(() => parseFile(rawFile(`{"__metadata__":${metadata}}`)), message);
  });

  it("rejects a tensor entry that is not an object", () => {
    expectFormatError(() => parseFile(fileWithEntries({ w: [1, 2] }, 0)), /tensor "w" must be an object .* got an array/);
  });

  it("rejects a tensor entry with a missing or extra field", () => {
    expectFormatError(() => parseFile(fileWithEntries({ w: { dtype: "F32", shape: [1] } }, 4)), /tensor "w" is missing data_offsets/);
    expectFormatError(
      () => parseFile(fileWithEntries({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4], extra: 1 } }, 4)),
      /tensor "w" has unexpected field "extra"/,
    );
  });

  it.each([["F128"], ["f32"], [7], [null], ["toString"]])("rejects dtype %s", (dtype) => {
    const file = fileWithEntries({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, 4);
    expectFormatError(() => parseFile(file), /tensor "w" has unknown dtype .*expected one of BOOL, U8/);
  });

  it.each([["[-1]"], ["[1.5]"], ['["2"]'], ["[9007199254740992]"], ['"2x2"'], ["null"]])("rejects shape %s", (shape) => {
    const file = rawFile(`{"w":{"dtype":"U8","shape":${shape},"data_offsets":[0,2]}}`, 2);
    expectFormatError(() => parseFile(file), /tensor "w" has an invalid shape/);
  });

  it.each([["[0]"], ["[0,1,2]"], ["[-1,1]"], ["[0,1.5]"], ["[0,1e300]"], ["{}"]])("rejects data_offsets %s", (offsets) => {
    const file = rawFile(`{"w":{"dtype":"U8","shape":[1],"data_offsets":${offsets}}}`, 1);
    expectFormatError(() => parseFile(file), /tensor "w" has invalid data_offsets/);
  });

  it("rejects data_offsets that end before they begin", () => {
    const file = fileWithEntries({ w: { dtype: "U8", shape: [1], data_offsets: [2, 1] } }, 2);
    expectFormatError(() => parseFile(file), /tensor "w" has data_offsets \[2, 1\] that end before they begin/);
  });

  it("rejects a byte length that does not match shape × dtype", () => {
    const file = fileWithEntries({ w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 8] } }, 8);
    expectFormatError(() => parseFile(file), /tensor "w" has shape \[2, 2\] of F32, which needs 16 bytes, but its data_offsets \[0, 8\] span 8 bytes/);
  });

  it("rejects a shape whose size overflows instead of wrapping around", () => {
    const huge = 2 ** 26;
    const file = fileWithEntries({ w: { dtype: "F64", shape: [huge, huge, huge], data_offsets: [0, 8] } }, 8);
    expectFormatError(() => parseFile(file), /tensor "w" .*needs more bytes than any file can hold/);
  });

  it("rejects overlapping tensors", () => {
    const file = fileWithEntries(
      {
        a: { dtype: "U8", shape: [4], data_offsets: [0, 4] },
        b: { dtype: "U8", shape: [4], data_offsets: [2, 6] },
      },
      6,
    );
    expectFormatError(() => parseFile(file), /tensor "b" overlaps tensor "a": it begins at 2, before 4/);
  });

  it("rejects a zero-size tensor inside another one", () => {
    const file = fileWithEntries(
      { a: { dtype: "U8", shape: [4], data_offsets: [0, 4] }, z: { dtype: "U8", shape: [0], data_offsets: [2, 2] } },
      4,
    );
    expectFormatError(() => parseFile(file), /tensor "z" overlaps tensor "a": it begins at 2, before 4/);
  });

  it("rejects a hole between tensors or before the first", () => {
    const gap = fileWithEntries(
      { a: { dtype: "U8", shape: [4], data_offsets: [0, 4] }, b: { dtype: "U8", shape: [2], data_offsets: [6, 8] } },
      8,
    );
    expectFormatError(() => parseFile(gap), /tensor "b" begins at 6, leaving bytes 4–6 of the data area unused/);
    const late = fileWithEntries({ a: { dtype: "U8", shape: [2], data_offsets: [2, 4] } }, 4);
    expectFormatError(() => parseFile(late), /tensor "a" begins at 2, leaving bytes 0–2/);
  });

  it("rejects data bytes that belong to no tensor", () => {
    const file = fileWithEntries({ a: { dtype: "U8", shape: [4], data_offsets: [0, 4] } }, 7);
    expectFormatError(() => parseFile(file), /cover 4 bytes but the data area holds 7; .*3 trailing bytes/);
    expectFormatError(() => parseFile(rawFile("{}", 1)), /cover 0 bytes but the data area holds 1/);
  });

  it("rejects tensors that run past the end of the file", () => {
    const file = fileWithEntries({ a: { dtype: "U8", shape: [4], data_offsets: [0, 4] } }, 3);
    expectFormatError(() => parseFile(file), /tensor "a" has data_offsets \[0, 4\] past the end of the 3-byte data area; the file is truncated/);
  });

  it("rejects deeply nested and oversized headers with a FormatError", () => {
    const nested = `{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expectFormatError(() => parseFile(rawFile(nested)), /tensor "a" must be an object/);
    const manyDims = Array(100_000).fill(Number.MAX_SAFE_INTEGER).join(",");
    const wide = `{"a":{"dtype":"U8","shape":[${manyDims}],"data_offsets":[0,1]}}`;
    expectFormatError(() => parseFile(rawFile(wide, 1)), /needs more bytes than any file can hold/);
  });

  it("shortens hostile names in messages", () => {
    const name = "n".repeat(10_000);
    const file = fileWithEntries({ [name]: { dtype: "nope", shape: [], data_offsets: [0, 0] } }, 0);
    expect(() => parseFile(file)).toThrow(/"n{120}…" has unknown dtype/);
  });
});

describe("encodeSafetensors", () => {
  it("writes a space-padded, 8-byte aligned header that parses back", () => {
    const file = encodeSafetensors([f32("w", [2, 3])], { format: "pt" });
    const headerLength = readHeaderLength(file, file.length);
    expect(headerLength % 8).toBe(0);
    const headerText = new TextDecoder().decode(file.subarray(8, 8 + headerLength));
    expect(headerText).toMatch(/^\{"__metadata__":\{"format":"pt"\},"w":\{"dtype":"F32","shape":\[2,3\],"data_offsets":\[0,24\]\}\} *$/);
    expect(parseFile(file).tensors).toEqual([{ name: "w", dtype: "F32", shape: [2, 3], dataOffsets: [0, 24] }]);
  });

  it("stores larger dtypes first, then by name, and copies the data", () => {
    const small = { name: "a", dtype: "U8", shape: [2], data: Uint8Array.of(1, 2) };
    const large = { name: "z", dtype: "F64", shape: [1], data: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9) };
    const file = encodeSafetensors([small, large, { ...small, name: "b" }]);
    const parsed = parseFile(file);
    expect(parsed.tensors.map((t) => t.name)).toEqual(["z", "a", "b"]);
    expect([...file.subarray(parsed.dataStart + 8, parsed.dataStart + 10)]).toEqual([1, 2]);
  });

  it("writes an empty file for no tensors", () => {
    expect(parseFile(encodeSafetensors([]))).toMatchObject({ tensors: [], metadata: {} });
  });

  it("rejects data of the wrong length, unknown dtypes, bad shapes, duplicate and reserved names", () => {
    expectFormatError(() => encodeSafetensors([{ ...f32("w", [2]), data: new Uint8Array(7) }]), /"w" .*needs 8 bytes, but 7 were given/);
    expectFormatError(() => encodeSafetensors([{ ...f32("w", [1]), dtype: "F12" }]), /"w" has unknown dtype "F12"/);
    expectFormatError(() => encodeSafetensors([{ ...f32("w", [1]), shape: [-1] }]), /"w" has an invalid shape/);
    expectFormatError(() => encodeSafetensors([f32("w", [1]), f32("w", [1])]), /"w" appears twice/);
    expectFormatError(() => encodeSafetensors([f32("__metadata__", [1])]), /cannot be named __metadata__/);
  });

  it("knows the size of every dtype the brief lists", () => {
    expect(DTYPE_BYTES).toMatchObject({ BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8 });
  });
});
