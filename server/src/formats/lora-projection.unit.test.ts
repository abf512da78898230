import { describe, expect, it } from "vitest";
import {
  assembleSignature, byteLength, decodeFloats, MAX_SIGNATURE_FACTOR_BYTES, oversizedFactor, projectionModules, SIGNATURE_BLOCK, signatureCosine, sketchUpdate,
  type LoraFactors,
} from "./lora-projection.js";
import { encodeSafetensors, float32Bytes, parseSafetensorsHeader, readHeaderLength } from "./safetensors.js";

/** A deterministic pseudo-random generator, so failures reproduce. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
}

function factors(out: number, inputs: number, rank: number, seed: number, scale = 1): LoraFactors {
  const next = seeded(seed);
  return { rank, out, in: inputs, scale, a: Float32Array.from({ length: rank * inputs }, next), b: Float32Array.from({ length: out * rank }, next) };
}

/** ΔW = scale · B · A, formed explicitly: only the test does this. */
function update({ rank, out, in: inputs, a, b, scale }: LoraFactors): Float64Array {
  const w = new Float64Array(out * inputs);
  for (let o = 0; o < out; o++) for (let i = 0; i < inputs; i++) for (let p = 0; p < rank; p++) w[o * inputs + i]! += scale * b[o * rank + p]! * a[p * inputs + i]!;
  return w;
}

function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let dot = 0, nx = 0, ny = 0;
  for (let i = 0; i < x.length; i++) [dot, nx, ny] = [dot + x[i]! * y[i]!, nx + x[i]! ** 2, ny + y[i]! ** 2];
  return dot / Math.sqrt(nx * ny);
}

function signatureOf(modules: Record<string, LoraFactors>): Float32Array {
  return assembleSignature(Object.entries(modules).map(([name, f]) => ({ name, sketch: sketchUpdate(f) })));
}

describe("sketchUpdate", () => {
  it("is linear in the update: the same factors scaled give the sketch scaled, and the same seed-free result every time", () => {
    const f = factors(48, 200, 4, 1);
    const sketch = sketchUpdate(f);
    sketchUpdate({ ...f, scale: 2.5 }).forEach((value, i) => expect(value).toBeCloseTo(sketch[i]! * 2.5, 4));
    expect(sketchUpdate(factors(48, 200, 4, 1))).toEqual(sketch);
  });

  it("estimates the cosine of two updates without forming them", () => {
    const x = factors(64, 300, 4, 7);
    const noisy = { ...x, b: x.b.map((v, i) => v + 0.3 * Math.sin(i * 12.9898)) };
    const unrelated = factors(64, 300, 4, 99);
    const exact = cosine(update(x), update(noisy));
    expect(Math.abs(cosine(sketchUpdate(x), sketchUpdate(noisy)) - exact)).toBeLessThan(0.1);
    expect(Math.abs(cosine(sketchUpdate(x), sketchUpdate(unrelated)))).toBeLessThan(0.35);
  });

  it("sees the same update whatever its factorisation: B·A = (B·M)·(M⁻¹·A)", () => {
    const x = factors(32, 50, 2, 3);
    // M = [[2, 0], [1, 1]], M⁻¹ = [[0.5, 0], [-0.5, 1]]
    const b = new Float32Array(32 * 2);
    for (let o = 0; o < 32; o++) [b[o * 2], b[o * 2 + 1]] = [2 * x.b[o * 2]! + x.b[o * 2 + 1]!, x.b[o * 2 + 1]!];
    const a = new Float32Array(2 * 50);
    for (let i = 0; i < 50; i++) [a[i], a[50 + i]] = [0.5 * x.a[i]!, -0.5 * x.a[i]! + x.a[50 + i]!];
    const other = sketchUpdate({ ...x, a, b });
    sketchUpdate(x).forEach((value, i) => expect(other[i]).toBeCloseTo(value, 4));
  });
});

describe("signatureCosine", () => {
  it("compares over the modules both signatures have, pairing them by name", () => {
    const fc1 = factors(16, 40, 2, 1);
    const fc2 = factors(16, 16, 2, 2);
    const head = factors(30, 16, 2, 3);
    const full = signatureOf({ fc1, fc2, head });
    const partial = signatureOf({ head, fc1 });
    expect(full.length).toBe(3 * SIGNATURE_BLOCK);
    expect(signatureCosine(full, partial)).toEqual({ cosine: expect.closeTo(1, 6), sharedModules: 2 });
    expect(signatureCosine(signatureOf({ fc2 }), signatureOf({ head }))).toBeNull();
  });

  it("is -1 for opposite updates", () => {
    const fc1 = factors(16, 40, 2, 1);
    expect(signatureCosine(signatureOf({ fc1 }), signatureOf({ fc1: { ...fc1, scale: -1 } }))!.cosine).toBeCloseTo(-1, 6);
  });
});

describe("projectionModules and decodeFloats", () => {
  it("finds PEFT and kohya modules in sorted order with kohya's alpha", () => {
    const t = (name: string, shape: number[]) => ({ name, dtype: "F32", shape, data: float32Bytes(new Float32Array(shape.reduce((a, b) => a * b, 1))) });
    const file = encodeSafetensors([
      t("base_model.model.head.lora_A.weight", [2, 8]), t("base_model.model.head.lora_B.weight", [5, 2]),
      t("base_model.model.fc1.lora_A.weight", [2, 3, 3, 3]), t("base_model.model.fc1.lora_B.weight", [4, 2, 1, 1]),
      t("lora_unet_x.lora_down.weight", [2, 6]), t("lora_unet_x.lora_up.weight", [6, 2]), t("lora_unet_x.alpha", []),
    ]);
    const header = parseSafetensorsHeader(file.subarray(8, 8 + readHeaderLength(file.subarray(0, 8), file.length)), file.length);
    const modules = projectionModules(header);
    expect(modules.map((m) => [m.name, m.out, m.in, m.rank, m.alpha?.name ?? null])).toEqual([
      ["base_model.model.fc1", 4, 27, 2, null],
      ["base_model.model.head", 5, 8, 2, null],
      ["lora_unet_x", 6, 6, 2, "lora_unet_x.alpha"],
    ]);
  });

  it("decodes F16 and BF16 little-endian values", () => {
    expect([...decodeFloats({ name: "h", dtype: "F16" }, Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x00]))]).toEqual([1, -2, 0]);
    expect([...decodeFloats({ name: "b", dtype: "BF16" }, Uint8Array.from([0x80, 0x3f, 0x40, 0xc0]))]).toEqual([1, -3]);
    expect(() => decodeFloats({ name: "i", dtype: "I8" }, new Uint8Array(2))).toThrow(/"i" is I8/);
  });
});

describe("oversizedFactor", () => {
  /** The header of a file holding a [8, 67108864] F32 lora_down (2 GiB), parsed without any of its data in memory. */
  function hugeHeader() {
    const module = "lora_unet_down_blocks_0_attentions_0_proj_in";
    const huge = 8 * 67_108_864 * 4;
    const entries = {
      [`${module}.lora_down.weight`]: { dtype: "F32", shape: [8, 67_108_864], data_offsets: [0, huge] },
      [`${module}.lora_up.weight`]: { dtype: "F32", shape: [320, 8], data_offsets: [huge, huge + 320 * 8 * 4] },
    };
    const json = new TextEncoder().encode(JSON.stringify(entries));
    return parseSafetensorsHeader(json, 8 + json.length + huge + 320 * 8 * 4);
  }

  it("names a factor over 2 GiB, which a signature must not read, and passes ordinary ones", () => {
    const modules = projectionModules(hugeHeader());
    const oversized = oversizedFactor(modules);
    expect(oversized?.name).toBe("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight");
    expect(byteLength(oversized!)).toBe(2 ** 31);
    expect(oversizedFactor(modules, 2 ** 31)).toBeNull();
    expect(MAX_SIGNATURE_FACTOR_BYTES).toBeLessThan(2 ** 31 - 1);
  });
});
