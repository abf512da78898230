import { describe, expect, test } from "vitest";
import {
  formatParameterNumber,
  formatParameterValue,
  labelFromKey,
  NOT_SET,
  TRAINING_PARAMETERS,
  trainingConfigGroups,
} from "./trainingParameters";

describe("the parameter catalogue", () => {
  test("covers the parameters trainers write", () => {
    const keys = TRAINING_PARAMETERS.map((parameter) => parameter.key);
    const required = [
      "baseModel", "modelName", "rank", "alpha", "dropout", "targetModules", "useRslora", "bias", "taskType", "learningRate",
      "unetLr", "textEncoderLr", "epochs", "maxSteps", "batchSize", "optimizer", "scheduler", "warmupSteps", "seed", "resolution",
      "mixedPrecision", "gradientCheckpointing", "saveEveryNEpochs", "beta",
    ];
    expect(required.filter((key) => !keys.includes(key))).toEqual([]);
  });

  test("explains every parameter in one line, under one key", () => {
    expect(new Set(TRAINING_PARAMETERS.map((parameter) => parameter.key)).size).toBe(TRAINING_PARAMETERS.length);
    for (const parameter of TRAINING_PARAMETERS) {
      expect(parameter.help).toMatch(/^[A-Z].*\.$/);
      expect(parameter.help).not.toContain("\n");
    }
  });
});

describe("formatParameterNumber", () => {
  test("writes numbers below 0.001 in exponent form", () => {
    expect(formatParameterNumber(0.0001)).toBe("1e-4");
    expect(formatParameterNumber(0.00015)).toBe("1.5e-4");
    expect(formatParameterNumber(5e-5)).toBe("5e-5");
    expect(formatParameterNumber(-0.0002)).toBe("-2e-4");
  });

  test("keeps other numbers short", () => {
    expect(formatParameterNumber(0.001)).toBe("0.001");
    expect(formatParameterNumber(0.05)).toBe("0.05");
    expect(formatParameterNumber(1 / 3)).toBe("0.333333");
    expect(formatParameterNumber(42)).toBe("42");
    expect(formatParameterNumber(0)).toBe("0");
  });
});

describe("formatParameterValue", () => {
  test("reads booleans as Yes/No, lists comma-separated, missing values as Not set", () => {
    expect(formatParameterValue(true)).toBe("Yes");
    expect(formatParameterValue(false)).toBe("No");
    expect(formatParameterValue(["q_proj", "v_proj"])).toBe("q_proj, v_proj");
    expect(formatParameterValue([])).toBe("None");
    expect(formatParameterValue(null)).toBe(NOT_SET);
    expect(formatParameterValue(undefined)).toBe(NOT_SET);
    expect(formatParameterValue("")).toBe(NOT_SET);
  });

  test("adds the unit to numbers", () => {
    expect(formatParameterValue(100, "steps")).toBe("100 steps");
    expect(formatParameterValue("cosine", "steps")).toBe("cosine");
  });

  test("shows other objects as JSON", () => {
    expect(formatParameterValue({ conv_dim: 4 })).toBe('{"conv_dim":4}');
  });
});

describe("trainingConfigGroups", () => {
  const groupNames = (config: Record<string, unknown>) => trainingConfigGroups(config).map((group) => group.category);
  const row = (config: Record<string, unknown>, key: string) =>
    trainingConfigGroups(config).flatMap((group) => group.rows).find((candidate) => candidate.key === key);

  test("lists every known category in order, DPO only when a DPO parameter is set", () => {
    expect(groupNames({ rank: 4 })).toEqual(["Model", "LoRA", "Training", "Hardware", "Checkpointing"]);
    expect(groupNames({ rank: 4, beta: 0.1 })).toEqual(["Model", "LoRA", "Training", "Hardware", "Checkpointing", "DPO"]);
  });

  test("shows known parameters that are missing as Not set", () => {
    expect(row({}, "learningRate")).toMatchObject({ value: NOT_SET, isSet: false, label: "Learning rate" });
  });

  test("finds values written under other names (kohya's unetLearningRate, lrScheduler)", () => {
    expect(row({ unetLearningRate: 0.0001 }, "unetLr")).toMatchObject({ value: "1e-4", isSet: true });
    expect(row({ lrScheduler: "cosine" }, "scheduler")).toMatchObject({ value: "cosine" });
  });

  test("formats resolution pairs and units", () => {
    expect(row({ resolution: [512, 768] }, "resolution")?.value).toBe("512 × 768 px");
    expect(row({ resolution: 1024 }, "resolution")?.value).toBe("1024 px");
    expect(row({ saveEveryNEpochs: 2 }, "saveEveryNEpochs")?.value).toBe("2 epochs");
  });

  test("keeps keys it does not know under Other, with readable labels", () => {
    const groups = trainingConfigGroups({ rank: 4, minSnrGamma: 5 });
    expect(groups.at(-1)).toEqual({
      category: "Other",
      rows: [{ key: "minSnrGamma", label: "Min snr gamma", help: null, value: "5", isSet: true }],
    });
  });
});

test("labelFromKey turns camelCase and snake_case into words", () => {
  expect(labelFromKey("gradientAccumulationSteps")).toBe("Gradient accumulation steps");
  expect(labelFromKey("ss_clip_skip")).toBe("Ss clip skip");
});
