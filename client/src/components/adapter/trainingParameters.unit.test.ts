import { describe, expect, test } from "vitest";
import type { TrainingParameterSummaryFragment } from "../../gql/graphql";
import {
  formatParameterNumber,
  formatParameterValue,
  labelFromKey,
  NOT_SET,
  trainingConfigGroups,
} from "./trainingParameters";

/** A few entries shaped like the API's catalogue, one per kind of display. */
const PARAMETERS: TrainingParameterSummaryFragment[] = [
  { key: "baseModel", category: "MODEL", label: "Base model", description: "The model the adapter was trained on.", unit: null, valueType: "STRING" },
  { key: "rank", category: "LORA", label: "Rank (r)", description: "Inner size of the low-rank update.", unit: null, valueType: "INTEGER" },
  { key: "learningRate", category: "TRAINING", label: "Learning rate", description: "How large each optimizer step is.", unit: null, valueType: "NUMBER" },
  { key: "resolution", category: "TRAINING", label: "Resolution", description: "The image size of the training data.", unit: "px", valueType: "SIZE" },
  { key: "mixedPrecision", category: "HARDWARE", label: "Mixed precision", description: "Number format of activations.", unit: null, valueType: "STRING" },
  { key: "saveEveryNEpochs", category: "CHECKPOINTING", label: "Save every N epochs", description: "A checkpoint after this many epochs.", unit: "epochs", valueType: "INTEGER" },
  { key: "beta", category: "DPO", label: "DPO beta", description: "Pull towards the reference model.", unit: null, valueType: "NUMBER" },
];

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
  const groups = (config: Record<string, unknown>) => trainingConfigGroups(config, PARAMETERS);
  const groupTitles = (config: Record<string, unknown>) => groups(config).map((group) => group.title);
  const row = (config: Record<string, unknown>, key: string) =>
    groups(config).flatMap((group) => group.rows).find((candidate) => candidate.key === key);

  test("lists the catalogue's categories in its order, DPO only when a DPO parameter is set", () => {
    expect(groupTitles({ rank: 4 })).toEqual(["Model", "LoRA", "Training", "Hardware", "Checkpointing"]);
    expect(groupTitles({ rank: 4, beta: 0.1 })).toEqual(["Model", "LoRA", "Training", "Hardware", "Checkpointing", "DPO"]);
  });

  test("shows known parameters that are missing as Not set", () => {
    expect(row({}, "learningRate")).toMatchObject({ value: NOT_SET, isSet: false, label: "Learning rate" });
    expect(row({ learningRate: null }, "learningRate")).toMatchObject({ value: NOT_SET, isSet: false });
  });

  test("formats set values, with the catalogue's description", () => {
    expect(row({ learningRate: 0.0001 }, "learningRate")).toMatchObject({
      value: "1e-4",
      isSet: true,
      description: "How large each optimizer step is.",
    });
  });

  test("formats size pairs and units", () => {
    expect(row({ resolution: [512, 768] }, "resolution")?.value).toBe("512 × 768 px");
    expect(row({ resolution: 1024 }, "resolution")?.value).toBe("1024 px");
    expect(row({ saveEveryNEpochs: 2 }, "saveEveryNEpochs")?.value).toBe("2 epochs");
  });

  test("keeps keys the catalogue does not know under Other, with readable labels", () => {
    expect(groups({ rank: 4, minSnrGamma: 5 }).at(-1)).toEqual({
      title: "Other",
      rows: [{ key: "minSnrGamma", label: "Min snr gamma", description: null, value: "5", isSet: true }],
    });
  });

  test("puts everything under Other when the catalogue is empty", () => {
    expect(trainingConfigGroups({ rank: 4 }, [])).toEqual([
      { title: "Other", rows: [{ key: "rank", label: "Rank", description: null, value: "4", isSet: true }] },
    ]);
  });
});

test("labelFromKey turns camelCase and snake_case into words", () => {
  expect(labelFromKey("gradientAccumulationSteps")).toBe("Gradient accumulation steps");
  expect(labelFromKey("ss_clip_skip")).toBe("Ss clip skip");
});
