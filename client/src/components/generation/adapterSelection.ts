import { withChosen } from "../../composables/useAdapterSearch";

/**
 * The adapter selector's rules: which adapters can be chosen for the current model, what the others say, and the
 * adapters chosen so far with their weights (at most five, each 0.0–2.0).
 */

export const MAX_ADAPTERS = 5;
export const MIN_WEIGHT = 0;
export const MAX_WEIGHT = 2;
export const WEIGHT_STEP = 0.05;

/** The selector's entry that clears the choice: the base model alone. */
export const NONE_VALUE = "none";
export const NONE_LABEL = "None (base model)";

export const requiresHint = (modelName: string) => `Requires ${modelName}`;
export const requiresTooltip = (modelName: string) => `This adapter requires ${modelName}. Change model in Settings.`;
export const noAdaptersHint = (currentModelName: string) =>
  `No adapters available for ${currentModelName}. Train or import adapters, or change model in Settings.`;
export const DIFFERENT_MODEL_MESSAGE = "Some adapters need a different model; they are shown disabled with the model they require.";
const LIMIT_HINT = `At most ${MAX_ADAPTERS} adapters`;
const LIMIT_TOOLTIP = "Remove an adapter to choose another.";
const PICKLED_HINT = "Pickled weights";
const PICKLED_TOOLTIP = "Its weights are pickled (adapter_model.bin), which is never loaded; convert them to safetensors.";

export interface SelectableAdapter {
  id: string;
  name: string;
  version: string;
  /** the adapter's default weight */
  weight: number;
  /** alpha / r (alpha / sqrt(r) with rsLoRA): what weight 1.0 applies */
  scale: number;
  loadable: boolean;
  baseModel: { id: string; displayName: string };
}

export interface AdapterChoice {
  value: string;
  label: string;
  disabled: boolean;
  /** a short reason beside a disabled entry */
  hint: string | null;
  /** the longer reason on hover */
  tooltip: string | null;
}

/** An adapter chosen for a generation, with its weight. */
export interface ChosenAdapter {
  adapterId: string;
  name: string;
  version: string;
  weight: number;
  /** alpha / r: weight × scale is what it applies */
  scale: number;
}

export const adapterLabel = (adapter: Pick<SelectableAdapter, "name" | "version">) => `${adapter.name} ${adapter.version}`;

/** Within 0.0–2.0 on the slider's 0.05 grid; anything but a finite number is the neutral 1.0. */
export function clampWeight(weight: number): number {
  if (!Number.isFinite(weight)) return 1;
  const bounded = Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, weight));
  return Number((Math.round(bounded / WEIGHT_STEP) * WEIGHT_STEP).toFixed(2));
}

/** "0.80": two decimals, as the slider moves in steps of 0.05. */
export const formatWeight = (weight: number) => weight.toFixed(2);

function choiceOf(adapter: SelectableAdapter, compatible: boolean, full: boolean): AdapterChoice {
  const base = { value: adapter.id, label: adapterLabel(adapter) };
  if (!compatible) {
    const required = adapter.baseModel.displayName;
    return { ...base, disabled: true, hint: requiresHint(required), tooltip: requiresTooltip(required) };
  }
  if (!adapter.loadable) return { ...base, disabled: true, hint: PICKLED_HINT, tooltip: PICKLED_TOOLTIP };
  if (full) return { ...base, disabled: true, hint: LIMIT_HINT, tooltip: LIMIT_TOOLTIP };
  return { ...base, disabled: false, hint: null, tooltip: null };
}

/** A chosen adapter the current page of matches lacks: still listed, so that it keeps its label and can be unchosen. */
function chosenChoice(entry: ChosenAdapter): AdapterChoice {
  return { value: entry.adapterId, label: adapterLabel(entry), disabled: false, hint: null, tooltip: null };
}

/**
 * The selector's entries: "None (base model)", the chosen adapters, the adapters that fit the current model, then the
 * others disabled with the model they require; `compatible` and `all` are the pages matching what is typed. When none
 * fits (`fittingCount`, whatever is typed), "None (base model)" alone. Once five are chosen, the rest wait.
 */
export function adapterChoices(input: {
  compatible: readonly SelectableAdapter[];
  all: readonly SelectableAdapter[];
  chosen: readonly ChosenAdapter[];
  fittingCount: number;
}): AdapterChoice[] {
  const none: AdapterChoice = { value: NONE_VALUE, label: NONE_LABEL, disabled: false, hint: null, tooltip: null };
  if (input.fittingCount === 0) return [none];
  const chosenIds = new Set(input.chosen.map((entry) => entry.adapterId));
  const full = chosenIds.size >= MAX_ADAPTERS;
  const fitting = new Set(input.compatible.map((adapter) => adapter.id));
  const fits = input.compatible.map((adapter) => choiceOf(adapter, true, full && !chosenIds.has(adapter.id)));
  const others = input.all
    .filter((adapter) => !fitting.has(adapter.id) && !chosenIds.has(adapter.id))
    .map((adapter) => choiceOf(adapter, false, false));
  return [none, ...withChosen(fits, input.chosen.map(chosenChoice)), ...others];
}

/** Whether the message about adapters that need a different model belongs under the selector: some fit, not all. */
export function someNeedAnotherModel(fittingCount: number, activeCount: number): boolean {
  return fittingCount > 0 && activeCount > fittingCount;
}

/**
 * The chosen adapters after the selector answered with `ids`: those kept keep their weight, new ones come with their
 * default weight, at most five; "None (base model)" clears the choice.
 */
export function chooseAdapters(chosen: readonly ChosenAdapter[], ids: readonly string[], known: readonly SelectableAdapter[]): ChosenAdapter[] {
  if (ids.includes(NONE_VALUE)) return [];
  const next = ids.flatMap((id): ChosenAdapter[] => {
    const kept = chosen.find((entry) => entry.adapterId === id);
    if (kept) return [kept];
    const adapter = known.find((candidate) => candidate.id === id);
    return adapter ? [{ adapterId: id, name: adapter.name, version: adapter.version, scale: adapter.scale, weight: clampWeight(adapter.weight) }] : [];
  });
  return next.slice(0, MAX_ADAPTERS);
}

export function withWeight(chosen: readonly ChosenAdapter[], adapterId: string, weight: number): ChosenAdapter[] {
  return chosen.map((entry) => (entry.adapterId === adapterId ? { ...entry, weight: clampWeight(weight) } : entry));
}

/** The chosen adapters less those found not to fit, once the current model has changed. */
export function keepFitting(chosen: readonly ChosenAdapter[], unfitting: ReadonlySet<string>): ChosenAdapter[] {
  return chosen.filter((entry) => !unfitting.has(entry.adapterId));
}

/** One adapter put in place of another (a suggestion after INCOMPATIBLE_ADAPTER), at the replaced one's weight. */
export function replaceAdapter(chosen: readonly ChosenAdapter[], replacedId: string, replacement: SelectableAdapter): ChosenAdapter[] {
  const rest = chosen.filter((entry) => entry.adapterId !== replacement.id);
  return rest.map((entry) =>
    entry.adapterId === replacedId ? { adapterId: replacement.id, name: replacement.name, version: replacement.version, scale: replacement.scale, weight: entry.weight } : entry,
  );
}
