import { FormatError, quoteName } from "./errors.js";
import { autoV2 } from "./hash.js";

/**
 * AUTOMATIC1111 / SD.Next LoRA prompt syntax. A1111 finds extra networks with `<(\w+):([^>]+)>`, splits the
 * arguments on ":", reads `key=value` items as named and the rest as positional: the name, then the text-encoder
 * multiplier, the UNet multiplier (defaults to the first) and the dynamic dimension; `te=`, `unet=` and `dyn=`
 * override them. We match `lora` only, refuse a nested "<", and also report `<lora:>` so a user sees it.
 */
const LORA_TAG = /<lora:([^<>]*)>/g;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
/** Python's float() accepts these, so A1111 does too, and then multiplies every weight by them. */
const NON_FINITE_WORD = /^[+-]?(?:inf|infinity|nan)$/i;
const NAMED_KEYS = new Set(["te", "unet", "dyn"]);
const MAX_POSITIONAL = 4;
const WEIGHT_DECIMALS = 3;

export const LORA_SYNTAX_CODES = ["EMPTY_NAME", "INVALID_WEIGHT", "NON_FINITE_WEIGHT", "UNKNOWN_PARAMETER", "TOO_MANY_VALUES", "INVALID_DYN"] as const;
export type LoraSyntaxCode = (typeof LORA_SYNTAX_CODES)[number];

export interface LoraSyntaxProblem {
  code: LoraSyntaxCode;
  message: string;
}

export interface LoraTag {
  /** offset of "<" in the prompt, in UTF-16 code units (JavaScript string indices) */
  start: number;
  /** offset just past ">" */
  end: number;
  raw: string;
  /** the name as written, trimmed */
  name: string;
  /** the text-encoder multiplier: the weight A1111 shows; NaN or ±Infinity only together with a problem */
  te: number;
  /** the UNet multiplier: `unet=` or the third value, else the text-encoder one */
  unet: number;
  /** the dynamic dimension (`dyn=` or the fourth value), null when not given */
  dyn: number | null;
  /** the first thing wrong with the tag's syntax; null when A1111 would read it as written */
  problem: LoraSyntaxProblem | null;
}

export interface ParsedLoraPrompt {
  tags: LoraTag[];
  /** the prompt without its tags, with the separators around each removed tag tidied */
  text: string;
}

interface Multiplier {
  value: number;
  problem: LoraSyntaxProblem | null;
}

function readMultiplier(label: string, text: string): Multiplier {
  const trimmed = text.trim();
  if (NON_FINITE_WORD.test(trimmed)) {
    const value = /nan/i.test(trimmed) ? Number.NaN : trimmed.startsWith("-") ? -Infinity : Infinity;
    return { value, problem: nonFinite(label, text) };
  }
  if (!NUMBER.test(trimmed)) {
    return { value: Number.NaN, problem: { code: "INVALID_WEIGHT", message: `${label} ${quoteName(text)} is not a number; write it like 0.8` } };
  }
  const value = Number(trimmed);
  return Number.isFinite(value) ? { value, problem: null } : { value, problem: nonFinite(label, text) };
}

function nonFinite(label: string, text: string): LoraSyntaxProblem {
  return { code: "NON_FINITE_WEIGHT", message: `${label} ${quoteName(text)} is not a finite number; write it like 0.8` };
}

function readDyn(text: string): Multiplier {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed)
    ? { value: Number(trimmed), problem: null }
    : { value: Number.NaN, problem: { code: "INVALID_DYN", message: `dyn ${quoteName(text)} must be a whole number of dimensions` } };
}

function parseTag(raw: string, args: string, start: number): LoraTag {
  const [nameItem = "", ...rest] = args.split(":");
  const positional: string[] = [];
  const named = new Map<string, string>();
  const problems: LoraSyntaxProblem[] = [];
  for (const item of rest) {
    const parts = item.split("=");
    if (parts.length !== 2) {
      positional.push(item);
    } else if (NAMED_KEYS.has(parts[0]!.trim())) {
      named.set(parts[0]!.trim(), parts[1]!);
    } else {
      problems.push({ code: "UNKNOWN_PARAMETER", message: `unknown parameter ${quoteName(parts[0]!)}; use te=, unet= or dyn=` });
    }
  }
  const name = nameItem.trim();
  if (name === "") problems.unshift({ code: "EMPTY_NAME", message: "the tag has no adapter name; write it like <lora:name:0.8>" });
  if (positional.length + 1 > MAX_POSITIONAL) {
    problems.push({ code: "TOO_MANY_VALUES", message: `at most ${MAX_POSITIONAL - 1} values follow the name (weight, unet weight, dyn); found ${positional.length}` });
  }

  const teText = named.get("te") ?? positional[0];
  const te = teText === undefined ? { value: 1, problem: null } : readMultiplier("weight", teText);
  const unetText = named.get("unet") ?? positional[1];
  const unet = unetText === undefined ? { value: te.value, problem: null } : readMultiplier("unet weight", unetText);
  const dynText = named.get("dyn") ?? positional[2];
  const dyn = dynText === undefined ? { value: null, problem: null } : readDyn(dynText);
  problems.push(...[te.problem, unet.problem, dyn.problem].filter((p): p is LoraSyntaxProblem => p !== null));

  return { start, end: start + raw.length, raw, name, te: te.value, unet: unet.value, dyn: dyn.value, problem: problems[0] ?? null };
}

/** Joins the text on both sides of a removed tag: one space where there was space, no doubled or dangling comma. */
function joinAroundTag(left: string, right: string): string {
  let l = left.trimEnd();
  let r = right.trimStart();
  const hadSpace = l.length < left.length || r.length < right.length;
  if (l.endsWith(",") && (r === "" || r.startsWith(","))) l = l.slice(0, -1).trimEnd();
  else if (l === "" && r.startsWith(",")) r = r.slice(1).trimStart();
  if (l === "" || r === "") return l + r;
  return l + (hadSpace && !r.startsWith(",") ? " " : "") + r;
}

/** Every `<lora:…>` tag of an A1111 / SD.Next prompt, in order, and the prompt without them. */
export function parseLoraTags(prompt: string): ParsedLoraPrompt {
  const tags: LoraTag[] = [];
  let text = "";
  let cursor = 0;
  for (const match of prompt.matchAll(LORA_TAG)) {
    const tag = parseTag(match[0], match[1]!, match.index);
    text = tags.length === 0 ? prompt.slice(0, tag.start) : joinAroundTag(text, prompt.slice(cursor, tag.start));
    tags.push(tag);
    cursor = tag.end;
  }
  if (tags.length === 0) return { tags, text: prompt };
  return { tags, text: joinAroundTag(text, prompt.slice(cursor)).trim() };
}

/** A weight as prompts carry it: at most three decimals, trailing zeros dropped (0.5, 1, 0.333). */
export function formatLoraWeight(weight: number): string {
  if (!Number.isFinite(weight)) throw new FormatError(`a LoRA weight must be a finite number, got ${weight}`);
  const rounded = Number(weight.toFixed(WEIGHT_DECIMALS));
  return String(rounded === 0 ? 0 : rounded);
}

/** `<lora:{name}:{weight}>`; a name that would break the tag is refused. */
export function loraToken(name: string, weight: number): string {
  if (name.trim() === "" || /[<>:]/.test(name)) {
    throw new FormatError(`adapter name ${quoteName(name)} cannot appear in a <lora:name:weight> tag: it must be non-empty without <, > or :`);
  }
  return `<lora:${name}:${formatLoraWeight(weight)}>`;
}

/**
 * A1111's provenance entry, as its infotext writes it: `Lora hashes: "name: hash, name2: hash2"`. A1111 strips ":"
 * and "," from each name, keys the entries by name (the last one wins) and JSON-quotes a value holding ":" or ",".
 * A1111 itself writes the first 12 hex digits of the safetensors "addnet" hash (SD.Next 8); we write the AutoV2
 * hash of the whole file, which Civitai resolves as well. Null when there is nothing to record.
 */
export function loraHashesLine(entries: readonly { name: string; sha256: string }[]): string | null {
  const byName = new Map<string, string>();
  for (const { name, sha256 } of entries) byName.set(name.replace(/[:,]/g, ""), autoV2(sha256));
  if (byName.size === 0) return null;
  const value = [...byName].map(([name, hash]) => `${name}: ${hash}`).join(", ");
  return `Lora hashes: ${JSON.stringify(value)}`;
}
