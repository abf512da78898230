import { describe, expect, it } from "vitest";
import { pngImage } from "../../test/png-fixture.js";
import { inspectPng } from "../formats/png.js";
import { readPngText, withPngText } from "../formats/png-text.js";
import type { BackendImage, ImageRequest } from "./backends/backend.js";
import { imageSample } from "./image-samples.js";

const SHA = "a".repeat(64);
const request: ImageRequest = {
  prompt: "a red fox", negativePrompt: "blurry", loras: [{ name: "lora_1", weight: 0.8 }], seed: 5, count: 1, steps: 20, sampler: "Euler a", cfgScale: 7, width: 8, height: 8,
};
const provenance = { request, loras: [{ name: "lora_1", sha256: SHA }], backend: "local", backendMs: 1200 };
const image = (png: Buffer): BackendImage => ({ png, seed: 5, width: 8, height: 8, info: { promptId: "p1" } });
const HASHES = 'Lora hashes: "lora_1: AAAAAAAAAA"';

describe("imageSample", () => {
  it("keeps A1111's parameters as written when they name the LoRA hashes, and the PNG byte for byte", () => {
    const png = withPngText(pngImage(8, 8), "parameters", 'a red fox <lora:lora_1:0.8>\nSteps: 20, Seed: 5, Lora hashes: "lora_1: 0123456789ab"');
    const sample = imageSample(image(png), provenance);
    expect(sample.png.equals(png)).toBe(true);
    expect(sample.parameters).toBe(readPngText(png, "parameters"));
    expect(sample).toMatchObject({ seed: 5, width: 8, height: 8, info: { backend: "local", backendMs: 1200, promptId: "p1" } });
  });

  it("adds the Lora hashes to the settings line of parameters that lack them", () => {
    const png = withPngText(pngImage(8, 8), "parameters", "a red fox <lora:lora_1:0.8>\nSteps: 20, Seed: 5");
    const sample = imageSample(image(png), provenance);
    expect(sample.parameters).toBe(`a red fox <lora:lora_1:0.8>\nSteps: 20, Seed: 5, ${HASHES}`);
    expect(readPngText(sample.png, "parameters")).toBe(sample.parameters);
    expect(inspectPng(sample.png)).toEqual({ width: 8, height: 8 });
  });

  it("writes an A1111 infotext from the request into a PNG that has none (ComfyUI's)", () => {
    const sample = imageSample(image(pngImage(8, 8)), provenance);
    expect(sample.parameters).toBe(`a red fox <lora:lora_1:0.8>\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 8x8, ${HASHES}`);
    expect(readPngText(sample.png, "parameters")).toBe(sample.parameters);
    const bare = imageSample(image(pngImage(8, 8)), { ...provenance, request: { ...request, negativePrompt: "", loras: [] }, loras: [] });
    expect(bare.parameters).toBe("a red fox\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 8x8");
  });
});
