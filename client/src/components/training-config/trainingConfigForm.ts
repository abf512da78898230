/**
 * Training configuration forms built from the API's parameter catalogue (`trainingConfigSchema`):
 * which fields to show, what they start from, what is sent back, and where the API's messages go.
 */
import type { TrainingParameterCategory, TrainingParameterFieldFragment } from "../../gql/graphql";
import type { JsonObject } from "../../utils/json";

export const CATEGORY_LABELS: Record<TrainingParameterCategory, string> = {
  MODEL: "Model",
  LORA: "LoRA",
  TRAINING: "Training",
  HARDWARE: "Hardware",
  CHECKPOINTING: "Checkpointing",
  DPO: "DPO",
};

/** The trainer of the reference models (tunes-s, tunes-m): it refuses the parameters it does not read. */
export const BUILTIN_TRAINER = "tunes";

type TrainerUse = Pick<TrainingParameterFieldFragment, "setByExperiment" | "usedByBuiltinTrainer">;

/**
 * The parameters a form offers for a trainer: never the experiment's own field (its base model), and
 * for the built-in trainer only those it reads, so that no one can set a key the API will refuse.
 * Any other trainer (or none yet) may read them all.
 */
export function parametersForTrainer<Parameter extends TrainerUse>(catalogue: readonly Parameter[], trainer: string | null): Parameter[] {
  return catalogue.filter((parameter) => !parameter.setByExperiment && (trainer !== BUILTIN_TRAINER || parameter.usedByBuiltinTrainer));
}

/** One value per parameter key; null means "not set" (the trainer's own default applies). */
export type ConfigValues = Record<string, unknown>;

export interface ParameterFieldGroup {
  category: TrainingParameterCategory;
  title: string;
  parameters: TrainingParameterFieldFragment[];
}

/** The parameters a form shows, category by category in the catalogue's order. */
export function parameterFieldGroups(parameters: readonly TrainingParameterFieldFragment[]): ParameterFieldGroup[] {
  const categories = [...new Set(parameters.map((parameter) => parameter.category))];
  return categories.map((category) => ({
    category,
    title: CATEGORY_LABELS[category],
    parameters: parameters.filter((parameter) => parameter.category === category),
  }));
}

function isUnset(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/** Every field's starting value: the configuration's where it has one, else the catalogue's default, else not set. */
export function formValues(parameters: readonly TrainingParameterFieldFragment[], config: JsonObject | null = null): ConfigValues {
  return Object.fromEntries(
    parameters.map((parameter) => {
      const value = config ? config[parameter.key] : parameter.default;
      return [parameter.key, isUnset(value) ? null : structuredClone(value)];
    }),
  );
}

/** The values of these parameters only: a form keeps what was set for parameters it no longer shows, but does not send it. */
export function valuesFor(values: ConfigValues, parameters: readonly Pick<TrainingParameterFieldFragment, "key">[]): ConfigValues {
  return Object.fromEntries(parameters.filter((parameter) => parameter.key in values).map((parameter) => [parameter.key, values[parameter.key]]));
}

/** What a form sends as a whole configuration: the set fields only, so unset ones take the trainer's defaults. */
export function configFromForm(values: ConfigValues): JsonObject {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => !isUnset(value)));
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The keys a run changes from its experiment's configuration, or null when it changes none. A field
 * cleared in the form is sent as null, which unsets the key for that run.
 */
export function configOverride(base: JsonObject, values: ConfigValues): JsonObject | null {
  const changed = Object.entries(values)
    .map(([key, value]) => [key, isUnset(value) ? null : value] as const)
    .filter(([key, value]) => !sameValue(isUnset(base[key]) ? null : base[key], value));
  return changed.length > 0 ? Object.fromEntries(changed) : null;
}

/** The API's messages for `<prefix>.<key>` fields, by parameter key. */
export function parameterFieldErrors(fieldErrors: Record<string, string>, prefix: "config" | "configOverride"): Record<string, string> {
  const start = `${prefix}.`;
  return Object.fromEntries(
    Object.entries(fieldErrors)
      .filter(([field]) => field.startsWith(start))
      .map(([field, message]) => [field.slice(start.length), message]),
  );
}

/** The arrow step of a number field: 1 for whole numbers, else about a tenth of the default's magnitude. */
export function numberStep(parameter: Pick<TrainingParameterFieldFragment, "valueType" | "default">): number {
  if (parameter.valueType === "INTEGER") return 1;
  const magnitude = typeof parameter.default === "number" && parameter.default !== 0 ? Math.abs(parameter.default) : 0.1;
  return 10 ** (Math.floor(Math.log10(magnitude)) - 1);
}

/** "between 1 and 64 steps", "at least 0": the range the field accepts, in words, or null when it has none. */
export function rangeHint(parameter: Pick<TrainingParameterFieldFragment, "min" | "max" | "unit">): string | null {
  const { min, max, unit } = parameter;
  const suffix = unit ? ` ${unit}` : "";
  if (min != null && max != null) return `Between ${min} and ${max}${suffix}`;
  if (min != null) return `At least ${min}${suffix}`;
  if (max != null) return `At most ${max}${suffix}`;
  return null;
}

const SIZE_PATTERN = /^\s*(\d+)\s*(?:[x×,]\s*(\d+))?\s*$/i;

/** "512" -> 512, "512 x 768" -> [512, 768], "" -> null; undefined when it is not a size. */
export function parseSize(text: string): number | [number, number] | null | undefined {
  if (text.trim() === "") return null;
  const match = SIZE_PATTERN.exec(text);
  if (!match) return undefined;
  const width = Number(match[1]);
  return match[2] === undefined ? width : [width, Number(match[2])];
}

export function formatSize(value: unknown): string {
  if (Array.isArray(value)) return value.join(" × ");
  return typeof value === "number" ? String(value) : "";
}
