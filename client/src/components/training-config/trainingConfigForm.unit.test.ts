import { describe, expect, test } from "vitest";
import type { TrainingParameterFieldFragment } from "../../gql/graphql";
import {
  BUILTIN_TRAINER,
  configFromForm,
  configOverride,
  formValues,
  numberStep,
  parameterFieldErrors,
  parameterFieldGroups,
  parametersForTrainer,
  parseSize,
  rangeHint,
  valuesFor,
} from "./trainingConfigForm";

const parameter = (fields: Partial<TrainingParameterFieldFragment> & Pick<TrainingParameterFieldFragment, "key" | "category" | "valueType">) => ({
  label: fields.key,
  description: `About ${fields.key}`,
  unit: null,
  default: null,
  min: null,
  max: null,
  setByExperiment: false,
  usedByBuiltinTrainer: true,
  ...fields,
});

const CATALOGUE: TrainingParameterFieldFragment[] = [
  parameter({ key: "baseModel", category: "MODEL", valueType: "STRING", setByExperiment: true, usedByBuiltinTrainer: false }),
  parameter({ key: "clipSkip", category: "MODEL", valueType: "INTEGER", usedByBuiltinTrainer: false }),
  parameter({ key: "rank", category: "LORA", valueType: "INTEGER", default: 8, min: 1, max: 64 }),
  parameter({ key: "targetModules", category: "LORA", valueType: "STRING_LIST", default: ["fc1", "fc2"] }),
  parameter({ key: "learningRate", category: "TRAINING", valueType: "NUMBER", default: 0.003, min: 1e-7, max: 1 }),
  parameter({ key: "maxSteps", category: "TRAINING", valueType: "INTEGER", unit: "steps", min: 1 }),
  parameter({ key: "gradientCheckpointing", category: "HARDWARE", valueType: "BOOLEAN", usedByBuiltinTrainer: false }),
];
const keys = (parameters: readonly { key: string }[]) => parameters.map((p) => p.key);

describe("parametersForTrainer", () => {
  test("offers the built-in trainer only what it reads, since it refuses the rest", () => {
    expect(keys(parametersForTrainer(CATALOGUE, BUILTIN_TRAINER))).toEqual(["rank", "targetModules", "learningRate", "maxSteps"]);
  });

  test("offers any other trainer, or none yet, every parameter but the experiment's own base model", () => {
    const all = ["clipSkip", "rank", "targetModules", "learningRate", "maxSteps", "gradientCheckpointing"];
    expect(keys(parametersForTrainer(CATALOGUE, "kohya"))).toEqual(all);
    expect(keys(parametersForTrainer(CATALOGUE, null))).toEqual(all);
  });
});

/** What an external trainer's form shows. */
const PARAMETERS = parametersForTrainer(CATALOGUE, null);

test("parameterFieldGroups groups by category in catalogue order", () => {
  const groups = parameterFieldGroups(parametersForTrainer(CATALOGUE, BUILTIN_TRAINER));
  expect(groups.map((group) => [group.title, keys(group.parameters)])).toEqual([
    ["LoRA", ["rank", "targetModules"]],
    ["Training", ["learningRate", "maxSteps"]],
  ]);
});

describe("formValues", () => {
  test("starts from the catalogue's defaults, with no value where it has none", () => {
    expect(formValues(PARAMETERS)).toEqual({
      clipSkip: null,
      rank: 8,
      targetModules: ["fc1", "fc2"],
      learningRate: 0.003,
      maxSteps: null,
      gradientCheckpointing: null,
    });
  });

  test("takes a stored configuration as it is, unset keys included", () => {
    const values = formValues(PARAMETERS, { rank: 16, targetModules: ["fc1"], maxSteps: 60 });
    expect(values).toMatchObject({ rank: 16, learningRate: null, maxSteps: 60 });
  });

  test("copies lists, so editing the form leaves the configuration alone", () => {
    const config = { targetModules: ["fc1"] };
    (formValues(PARAMETERS, config).targetModules as string[]).push("head");
    expect(config.targetModules).toEqual(["fc1"]);
  });
});

test("valuesFor keeps the values of the given parameters only", () => {
  expect(valuesFor({ rank: 8, clipSkip: 2, maxSteps: null }, [{ key: "rank" }, { key: "maxSteps" }, { key: "seed" }])).toEqual({ rank: 8, maxSteps: null });
});

test("configFromForm sends only the fields that are set", () => {
  expect(configFromForm({ rank: 8, maxSteps: null, optimizer: "", useRslora: false, targetModules: [] })).toEqual({
    rank: 8,
    useRslora: false,
    targetModules: [],
  });
});

describe("configOverride", () => {
  const base = { rank: 8, learningRate: 0.003, targetModules: ["fc1", "fc2"] };

  test("is null when nothing changed", () => {
    expect(configOverride(base, { rank: 8, learningRate: 0.003, targetModules: ["fc1", "fc2"], maxSteps: null })).toBeNull();
  });

  test("holds only the changed keys, lists compared by value", () => {
    expect(configOverride(base, { rank: 8, learningRate: 0.01, targetModules: ["fc1"], maxSteps: 60 })).toEqual({
      learningRate: 0.01,
      targetModules: ["fc1"],
      maxSteps: 60,
    });
  });

  test("sends a cleared field as null, which unsets it for the run", () => {
    expect(configOverride(base, { rank: null, learningRate: 0.003, targetModules: ["fc1", "fc2"] })).toEqual({ rank: null });
  });
});

test("parameterFieldErrors maps the API's config fields to parameter keys", () => {
  const errors = { "config.rank": "rank must be between 1 and 64", name: "name must not be empty", "configOverride.seed": "seed ..." };
  expect(parameterFieldErrors(errors, "config")).toEqual({ rank: "rank must be between 1 and 64" });
  expect(parameterFieldErrors(errors, "configOverride")).toEqual({ seed: "seed ..." });
});

test("numberStep steps whole numbers by one and others by a tenth of the default's magnitude", () => {
  expect(numberStep({ valueType: "INTEGER", default: 8 })).toBe(1);
  expect(numberStep({ valueType: "NUMBER", default: 0.003 })).toBeCloseTo(0.0001);
  expect(numberStep({ valueType: "NUMBER", default: 16 })).toBe(1);
  expect(numberStep({ valueType: "NUMBER", default: null })).toBeCloseTo(0.01);
});

test("rangeHint puts the accepted range in words", () => {
  expect(rangeHint({ min: 1, max: 64, unit: null })).toBe("Between 1 and 64");
  expect(rangeHint({ min: 1, max: null, unit: "steps" })).toBe("At least 1 steps");
  expect(rangeHint({ min: null, max: null, unit: null })).toBeNull();
});

test("parseSize reads one side or width × height", () => {
  expect(parseSize("512")).toBe(512);
  expect(parseSize("512 x 768")).toEqual([512, 768]);
  expect(parseSize("512×768")).toEqual([512, 768]);
  expect(parseSize(" ")).toBeNull();
  expect(parseSize("big")).toBeUndefined();
});
