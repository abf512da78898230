import type { Adapter, BaseModel, PrismaClient } from "../generated/prisma/client.js";
import { COMPOSITION_ORDER } from "../adapters/service.js";
import { compatibilityOf, type BaseModelService } from "../base-models/service.js";
import { BadUserInputError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { formatLoraWeight, loraHashesLine, loraToken, parseLoraTags, LORA_SYNTAX_CODES, type LoraTag } from "../formats/a1111-prompt.js";
import type { Storage } from "../storage/storage.js";
import { composePromptInput, MAX_ADAPTER_WEIGHT, MAX_PROMPT_ADAPTERS, MIN_ADAPTER_WEIGHT, parsePromptInput } from "./inputs.js";

export const PROMPT_PROBLEM_CODES = [
  ...LORA_SYNTAX_CODES,
  "UNKNOWN_ADAPTER",
  "ADAPTER_DELETED",
  "INACTIVE_ADAPTER",
  "INCOMPATIBLE_ADAPTER",
  "WEIGHT_OUT_OF_RANGE",
  "TOO_MANY_ADAPTERS",
  "DUPLICATE_ADAPTER",
  "UNKNOWN_BASE_MODEL",
] as const;
export type PromptProblemCode = (typeof PROMPT_PROBLEM_CODES)[number];

export const PROMPT_WARNING_CODES = [
  "ADAPTER_DELETED",
  "INACTIVE_ADAPTER",
  "INCOMPATIBLE_ADAPTER",
  "NOT_LOADABLE",
  "MISSING_FILE",
  "DUPLICATE_ADAPTER",
  "DUPLICATE_TRIGGER",
  "TOO_MANY_ADAPTERS",
  "VERSION_NOT_ADDRESSABLE",
  "NO_ADAPTERS",
] as const;
export type PromptWarningCode = (typeof PROMPT_WARNING_CODES)[number];

/** ERROR: a generation from this prompt is refused; WARNING: it runs, perhaps not as meant. */
export type Severity = "ERROR" | "WARNING";

export interface PromptProblem {
  code: PromptProblemCode;
  severity: Severity;
  message: string;
  /** the offending tag's span in the prompt; null for a problem of the whole prompt */
  start: number | null;
  end: number | null;
  tagIndex: number | null;
}

type AdapterWithBase = Adapter & { baseModel: BaseModel };

export interface PromptTagReading {
  index: number;
  start: number;
  end: number;
  raw: string;
  name: string;
  /** null when not a finite number */
  weight: number | null;
  unetWeight: number | null;
  dyn: number | null;
  /** the adapter the name reads as: the latest live version (an active one first), else the latest deleted one */
  adapter: AdapterWithBase | null;
  problems: PromptProblem[];
}

export interface PromptReading {
  prompt: string;
  cleanPrompt: string;
  tags: PromptTagReading[];
  /** every tag's problems, in prompt order, then those of the whole prompt */
  problems: PromptProblem[];
  /** `Lora hashes: "…"` of the live adapters the tags name */
  loraHashes: string | null;
}

export interface PromptWarning {
  code: PromptWarningCode;
  message: string;
  adapterId: string | null;
}

export interface ComposedAdapter {
  adapter: AdapterWithBase;
  weight: number;
  token: string;
}

export interface ComposedPrompt {
  prompt: string;
  tokens: string[];
  adapters: ComposedAdapter[];
  warnings: PromptWarning[];
  loraHashes: string | null;
}

interface NameMatch {
  live: AdapterWithBase | null;
  deleted: AdapterWithBase | null;
  /** a live adapter whose name differs only in case */
  suggestion: string | null;
}

type LoadBaseModel = (id: string) => Promise<BaseModel | null>;

export interface PromptServiceDeps {
  prisma: PrismaClient;
  baseModels: BaseModelService;
  storage: Storage;
}

const inWeightRange = (weight: number) => weight >= MIN_ADAPTER_WEIGHT && weight <= MAX_ADAPTER_WEIGHT;
const WEIGHT_RANGE = `${MIN_ADAPTER_WEIGHT.toFixed(1)}–${MAX_ADAPTER_WEIGHT.toFixed(1)}`;
const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);
const label = (adapter: Adapter) => `'${adapter.name}' ${adapter.version}`;

/** Reads `<lora:…>` prompts against the registry and composes them from it (seed 003). */
export class PromptService {
  constructor(private readonly deps: PromptServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  async parse(rawInput: unknown, loadBaseModel: LoadBaseModel = (id) => this.deps.baseModels.findById(id)): Promise<PromptReading> {
    const input = parseInput(parsePromptInput, rawInput);
    const { tags, text } = parseLoraTags(input.prompt);
    const matches = await this.matchNames(tags.map((tag) => tag.name));
    const wholePrompt: PromptProblem[] = [];
    const target = input.baseModelId ? await loadBaseModel(input.baseModelId) : null;
    if (input.baseModelId && !target) {
      wholePrompt.push({ ...noSpan, code: "UNKNOWN_BASE_MODEL", severity: "ERROR", message: `base model '${input.baseModelId}' does not exist; compatibility was not checked` });
    }
    const compatible = target ? await this.deps.baseModels.compatibleIds(target.id, loadBaseModel) : null;

    /** each live adapter named so far, with its weight */
    const seen = new Map<string, number>();
    let named = 0;
    const readings = tags.map((tag, index): PromptTagReading => {
      const problems: PromptProblem[] = [];
      const report = (code: PromptProblemCode, message: string, severity: Severity = "ERROR") =>
        problems.push({ code, severity, message, start: tag.start, end: tag.end, tagIndex: index });
      if (tag.problem) report(tag.problem.code, tag.problem.message);
      for (const problem of weightRangeProblems(tag)) report("WEIGHT_OUT_OF_RANGE", problem);
      if (!tag.name) return reading(tag, index, null, problems);

      named += 1;
      if (named > MAX_PROMPT_ADAPTERS) report("TOO_MANY_ADAPTERS", `at most ${MAX_PROMPT_ADAPTERS} adapters per prompt; '${tag.name}' is number ${named}`);
      const match = matches.get(tag.name)!;
      const adapter = match.live ?? match.deleted;
      if (!match.live && match.deleted) {
        report("ADAPTER_DELETED", `adapter ${label(match.deleted)} was deleted on ${match.deleted.deletedAt!.toISOString()}; it cannot be used`);
      } else if (!match.live) {
        report("UNKNOWN_ADAPTER", `no adapter is named '${tag.name}'${match.suggestion ? `; did you mean '${match.suggestion}'?` : ""}`);
      } else {
        const live = match.live;
        if (!live.active) report("INACTIVE_ADAPTER", `adapter ${label(live)} is inactive; activate it to use it`);
        if (compatible && target && !compatible.includes(live.baseModelId)) {
          report("INCOMPATIBLE_ADAPTER", compatibilityOf(live.baseModel, target, target.id).reason);
        }
        const earlier = seen.get(live.id);
        if (earlier !== undefined) {
          const sameWeight = Number.isFinite(tag.te) && formatLoraWeight(tag.te) === formatLoraWeight(earlier);
          if (sameWeight) report("DUPLICATE_ADAPTER", `'${tag.name}' is named more than once at the same weight; it applies once`, "WARNING");
          else report("DUPLICATE_ADAPTER", `'${tag.name}' is at ${formatLoraWeight(earlier)} in an earlier tag; give it one weight`);
        } else if (Number.isFinite(tag.te)) {
          seen.set(live.id, tag.te);
        }
      }
      return reading(tag, index, adapter, problems);
    });

    const used = uniqueById(readings.flatMap((r) => (r.adapter && !r.adapter.deletedAt ? [r.adapter] : [])));
    return {
      prompt: input.prompt,
      cleanPrompt: text,
      tags: readings,
      problems: [...readings.flatMap((r) => r.problems), ...wholePrompt],
      loraHashes: loraHashesLine(used),
    };
  }

  async compose(rawInput: unknown, loadBaseModel: LoadBaseModel = (id) => this.deps.baseModels.findById(id)): Promise<ComposedPrompt> {
    const input = parseInput(composePromptInput, rawInput);
    const target = input.baseModelId ? await loadBaseModel(input.baseModelId) : null;
    if (input.baseModelId && !target) throw BadUserInputError.forField("baseModelId", `base model '${input.baseModelId}' does not exist`);
    const compatible = target ? await this.deps.baseModels.compatibleIds(target.id, loadBaseModel) : null;
    const requested = input.adapters ? await this.requested(input.adapters) : await this.defaults(compatible);

    const warnings: PromptWarning[] = [];
    const warn = (code: PromptWarningCode, message: string, adapter: Adapter | null) => warnings.push({ code, message, adapterId: adapter?.id ?? null });
    if (requested.length === 0) {
      warn("NO_ADAPTERS", input.adapters ? "no adapters were asked for" : "no active adapters fit; the prompt has no <lora:…> tokens", null);
    }
    const chosen: { adapter: AdapterWithBase; weight: number }[] = [];
    for (const { adapter, weight } of requested) {
      if (adapter.deletedAt) {
        warn("ADAPTER_DELETED", `adapter ${label(adapter)} was deleted on ${adapter.deletedAt.toISOString()}; left out`, adapter);
      } else if (chosen.some((c) => c.adapter.id === adapter.id)) {
        warn("DUPLICATE_ADAPTER", `adapter ${label(adapter)} is listed more than once; the first entry is used`, adapter);
      } else if (chosen.length >= MAX_PROMPT_ADAPTERS) {
        warn("TOO_MANY_ADAPTERS", `at most ${MAX_PROMPT_ADAPTERS} adapters per prompt; ${label(adapter)} is left out`, adapter);
      } else {
        chosen.push({ adapter, weight });
        if (!adapter.active) warn("INACTIVE_ADAPTER", `adapter ${label(adapter)} is inactive; a generation with it is refused until it is activated`, adapter);
        if (compatible && target && !compatible.includes(adapter.baseModelId)) {
          warn("INCOMPATIBLE_ADAPTER", compatibilityOf(adapter.baseModel, target, target.id).reason, adapter);
        }
        const fileProblem = await this.fileProblem(adapter);
        if (fileProblem) warn(fileProblem.code, fileProblem.message, adapter);
      }
    }
    await this.warnUnaddressable(chosen.map((c) => c.adapter), warn);

    const terms = triggerTerms(chosen.map((c) => c.adapter), input, warn);
    const adapters = chosen.map(({ adapter, weight }) => ({ adapter, weight, token: loraToken(adapter.name, weight) }));
    const tokens = adapters.map((a) => a.token);
    const text = [input.prefix.trim(), ...terms, input.suffix.trim()].filter(Boolean).join(", ");
    return {
      prompt: [text, tokens.join(" ")].filter(Boolean).join(", "),
      tokens,
      adapters,
      warnings,
      loraHashes: loraHashesLine(adapters.map((a) => a.adapter)),
    };
  }

  /** Each distinct name with its latest live version (an active one first), latest deleted one and a case-only near miss. */
  private async matchNames(names: string[]): Promise<Map<string, NameMatch>> {
    const distinct = [...new Set(names.filter(Boolean))];
    if (distinct.length === 0) return new Map();
    const rows = await this.prisma.adapter.findMany({
      where: { OR: distinct.map((name) => ({ name: { equals: name, mode: "insensitive" as const } })) },
      include: { baseModel: true },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    });
    return new Map(distinct.map((name) => [name, matchName(name, rows)]));
  }

  private async requested(entries: { adapterId: string; weight?: number | null }[]): Promise<{ adapter: AdapterWithBase; weight: number }[]> {
    const ids = [...new Set(entries.map((e) => e.adapterId))];
    const rows = await this.prisma.adapter.findMany({ where: { id: { in: ids } }, include: { baseModel: true } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const missing = entries.flatMap((e, i) => (byId.has(e.adapterId) ? [] : [{ field: `adapters.${i}.adapterId`, message: `adapter '${e.adapterId}' does not exist` }]));
    if (missing.length > 0) throw new BadUserInputError(missing.map((m) => m.message).join("; "), missing);
    return entries.map((e) => {
      const adapter = byId.get(e.adapterId)!;
      return { adapter, weight: e.weight ?? adapter.weight };
    });
  }

  /** The active live adapters (fitting the base model when one is given), by ordinal then name; one version per name. */
  private async defaults(compatible: string[] | null): Promise<{ adapter: AdapterWithBase; weight: number }[]> {
    const rows = await this.prisma.adapter.findMany({
      where: { deletedAt: null, active: true, ...(compatible ? { baseModelId: { in: compatible } } : {}) },
      include: { baseModel: true },
      orderBy: COMPOSITION_ORDER,
    });
    const names = new Set<string>();
    return rows.filter((row) => !names.has(row.name) && names.add(row.name)).map((adapter) => ({ adapter, weight: adapter.weight }));
  }

  private async fileProblem(adapter: Adapter): Promise<{ code: PromptWarningCode; message: string } | null> {
    if (adapter.pickledWeights) {
      return { code: "NOT_LOADABLE", message: `adapter ${label(adapter)} holds pickled PyTorch weights, which are never loaded; convert it to safetensors` };
    }
    const weights = storedWeightsFile(adapter.files);
    const present = weights !== null && (await this.deps.storage.adapters.stat(adapter.storageKey, weights)) !== null;
    return present ? null : { code: "MISSING_FILE", message: `adapter ${label(adapter)} has no weights file in storage; register or upload it again` };
  }

  /** A token names an adapter, not a version: warn when the name reads as another version than the one chosen. */
  private async warnUnaddressable(adapters: Adapter[], warn: (code: PromptWarningCode, message: string, adapter: Adapter) => void): Promise<void> {
    const matches = await this.matchNames(adapters.map((a) => a.name));
    for (const adapter of adapters) {
      const live = matches.get(adapter.name)?.live;
      if (live && live.id !== adapter.id) {
        warn("VERSION_NOT_ADDRESSABLE", `<lora:${adapter.name}:…> reads as version ${live.version}, not ${adapter.version}; a backend picks its file by name`, adapter);
      }
    }
  }
}

const noSpan = { start: null, end: null, tagIndex: null };

function reading(tag: LoraTag, index: number, adapter: AdapterWithBase | null, problems: PromptProblem[]): PromptTagReading {
  return {
    index, start: tag.start, end: tag.end, raw: tag.raw, name: tag.name,
    weight: finiteOrNull(tag.te), unetWeight: finiteOrNull(tag.unet), dyn: tag.dyn !== null && Number.isFinite(tag.dyn) ? tag.dyn : null,
    adapter, problems,
  };
}

function weightRangeProblems(tag: LoraTag): string[] {
  const values: [string, number][] = [["weight", tag.te]];
  if (tag.unet !== tag.te) values.push(["unet weight", tag.unet]);
  return values
    .filter(([, value]) => Number.isFinite(value) && !inWeightRange(value))
    .map(([what, value]) => `${what} ${formatLoraWeight(value)} is outside ${WEIGHT_RANGE}`);
}

function matchName(name: string, rows: AdapterWithBase[]): NameMatch {
  const exact = rows.filter((row) => row.name === name);
  const live = exact.filter((row) => !row.deletedAt);
  const lower = name.toLowerCase();
  return {
    live: live.find((row) => row.active) ?? live[0] ?? null,
    deleted: exact.find((row) => row.deletedAt) ?? null,
    suggestion: rows.find((row) => row.name !== name && !row.deletedAt && row.name.toLowerCase() === lower)?.name ?? null,
  };
}

function uniqueById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

function storedWeightsFile(files: unknown): string | null {
  if (!Array.isArray(files)) return null;
  const weights = files.find((f): f is { name: string } => typeof f === "object" && f !== null && f.role === "weights" && typeof f.name === "string");
  return weights?.name ?? null;
}

/**
 * The activation text (split at commas) and trigger words of the adapters, each written once: a word that two
 * adapters share is a DUPLICATE_TRIGGER, since it would steer both.
 */
function triggerTerms(
  adapters: Adapter[],
  flags: { includeTriggers: boolean; includeActivationText: boolean },
  warn: (code: PromptWarningCode, message: string, adapter: Adapter) => void,
): string[] {
  const owners = new Map<string, Adapter>();
  const warned = new Set<string>();
  const terms: string[] = [];
  for (const adapter of adapters) {
    const activation = flags.includeActivationText && adapter.activationText ? adapter.activationText.split(",") : [];
    const own = [...activation, ...(flags.includeTriggers ? adapter.triggers : [])].map((term) => term.trim()).filter(Boolean);
    for (const term of own) {
      const key = term.toLowerCase();
      const owner = owners.get(key);
      if (!owner) {
        owners.set(key, adapter);
        terms.push(term);
      } else if (owner.id !== adapter.id && !warned.has(key)) {
        warned.add(key);
        warn("DUPLICATE_TRIGGER", `'${term}' triggers both ${label(owner)} and ${label(adapter)}; it is written once`, adapter);
      }
    }
  }
  return terms;
}
