import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { parsePeftConfig } from "./peft.js";

function expectFormatError(action: () => unknown, message: RegExp): void {
  expect(action).toThrow(FormatError);
  expect(action).toThrow(message);
}

const minimal = { peft_type: "LORA", r: 8, lora_alpha: 16, target_modules: ["fc1"], base_model_name_or_path: "tunes-s" };
const configText = (overrides: Record<string, unknown> = {}) => JSON.stringify({ ...minimal, ...overrides });

describe("parsePeftConfig", () => {
  it("parses a config as PEFT saves it, keeping unknown keys", () => {
    const config = parsePeftConfig(
      configText({
        use_rslora: true,
        lora_dropout: 0.1,
        bias: "none",
        task_type: null,
        fan_in_fan_out: false,
        modules_to_save: null,
        revision: null,
        rank_pattern: {},
        alpha_pattern: {},
        init_lora_weights: true,
      }),
    );
    expect(config).toMatchObject({ peft_type: "LORA", r: 8, lora_alpha: 16, use_rslora: true, init_lora_weights: true });
  });

  it("accepts peft_type in any case and normalizes it", () => {
    expect(parsePeftConfig(configText({ peft_type: "lora" })).peft_type).toBe("LORA");
  });

  it("accepts target_modules as a regex or null, and a missing base model as null", () => {
    expect(parsePeftConfig(configText({ target_modules: ".*proj" })).target_modules).toBe(".*proj");
    const { base_model_name_or_path: _, ...withoutBase } = minimal;
    const config = parsePeftConfig(JSON.stringify({ ...withoutBase, target_modules: null }));
    expect(config.target_modules).toBeNull();
    expect(config.base_model_name_or_path).toBeNull();
  });

  it.each([
    [{ peft_type: "IA3" }, /peft_type: expected "LORA"/],
    [{ peft_type: undefined }, /peft_type: /],
    [{ r: 0 }, /r: /],
    [{ r: 2.5 }, /r: /],
    [{ lora_alpha: "16" }, /lora_alpha: /],
    [{ target_modules: [1] }, /target_modules/],
    [{ base_model_name_or_path: 3 }, /base_model_name_or_path: /],
    [{ lora_dropout: 2 }, /lora_dropout: /],
    [{ bias: "some" }, /bias: /],
    [{ rank_pattern: { fc1: -1 } }, /rank_pattern\.fc1: /],
  ])("rejects %j with the path of the bad value", (overrides, message) => {
    expectFormatError(() => parsePeftConfig(configText(overrides)), message);
  });

  it("reports invalid JSON and non-objects plainly", () => {
    expectFormatError(() => parsePeftConfig("{r: 8"), /adapter_config\.json is not valid JSON/);
    expectFormatError(() => parsePeftConfig("[]"), /adapter_config\.json is invalid: \(root\): /);
  });
});

describe("parsePeftConfig under arbitrary input", () => {
  it("throws only FormatError", () => {
    const text = fc.oneof(fc.string(), fc.jsonValue().map((value) => JSON.stringify(value) ?? ""), fc.jsonValue().map((value) => configText({ r: value })));
    fc.assert(
      fc.property(text, (candidate) => {
        try {
          parsePeftConfig(candidate);
        } catch (error) {
          expect(error).toBeInstanceOf(FormatError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
