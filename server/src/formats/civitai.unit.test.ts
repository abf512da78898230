import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCivitaiInfo } from "./civitai.js";
import { FormatError } from "./errors.js";

const SHA256 = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";

const civitaiVersion = {
  id: 128713,
  modelId: 117213,
  name: "v1.0",
  baseModel: "SDXL 1.0",
  trainedWords: ["pixel art", " "],
  description: "<p>Retro sprites.</p>",
  model: { name: "Pixel Art XL", type: "LORA", nsfw: false, tags: ["pixel art", { name: "style" }] },
  files: [
    { name: "preview.zip", type: "Training Data", hashes: { SHA256: "0".repeat(64) } },
    { name: "pixel-art-xl.safetensors", type: "Model", primary: true, hashes: { AutoV2: "A1B2C3D4E5", SHA256, CRC32: "1234ABCD" } },
  ],
  images: [{ url: "https://image.civitai.com/x.jpeg", nsfw: "None" }],
  stats: { downloadCount: 100 },
};

describe("parseCivitaiInfo", () => {
  it("normalizes a Civitai model-version file", () => {
    const info = parseCivitaiInfo(JSON.stringify(civitaiVersion));
    expect(info).toEqual({
      modelName: "Pixel Art XL",
      versionName: "v1.0",
      baseModel: "SDXL 1.0",
      trainedWords: ["pixel art"],
      description: "<p>Retro sprites.</p>",
      tags: ["pixel art", "style"],
      activationText: "pixel art",
      preferredWeight: null,
      modelId: 117213,
      versionId: 128713,
      sha256: SHA256.toLowerCase(),
      autoV2: "A1B2C3D4E5",
      raw: civitaiVersion,
    });
  });

  it("derives AutoV2 from the sha256 when it is missing", () => {
    const files = [{ type: "Model", hashes: { sha256: SHA256.toLowerCase() } }];
    expect(parseCivitaiInfo(JSON.stringify({ ...civitaiVersion, files })).autoV2).toBe("A1B2C3D4E5");
  });

  it("normalizes the SD.Next / A1111 user-metadata form", () => {
    const info = parseCivitaiInfo(
      JSON.stringify({ description: "my lora", "sd version": "SD1", "activation text": "ohwx man", "preferred weight": 0.8, notes: "x" }),
    );
    expect(info).toMatchObject({
      modelName: null,
      baseModel: "SD1",
      description: "my lora",
      activationText: "ohwx man",
      preferredWeight: 0.8,
      trainedWords: [],
      tags: [],
      sha256: null,
      autoV2: null,
      modelId: null,
    });
  });

  it("treats A1111 placeholders as unknown", () => {
    const info = parseCivitaiInfo(JSON.stringify({ "sd version": "Unknown", "preferred weight": 0, "activation text": "" }));
    expect(info).toMatchObject({ baseModel: null, preferredWeight: null, activationText: null });
  });

  it("ignores malformed fields instead of failing", () => {
    const info = parseCivitaiInfo(JSON.stringify({ id: "12", modelId: -1, model: [], files: { hashes: {} }, trainedWords: "x", baseModel: 5 }));
    expect(info).toMatchObject({ versionId: null, modelId: null, modelName: null, sha256: null, trainedWords: [], baseModel: null });
  });

  it("rejects invalid JSON and non-objects", () => {
    expect(() => parseCivitaiInfo("{")).toThrow(FormatError);
    expect(() => parseCivitaiInfo("{")).toThrow(/model info file is not valid JSON/);
    expect(() => parseCivitaiInfo("[1]")).toThrow(/must hold a JSON object/);
  });
});

describe("parseCivitaiInfo under arbitrary input", () => {
  it("throws only FormatError", () => {
    const shaped = fc.record(
      {
        id: fc.jsonValue({ maxDepth: 1 }),
        model: fc.jsonValue({ maxDepth: 2 }),
        files: fc.array(fc.record({ primary: fc.boolean(), hashes: fc.dictionary(fc.constantFrom("SHA256", "AutoV2", "x"), fc.string({ unit: "binary-ascii" }), { noNullPrototype: true }) })),
        "preferred weight": fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof(fc.string(), fc.jsonValue().map((value) => JSON.stringify(value) ?? ""), shaped.map((value) => JSON.stringify(value)));
    fc.assert(
      fc.property(text, (candidate) => {
        try {
          parseCivitaiInfo(candidate);
        } catch (error) {
          expect(error).toBeInstanceOf(FormatError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
