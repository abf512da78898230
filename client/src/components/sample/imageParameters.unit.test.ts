import { describe, expect, it } from "vitest";
import { readInfotext } from "./imageParameters";

describe("readInfotext", () => {
  it("splits prompt, negative prompt and settings, quoted values unquoted", () => {
    const text = [
      "a red fox in the snow <lora:fox:0.8>",
      "golden hour",
      "Negative prompt: blurry, lowres",
      'Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 77, Size: 512x768, Lora hashes: "fox: 0123456789ab, snow: ba9876543210"',
    ].join("\n");
    expect(readInfotext(text)).toEqual({
      prompt: "a red fox in the snow <lora:fox:0.8>\ngolden hour",
      negativePrompt: "blurry, lowres",
      settings: [
        ["Steps", "20"],
        ["Sampler", "DPM++ 2M Karras"],
        ["CFG scale", "7"],
        ["Seed", "77"],
        ["Size", "512x768"],
        ["Lora hashes", "fox: 0123456789ab, snow: ba9876543210"],
      ],
    });
  });

  it("reads a last line with too few settings as prompt text, as A1111 does", () => {
    expect(readInfotext("a castle\nat night: dark, stormy")).toEqual({ prompt: "a castle\nat night: dark, stormy", negativePrompt: "", settings: [] });
  });

  it("reads a lone line as the prompt, whatever it holds", () => {
    expect(readInfotext("Steps: 1, Seed: 2, Size: 3x3").prompt).toBe("Steps: 1, Seed: 2, Size: 3x3");
  });
});
