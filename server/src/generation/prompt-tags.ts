import { formatLoraWeight } from "../formats/a1111-prompt.js";

/*
 * How a generation's <lora:name:weight> tags join the adapters picked beside the prompt (AUTOMATIC1111 applies every
 * tag it reads, so we do too): pure, so the rule is tested without a server.
 */

export interface WeightedAdapterId {
  adapterId: string;
  weight: number;
}

/** A tag as the prompt reading gives it: its name, weight, and the adapter the name reads as (null when unknown). */
export interface ReadTag {
  name: string;
  raw: string;
  weight: number | null;
  adapter: { id: string } | null;
}

export interface MergedAdapters {
  adapters: WeightedAdapterId[];
  /** one message per adapter given two weights */
  conflicts: string[];
}

/** Weights are equal as prompts write them: to three decimals. */
const sameWeight = (left: number, right: number) => formatLoraWeight(left) === formatLoraWeight(right);

/** The `adapters` of a raw createGenerationJob input that can be read; the input's own validation judges the rest. */
export function askedAdapters(raw: unknown): WeightedAdapterId[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown) => {
    const { adapterId, weight } = (entry ?? {}) as { adapterId?: unknown; weight?: unknown };
    return typeof adapterId === "string" && typeof weight === "number" ? [{ adapterId, weight }] : [];
  });
}

/**
 * The picked adapters, then each tag's adapter not among them. A tag naming a picked adapter's name (`pickedByName`)
 * is that adapter; a tag naming an adapter already listed at another weight is a conflict.
 */
export function mergeTags(picked: readonly WeightedAdapterId[], tags: readonly ReadTag[], pickedByName: (name: string) => string | null): MergedAdapters {
  const adapters = [...picked];
  const conflicts: string[] = [];
  for (const tag of tags) {
    const adapterId = pickedByName(tag.name) ?? tag.adapter?.id;
    if (adapterId === undefined || tag.weight === null) continue;
    const listed = adapters.find((entry) => entry.adapterId === adapterId);
    if (!listed) adapters.push({ adapterId, weight: tag.weight });
    else if (!sameWeight(listed.weight, tag.weight)) {
      const where = picked.some((entry) => entry.adapterId === adapterId) ? "among the adapters picked" : "in an earlier tag";
      conflicts.push(`${tag.raw} gives '${tag.name}' weight ${formatLoraWeight(tag.weight)}, but it is at ${formatLoraWeight(listed.weight)} ${where}; give it one weight`);
    }
  }
  return { adapters, conflicts };
}
