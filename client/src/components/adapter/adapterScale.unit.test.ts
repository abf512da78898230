import { describe, expect, test } from "vitest";
import { effectiveScaleFormula, splitWarnings } from "./adapterScale";

describe("effectiveScaleFormula", () => {
  test("divides alpha by r", () => {
    expect(effectiveScaleFormula({ weight: 1, alpha: 8, rank: 4, useRslora: false })).toEqual({
      symbolic: "weight × alpha / r",
      numeric: "1 × 8 / 4",
    });
  });

  test("divides alpha by √r with rsLoRA", () => {
    expect(effectiveScaleFormula({ weight: 0.75, alpha: 16, rank: 64, useRslora: true })).toEqual({
      symbolic: "weight × alpha / √r",
      numeric: "0.75 × 16 / √64",
    });
  });
});

test("splitWarnings sets apart the warnings that leave the base model unknown", () => {
  const warnings = [
    "adapter_config.json has no base_model_name_or_path",
    "the file does not say which base model it was trained on",
    "the file records no LoRA alpha; assuming alpha = rank = 4 (scale 1.0)",
    "base model 'sd_v1' was taken from kohya ss_* metadata",
  ];
  expect(splitWarnings(warnings)).toEqual({
    baseModel: warnings.slice(0, 2),
    other: warnings.slice(2),
  });
});
