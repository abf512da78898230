import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { describeLora } from "./lora.js";
import { DTYPE_BYTES, encodeSafetensors, parseSafetensorsHeader, readHeaderLength, type TensorData } from "./safetensors.js";

const NUM_RUNS = 500;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The whole import path the server runs on an uploaded file. */
function inspectFile(file: Uint8Array, peftConfigText?: string) {
  const headerLength = readHeaderLength(file.subarray(0, 8), file.length);
  const header = parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
  return { header, lora: describeLora(header, peftConfigText) };
}

function expectOnlyFormatErrors(file: Uint8Array, peftConfigText?: string): void {
  try {
    inspectFile(file, peftConfigText);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
  }
}

function lengthPrefixed(header: Uint8Array, rest: Uint8Array, declaredLength = BigInt(header.length)): Uint8Array {
  const file = new Uint8Array(8 + header.length + rest.length);
  new DataView(file.buffer).setBigUint64(0, declaredLength, true);
  file.set(header, 8);
  file.set(rest, 8 + header.length);
  return file;
}

function splitFile(file: Uint8Array): { root: Record<string, unknown>; data: Uint8Array } {
  const headerLength = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const root = JSON.parse(decoder.decode(file.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  return { root, data: file.subarray(8 + headerLength) };
}

const dtypeArb = fc.constantFrom(...Object.keys(DTYPE_BYTES));
const byteCount = (shape: number[], dtype: string) => shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[dtype] ?? 0);

/** Any text but U+0000, which no valid file may hold: PostgreSQL could not store it (json.ts parseJson). */
const storableText = (maxLength: number) => fc.string({ unit: "binary", maxLength }).filter((text) => !text.includes("\u0000"));

const tensorArb: fc.Arbitrary<TensorData> = fc
  .record({
    name: storableText(24).filter((name) => name !== "__metadata__"),
    dtype: dtypeArb,
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
  })
  .chain((tensor) => {
    const length = byteCount(tensor.shape, tensor.dtype);
    return fc.uint8Array({ minLength: length, maxLength: length }).map((data) => ({ ...tensor, data }));
  });

const metadataArb = fc.option(
  fc.dictionary(storableText(12), storableText(24), { maxKeys: 4, noNullPrototype: true }),
  { nil: undefined },
);

type LoraStyle = "peft" | "kohya" | "diffusers";

const FACTOR_NAMES: Record<LoraStyle, (module: string) => [string, string]> = {
  peft: (module) => [`base_model.model.${module}.lora_A.weight`, `base_model.model.${module}.lora_B.weight`],
  kohya: (module) => [`lora_unet_${module}.lora_down.weight`, `lora_unet_${module}.lora_up.weight`],
  diffusers: (module) => [`unet.${module}.lora.down.weight`, `unet.${module}.lora.up.weight`],
};

interface LoraSpec {
  style: LoraStyle;
  modules: string[];
  rank: number;
  inFeatures: number;
  outFeatures: number;
  dtype: string;
  alpha: number | undefined;
}

const loraSpecArb: fc.Arbitrary<LoraSpec> = fc.record({
  style: fc.constantFrom<LoraStyle>("peft", "kohya", "diffusers"),
  modules: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { minLength: 1, maxLength: 4 }),
  rank: fc.integer({ min: 1, max: 4 }),
  inFeatures: fc.integer({ min: 1, max: 6 }),
  outFeatures: fc.integer({ min: 1, max: 6 }),
  dtype: fc.constantFrom("F16", "BF16", "F32"),
  alpha: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
});

function buildLora({ style, modules, rank, inFeatures, outFeatures, dtype, alpha }: LoraSpec): Uint8Array {
  const tensor = (name: string, shape: number[]): TensorData => ({ name, dtype, shape, data: new Uint8Array(byteCount(shape, dtype)) });
  const tensors = modules.flatMap((module) => {
    const [down, up] = FACTOR_NAMES[style](module);
    return [tensor(down, [rank, inFeatures]), tensor(up, [outFeatures, rank])];
  });
  const metadata = alpha === undefined ? undefined : { ss_network_alpha: String(alpha), lora_alpha: String(alpha) };
  return encodeSafetensors(tensors, metadata);
}

const validLoraArb = loraSpecArb.map(buildLora);

const interestingNumber = fc.oneof(
  fc.integer({ min: -2, max: 64 }),
  fc.constantFrom(1.5, -0, 2 ** 53, 2 ** 64, 1e308, -1e308),
);
const replacementValueArb = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(interestingNumber, { maxLength: 5 }),
  fc.tuple(interestingNumber, interestingNumber),
  fc.constantFrom("F32", "F16", "U8", "F64", "BOOL", "X"),
);

type ByteMutation =
  | { kind: "flip"; flips: [number, number][] }
  | { kind: "truncate"; keep: number }
  | { kind: "append"; bytes: Uint8Array }
  | { kind: "setLength"; length: bigint }
  | { kind: "shiftLength"; delta: number };

interface FieldRewrite {
  tensorIndex: number;
  field: string;
  value: unknown;
}

const byteMutationArb: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("truncate" as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant("append" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant("setLength" as const), length: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ kind: fc.constant("shiftLength" as const), delta: fc.integer({ min: -16, max: 16 }) }),
);

const fieldRewriteArb: fc.Arbitrary<FieldRewrite> = fc.record({
  tensorIndex: fc.nat(),
  field: fc.constantFrom("dtype", "shape", "data_offsets", "extra"),
  value: replacementValueArb,
});

function mutateBytes(file: Uint8Array, mutation: ByteMutation): Uint8Array {
  const copy = file.slice();
  const view = new DataView(copy.buffer);
  const hasLengthPrefix = copy.length >= 8;
  switch (mutation.kind) {
    case "flip":
      for (const [index, value] of mutation.flips) copy[index % copy.length] = value;
      return copy;
    case "truncate":
      return copy.subarray(0, mutation.keep % copy.length);
    case "append":
      return Uint8Array.from([...copy, ...mutation.bytes]);
    case "setLength":
      if (hasLengthPrefix) view.setBigUint64(0, mutation.length, true);
      return copy;
    case "shiftLength":
      if (hasLengthPrefix) view.setBigUint64(0, BigInt.asUintN(64, view.getBigUint64(0, true) + BigInt(mutation.delta)), true);
      return copy;
  }
}

/** Rewrites one field of one tensor entry and re-frames the header; the file must still have a readable header. */
function rewriteField(file: Uint8Array, { tensorIndex, field, value }: FieldRewrite): Uint8Array {
  const { root, data } = splitFile(file);
  const names = Object.keys(root).filter((name) => name !== "__metadata__");
  const entry = root[names[tensorIndex % names.length] ?? ""] as Record<string, unknown>;
  entry[field] = value;
  return lengthPrefixed(encoder.encode(JSON.stringify(root)), data);
}

const randomHeaderEntryArb = fc.record(
  {
    dtype: fc.oneof(dtypeArb, fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
    shape: fc.oneof(fc.array(interestingNumber, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
    data_offsets: fc.oneof(fc.tuple(fc.nat(64), fc.nat(64)), fc.array(interestingNumber, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);
const randomHeaderArb = fc.dictionary(
  fc.oneof(fc.constantFrom("__metadata__", "base_model.model.fc1.lora_A.weight", "base_model.model.fc1.lora_B.weight", "lora_unet_x.lora_down.weight"), fc.string({ maxLength: 8 })),
  fc.oneof(randomHeaderEntryArb, fc.jsonValue({ maxDepth: 2 })),
  { maxKeys: 5, noNullPrototype: true },
);

describe("safetensors and LoRA parsing under arbitrary input", { timeout: 20_000 }, () => {
  it("round-trips every valid file through encode and parse", () => {
    fc.assert(
      fc.property(fc.uniqueArray(tensorArb, { selector: (t) => t.name, maxLength: 8 }), metadataArb, (tensors, metadata) => {
        const file = encodeSafetensors(tensors, metadata);
        const headerLength = readHeaderLength(file.subarray(0, 8), file.length);
        expect(headerLength % 8).toBe(0);
        const header = parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
        expect(header.metadata).toEqual(metadata ?? {});
        const byName = new Map(header.tensors.map((t) => [t.name, t]));
        expect(byName.size).toBe(tensors.length);
        for (const tensor of tensors) {
          const parsed = byName.get(tensor.name);
          expect(parsed).toMatchObject({ dtype: tensor.dtype, shape: tensor.shape });
          const [begin, end] = parsed?.dataOffsets ?? [0, 0];
          expect(file.subarray(header.dataStart + begin, header.dataStart + end)).toEqual(tensor.data);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("describes every well-formed LoRA with the rank of its weights", () => {
    fc.assert(
      fc.property(loraSpecArb, (spec) => {
        const { lora } = inspectFile(buildLora(spec));
        const expectedFormat = { peft: "PEFT", kohya: "KOHYA", diffusers: "SAFETENSORS" }[spec.style];
        expect(lora).toMatchObject({ format: expectedFormat, rank: spec.rank, alpha: spec.alpha ?? spec.rank });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("throws only FormatError on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => expectOnlyFormatErrors(bytes)),
      { numRuns: NUM_RUNS },
    );
  });

  it("throws only FormatError on random bytes behind a plausible length prefix", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.nat(32), (header, dataLength) =>
        expectOnlyFormatErrors(lengthPrefixed(header, new Uint8Array(dataLength))),
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("throws only FormatError on random JSON headers", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), randomHeaderArb), fc.nat(64), (json, dataLength) =>
        expectOnlyFormatErrors(lengthPrefixed(encoder.encode(JSON.stringify(json) ?? ""), new Uint8Array(dataLength))),
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("throws only FormatError on mutations of a valid LoRA file", () => {
    fc.assert(
      fc.property(
        validLoraArb,
        fc.array(fieldRewriteArb, { maxLength: 2 }),
        fc.array(byteMutationArb, { maxLength: 3 }),
        (file, rewrites, byteMutations) =>
          expectOnlyFormatErrors(byteMutations.reduce(mutateBytes, rewrites.reduce(rewriteField, file))),
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("throws only FormatError for any adapter_config.json beside a valid PEFT file", () => {
    const peftFile = buildLora({ style: "peft", modules: ["fc1"], rank: 2, inFeatures: 3, outFeatures: 3, dtype: "F32", alpha: undefined });
    const configArb = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
      fc
        .record(
          {
            peft_type: fc.oneof(fc.constantFrom("LORA", "lora", "IA3"), fc.jsonValue({ maxDepth: 1 })),
            r: interestingNumber,
            lora_alpha: interestingNumber,
            target_modules: fc.oneof(fc.array(fc.string()), fc.string(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
            base_model_name_or_path: fc.oneof(fc.string(), fc.constant(null)),
            rank_pattern: fc.dictionary(fc.string(), interestingNumber, { noNullPrototype: true }),
          },
          { requiredKeys: [] },
        )
        .map((config) => JSON.stringify(config)),
    );
    fc.assert(
      fc.property(configArb, (configText) => expectOnlyFormatErrors(peftFile, configText)),
      { numRuns: NUM_RUNS },
    );
  });
});
