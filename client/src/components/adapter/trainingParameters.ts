/**
 * How an adapter's training configuration reads on screen, given the API's catalogue of training
 * parameters (`trainingConfigSchema`, see useTrainingParameters).
 */
import type { TrainingParameterCategory, TrainingParameterSummaryFragment } from "../../gql/graphql";
import { CATEGORY_LABELS } from "../training-config/trainingConfigForm";

/** Shown only when the configuration holds at least one of their parameters. */
const OPTIONAL_CATEGORIES: ReadonlySet<TrainingParameterCategory> = new Set(["DPO"]);

export const NOT_SET = "Not set";
const OTHER = "Other";
const SMALL_NUMBER = 0.001;
const SIGNIFICANT_DIGITS = 6;

/** 0.0001 -> "1e-4", 0.5 -> "0.5", 3 -> "3": short, and exact enough to recognise a setting. */
export function formatParameterNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (Math.abs(value) < SMALL_NUMBER) return Number(value.toPrecision(4)).toExponential();
  return String(Number(value.toPrecision(SIGNIFICANT_DIGITS)));
}

function formatScalar(value: unknown): string {
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return formatParameterNumber(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function withUnit(text: string, unit?: string | null): string {
  return unit ? `${text} ${unit}` : text;
}

/** A configuration value as people read it: Yes/No, 1e-4, comma-separated lists, "Not set" when missing. */
export function formatParameterValue(value: unknown, unit?: string | null): string {
  if (value === null || value === undefined || value === "") return NOT_SET;
  if (Array.isArray(value)) return value.length === 0 ? "None" : value.map(formatScalar).join(", ");
  const text = formatScalar(value);
  return typeof value === "number" ? withUnit(text, unit) : text;
}

/** A SIZE given as [width, height]: [512, 768] -> "512 × 768 px"; null for anything else. */
function formatSizePair(value: unknown, unit?: string | null): string | null {
  const isPair = Array.isArray(value) && value.length === 2 && value.every((side) => typeof side === "number");
  return isPair ? withUnit(`${value[0]} × ${value[1]}`, unit) : null;
}

export interface ParameterRow {
  key: string;
  label: string;
  /** null for keys the catalogue does not know */
  description: string | null;
  value: string;
  isSet: boolean;
}

export interface ParameterGroup {
  /** a category label, or "Other" for keys the catalogue does not know */
  title: string;
  rows: ParameterRow[];
}

/** "gradientAccumulationSteps" -> "Gradient accumulation steps", for keys the catalogue does not know. */
export function labelFromKey(key: string): string {
  const words = key.replace(/[_-]+/g, " ").replace(/([a-z\d])([A-Z])/g, "$1 $2").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function rowFor(parameter: TrainingParameterSummaryFragment, config: Record<string, unknown>): ParameterRow {
  const value = config[parameter.key];
  const sizePair = parameter.valueType === "SIZE" ? formatSizePair(value, parameter.unit) : null;
  return {
    key: parameter.key,
    label: parameter.label,
    description: parameter.description,
    value: sizePair ?? formatParameterValue(value, parameter.unit),
    isSet: value !== undefined && value !== null && value !== "",
  };
}

function otherRows(config: Record<string, unknown>, parameters: readonly TrainingParameterSummaryFragment[]): ParameterRow[] {
  const known = new Set(parameters.map((parameter) => parameter.key));
  return Object.entries(config)
    .filter(([key]) => !known.has(key))
    .map(([key, value]) => ({ key, label: labelFromKey(key), description: null, value: formatParameterValue(value), isSet: value != null }));
}

/**
 * Every catalogued parameter by category, in the catalogue's order ("Not set" where the
 * configuration lacks it), optional categories only when used, then whatever else the
 * configuration holds under "Other".
 */
export function trainingConfigGroups(config: Record<string, unknown>, parameters: readonly TrainingParameterSummaryFragment[]): ParameterGroup[] {
  const categories = [...new Set(parameters.map((parameter) => parameter.category))];
  const groups = categories
    .map((category) => ({
      category,
      rows: parameters.filter((parameter) => parameter.category === category).map((parameter) => rowFor(parameter, config)),
    }))
    .filter(({ category, rows }) => !OPTIONAL_CATEGORIES.has(category) || rows.some((row) => row.isSet))
    .map(({ category, rows }) => ({ title: CATEGORY_LABELS[category], rows }));
  const other = otherRows(config, parameters);
  return other.length > 0 ? [...groups, { title: OTHER, rows: other }] : groups;
}
