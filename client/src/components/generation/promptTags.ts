/**
 * The Generate prompt's <lora:name:weight> tags, which AUTOMATIC1111 users type, and the adapter picker kept in step
 * with them: picking writes a tag, a tag of a known adapter is a picked entry. The API reads the tags in full
 * (parsePrompt); here only where each one is and which name it carries.
 */
import type { ChosenAdapter } from "./adapterSelection";

const LORA_TAG = /<lora:([^<>]*)>/g;

/** Above this combined effective scale (the sum of weight × alpha / r), stacked adapters tend to overbake. */
export const OVERBAKE_SCALE = 4;

interface TagSpan {
  start: number;
  end: number;
  name: string;
}

/** A tag as parsePrompt reads it, with the adapter its name reads as. */
export interface ReadPromptTag {
  name: string;
  weight: number | null;
  problems: readonly { severity: "ERROR" | "WARNING" }[];
  adapter: { id: string; name: string; version: string; scale: number; deletedAt?: unknown } | null;
}

function tagSpans(prompt: string): TagSpan[] {
  return [...prompt.matchAll(LORA_TAG)].map((match) => ({ start: match.index, end: match.index + match[0].length, name: match[1]!.split(":")[0]!.trim() }));
}

/** A weight as a tag carries it: 0.8, 1, 1.25. */
export const tagWeight = (weight: number) => String(Number(weight.toFixed(3)));

export const loraTag = (name: string, weight: number) => `<lora:${name}:${tagWeight(weight)}>`;

/** The prompt with the spans cut out, the spaces around each cut tidied. */
function cut(prompt: string, spans: readonly TagSpan[]): string {
  let text = prompt;
  for (const span of [...spans].reverse()) text = `${text.slice(0, span.start).trimEnd()} ${text.slice(span.end).trimStart()}`;
  return text.replace(/\s+,/g, ",").replace(/,\s*$/, "").trim();
}

/** The prompt without the tags of these adapter names: what remains are its words and any tag the picker does not hold. */
export function withoutTagsOf(prompt: string, names: readonly string[]): string {
  return cut(prompt, tagSpans(prompt).filter((span) => names.includes(span.name)));
}

/** The words of the prompt, without any tag: what conditions the model and what recommendations match. */
export const promptWords = (prompt: string) => cut(prompt, tagSpans(prompt));

/** The prompt with this adapter's tag at `weight`: its first tag rewritten (any repeat removed), else one appended. */
export function writeTag(prompt: string, name: string, weight: number): string {
  const spans = tagSpans(prompt).filter((span) => span.name === name);
  if (spans.length === 0) return `${prompt.trimEnd()}${prompt.trim() ? " " : ""}${loraTag(name, weight)}`;
  const [first, ...repeats] = spans;
  const rest = cut(prompt, repeats);
  return `${rest.slice(0, first!.start)}${loraTag(name, weight)}${rest.slice(first!.end)}`;
}

/** The prompt after the picker went from `before` to `after`: tags of removed adapters go, the others say their weight. */
export function promptAfterPicking(prompt: string, before: readonly ChosenAdapter[], after: readonly ChosenAdapter[]): string {
  const removed = before.filter((entry) => !after.some((next) => next.name === entry.name)).map((entry) => entry.name);
  let next = withoutTagsOf(prompt, removed);
  for (const entry of after) {
    const previous = before.find((old) => old.adapterId === entry.adapterId);
    if (!previous || previous.weight !== entry.weight || !tagSpans(next).some((span) => span.name === entry.name)) next = writeTag(next, entry.name, entry.weight);
  }
  return next;
}

/**
 * The picked adapters the prompt's tags say, in prompt order: a tag naming a picked adapter keeps that version at the
 * tag's weight; a tag of another live adapter without errors joins; an adapter whose tag is gone leaves. Flagged tags
 * (unknown names, deleted or incompatible adapters, weights out of range) stay in the prompt for the user to fix.
 */
export function chosenFromTags(chosen: readonly ChosenAdapter[], tags: readonly ReadPromptTag[]): ChosenAdapter[] {
  const next: ChosenAdapter[] = [];
  for (const tag of tags) {
    if (tag.weight === null || tag.problems.some((problem) => problem.severity === "ERROR")) continue;
    const picked = chosen.find((entry) => entry.name === tag.name);
    const entry = picked
      ? { ...picked, weight: tag.weight }
      : tag.adapter && !tag.adapter.deletedAt
        ? { adapterId: tag.adapter.id, name: tag.adapter.name, version: tag.adapter.version, scale: tag.adapter.scale, weight: tag.weight }
        : null;
    if (entry && !next.some((kept) => kept.adapterId === entry.adapterId)) next.push(entry);
  }
  return next;
}

/** What the stacked adapters apply together: the sum of weight × alpha / r (the LoRA scale), as LoRA users gauge overbaking. */
export function combinedScale(chosen: readonly Pick<ChosenAdapter, "weight" | "scale">[]): number {
  return chosen.reduce((sum, entry) => sum + Math.abs(entry.weight * entry.scale), 0);
}
