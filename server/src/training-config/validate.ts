import { BUILTIN_TRAINER } from "../config/trainers.js";
import type { FieldError } from "../errors/domain-errors.js";
import { TrainerConfigSchema } from "../trainer/config.js";
import { TRAINING_PARAMETERS, type TrainingParameter } from "./parameters.js";

/*
 * An experiment's training configuration: keys of the parameter catalogue, each value of its type and
 * within its range. The base model is the experiment's own field, never a config key. For the built-in
 * trainer the whole config must also be one it accepts (its scheduler names, target modules, ...).
 */

export type TrainingConfig = Record<string, unknown>;

const BY_KEY = new Map(TRAINING_PARAMETERS.map((parameter) => [parameter.key, parameter]));
export const SET_BY_EXPERIMENT = "baseModel";
export const BUILTIN_TRAINER_KEYS: ReadonlySet<string> = new Set(Object.keys(TrainerConfigSchema.shape));

/** Every catalogued default: what an experiment starts from when its config leaves a key out. */
export function defaultTrainingConfig(): TrainingConfig {
  return Object.fromEntries(
    TRAINING_PARAMETERS.filter((p) => p.default !== undefined && p.key !== SET_BY_EXPERIMENT).map((p) => [p.key, p.default]),
  );
}

function typeProblem(parameter: TrainingParameter, value: unknown): string | null {
  const isNumber = typeof value === "number" && Number.isFinite(value);
  switch (parameter.valueType) {
    case "NUMBER":
      return isNumber ? null : "must be a number";
    case "INTEGER":
      return isNumber && Number.isInteger(value) ? null : "must be a whole number";
    case "BOOLEAN":
      return typeof value === "boolean" ? null : "must be true or false";
    case "STRING":
      return typeof value === "string" && value.length <= 500 ? null : "must be a text of at most 500 characters";
    case "STRING_LIST":
      return Array.isArray(value) && value.length <= 200 && value.every((item) => typeof item === "string" && item.length <= 200)
        ? null
        : "must be a list of texts";
    case "SIZE": {
      const sizes = Array.isArray(value) ? value : [value];
      return sizes.length >= 1 && sizes.length <= 2 && sizes.every((n) => typeof n === "number" && Number.isInteger(n) && n > 0)
        ? null
        : "must be a size: one whole number or [width, height]";
    }
  }
}

function rangeProblem(parameter: TrainingParameter, value: unknown): string | null {
  if (typeof value !== "number") return null;
  const { min, max, unit } = parameter;
  const suffix = unit ? ` ${unit}` : "";
  if (min !== undefined && max !== undefined && (value < min || value > max)) return `must be between ${min} and ${max}${suffix}`;
  if (min !== undefined && value < min) return `must be at least ${min}${suffix}`;
  if (max !== undefined && value > max) return `must be at most ${max}${suffix}`;
  return null;
}

function keyProblem(key: string, value: unknown): string | null {
  if (key === SET_BY_EXPERIMENT) return "is the experiment's base model, not a config key";
  const parameter = BY_KEY.get(key);
  if (!parameter) return "is not a known training parameter (see trainingConfigSchema)";
  if (value === null) return null;
  return typeProblem(parameter, value) ?? rangeProblem(parameter, value);
}

/** One message per offending key, under `field` (`config.<key>`); none for a valid config. Null values unset a key. */
export function trainingConfigProblems(config: TrainingConfig, trainer: string | null, baseModelId: string, field = "config"): FieldError[] {
  const problems = Object.entries(config).flatMap(([key, value]) => {
    const message = keyProblem(key, value);
    return message ? [{ field: `${field}.${key}`, message: `${key} ${message}` }] : [];
  });
  if (problems.length > 0 || trainer !== BUILTIN_TRAINER) return problems;
  return builtinTrainerProblems(config, baseModelId, field);
}

function builtinTrainerProblems(config: TrainingConfig, baseModelId: string, field: string): FieldError[] {
  const unused = Object.keys(config).filter((key) => !BUILTIN_TRAINER_KEYS.has(key) && config[key] !== null);
  if (unused.length > 0) {
    return unused.map((key) => ({ field: `${field}.${key}`, message: `${key} is not used by the built-in trainer; remove it` }));
  }
  const parsed = TrainerConfigSchema.safeParse({ ...withoutNulls(config), baseModel: baseModelId });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    return { field: `${field}.${key}`, message: `${key} ${issue.message}` };
  });
}

export function withoutNulls(config: TrainingConfig): TrainingConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null && value !== undefined));
}
