import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeKohyaMetadata, kohyaTrainingConfig } from "../formats/kohya.js";
import { peftTrainingConfig, type PeftConfig } from "../formats/peft.js";
import { TRAINING_PARAMETER_CATEGORIES, TRAINING_PARAMETERS } from "./parameters.js";

const catalogued = new Set(TRAINING_PARAMETERS.map((parameter) => parameter.key));

/** Every ss_* key kohya.ts reads, read from its source so that a newly mapped fact is covered too. */
const KOHYA_KEYS = [...readFileSync(new URL("../formats/kohya.ts", import.meta.url), "utf8").matchAll(/"(ss_\w+)"/g)].map((match) => match[1]!);

/** A number and a word between them fill every numeric and every text fact. */
function kohyaKeysEmitted(): string[] {
  return ["1", "cosine"].flatMap((value) =>
    Object.keys(kohyaTrainingConfig(decodeKohyaMetadata(Object.fromEntries(KOHYA_KEYS.map((key) => [key, value]))))),
  );
}

const EVERY_PEFT_FIELD: Required<PeftConfig> = {
  peft_type: "LORA",
  r: 8,
  lora_alpha: 16,
  target_modules: ["q_proj", "v_proj"],
  base_model_name_or_path: "meta-llama/Llama-2-7b-hf",
  use_rslora: true,
  lora_dropout: 0.05,
  bias: "none",
  task_type: "CAUSAL_LM",
  fan_in_fan_out: false,
  modules_to_save: ["lm_head"],
  revision: "main",
  rank_pattern: { q_proj: 4 },
  alpha_pattern: { q_proj: 8 },
};

describe("the training parameter catalogue", () => {
  it("lists each parameter under one key", () => {
    expect(catalogued.size).toBe(TRAINING_PARAMETERS.length);
  });

  it("explains every parameter in one line ending with a period", () => {
    for (const { key, description } of TRAINING_PARAMETERS) {
      expect(description, key).toMatch(/^[A-Z][^\n]*\.$/);
    }
  });

  it("lists parameters category by category, in category order", () => {
    const order = TRAINING_PARAMETERS.map((parameter) => TRAINING_PARAMETER_CATEGORIES.indexOf(parameter.category));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("knows every key the kohya mapping can emit", () => {
    const emitted = kohyaKeysEmitted();
    expect(emitted).toContain("scheduler");
    expect(emitted.filter((key) => !catalogued.has(key))).toEqual([]);
  });

  it("knows every key the PEFT mapping can emit", () => {
    const emitted = Object.keys(peftTrainingConfig(EVERY_PEFT_FIELD));
    expect(emitted.filter((key) => !catalogued.has(key))).toEqual([]);
  });
});
