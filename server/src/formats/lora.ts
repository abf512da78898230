import { FormatError, quoteName } from "./errors.js";
import { decodeKohyaMetadata, kohyaTrainingConfig, type KohyaMetadata } from "./kohya.js";
import { parsePeftConfig, peftTrainingConfig, type PeftConfig } from "./peft.js";
import { formatShape, type SafetensorsHeader, type TensorInfo } from "./safetensors.js";

export type LoraFormat = "PEFT" | "KOHYA" | "SAFETENSORS";

export interface LoraInfo {
  format: LoraFormat;
  rank: number;
  alpha: number;
  useRslora: boolean;
  targetModules: string[];
  tensorCount: number;
  baseModelName: string | null;
  metadata: Record<string, string>;
  kohya: KohyaMetadata | null;
  peftConfig: PeftConfig | null;
  trainingConfig: Record<string, unknown> | null;
  warnings: string[];
}

/** How a file names its LoRA factors: PEFT's lora_A/lora_B, kohya's lora_unet_/lora_te_ modules, or something else. */
type KeyStyle = "peft" | "kohya" | "other";
type FactorRole = "down" | "up";

interface LoraFactor {
  module: string;
  style: KeyStyle;
  role: FactorRole;
  tensor: TensorInfo;
}

export interface LoraPair {
  module: string;
  style: KeyStyle;
  down: TensorInfo;
  up: TensorInfo;
  rank: number;
  /** the layer's input size: down's dimensions after the rank, multiplied (a conv's in × kh × kw) */
  in: number;
  /** the layer's output size: up's first dimension */
  out: number;
}

interface Analysis {
  header: SafetensorsHeader;
  pairs: LoraPair[];
  /** The most common rank among the pairs. */
  shapeRank: number;
  warnings: string[];
}

/** Group 1 is the module, group 2 the factor (A/down or B/up). First match wins, so kohya precedes the generic lora_down. */
const LORA_KEY_PATTERNS: readonly { style: KeyStyle; pattern: RegExp }[] = [
  { style: "kohya", pattern: /^(lora_(?:unet|te\d*)_[^.]+)\.lora_(down|up)\.weight$/ },
  { style: "peft", pattern: /^(.+)\.lora_(A|B)(?:\.[^.]+)?\.weight$/ },
  { style: "peft", pattern: /^(.+)\.lora_embedding_(A|B)(?:\.[^.]+)?$/ },
  { style: "other", pattern: /^(.+)\.lora_(down|up)\.weight$/ },
  { style: "other", pattern: /^(.+)\.lora_linear_layer\.(down|up)\.weight$/ },
  { style: "other", pattern: /^(.+?)[._]lora\.(down|up)\.weight$/ },
];
const ROLE_BY_TOKEN: Readonly<Record<string, FactorRole>> = { A: "down", down: "down", B: "up", up: "up" };

const PEFT_PREFIX = "base_model.model.";
const KOHYA_PREFIX = "ss_";
const ALPHA_METADATA_KEYS = ["lora_alpha", "alpha"];
const BASE_MODEL_METADATA_KEYS = ["base_model_name_or_path", "base_model"];
const KOHYA_BASE_MODEL_KEYS = ["ss_base_model_version", "ss_sd_model_name"];
const NO_BASE_MODEL_WARNING = "the file does not say which base model it was trained on";
const NO_PEFT_BASE_MODEL_WARNING = "adapter_config.json has no base_model_name_or_path";
export const PICKLE_WARNING =
  "the weights are a PyTorch pickle (adapter_model.bin): registered but never loaded, because unpickling can run code; convert them to safetensors to use this adapter";
const MAX_LISTED_NAMES = 3;

/** Classifies a LoRA from its safetensors header and, for a PEFT adapter, its adapter_config.json text. */
export function describeLora(header: SafetensorsHeader, peftConfigText?: string): LoraInfo {
  if (header.tensors.length === 0) {
    throw new FormatError("the file holds no tensors; a LoRA needs pairs of lora_A/lora_B (or lora_down/lora_up) weights");
  }
  const peftConfig = peftConfigText === undefined ? null : parsePeftConfig(peftConfigText);
  const { pairs, unpaired } = pairFactors(header.tensors);
  if (pairs.length === 0) throw new FormatError(noPairsMessage(header.tensors, unpaired));
  const warnings = unpaired.length > 0 ? [unpairedWarning(unpaired)] : [];
  const analysis: Analysis = { header, pairs, shapeRank: dominantRank(pairs, warnings), warnings };
  if (peftConfig !== null) return describePeftWithConfig(analysis, peftConfig);
  const format = formatFromKeys(pairs);
  if (format === "KOHYA") return describeKohya(analysis);
  warnOnKohyaMetadata(analysis);
  return format === "PEFT" ? describePeftWithoutConfig(analysis) : describeOtherLora(analysis);
}

/** A PEFT adapter whose weights are a pickle: described from adapter_config.json alone, never from the weights. */
export function describePicklePeft(peftConfigText: string): LoraInfo {
  const config = parsePeftConfig(peftConfigText);
  const warnings = [PICKLE_WARNING, ...(config.base_model_name_or_path === null ? [NO_PEFT_BASE_MODEL_WARNING] : [])];
  return {
    format: "PEFT",
    rank: config.r,
    alpha: config.lora_alpha,
    useRslora: config.use_rslora ?? false,
    targetModules: Array.isArray(config.target_modules) ? config.target_modules : [],
    tensorCount: 0,
    baseModelName: config.base_model_name_or_path,
    metadata: {},
    kohya: null,
    peftConfig: config,
    trainingConfig: peftTrainingConfig(config),
    warnings,
  };
}

function describePeftWithConfig(analysis: Analysis, config: PeftConfig): LoraInfo {
  checkKeysArePeft(analysis.pairs);
  checkRanksMatchConfig(analysis.pairs, config);
  if (config.base_model_name_or_path === null) {
    analysis.warnings.push(NO_PEFT_BASE_MODEL_WARNING);
  }
  return loraInfo(analysis, {
    format: "PEFT",
    rank: config.r,
    alpha: config.lora_alpha,
    useRslora: config.use_rslora ?? false,
    targetModules: Array.isArray(config.target_modules) ? config.target_modules : peftModuleNames(analysis.pairs),
    baseModelName: config.base_model_name_or_path,
    peftConfig: config,
    trainingConfig: peftTrainingConfig(config),
  });
}

function describePeftWithoutConfig(analysis: Analysis): LoraInfo {
  return loraInfo(analysis, {
    format: "PEFT",
    rank: analysis.shapeRank,
    alpha: alphaFromMetadata(analysis),
    targetModules: peftModuleNames(analysis.pairs),
    baseModelName: baseModelFromMetadata(analysis),
  });
}

function describeKohya(analysis: Analysis): LoraInfo {
  const kohya = decodeKohyaMetadata(analysis.header.metadata);
  if (kohya.networkDim !== null && kohya.networkDim !== analysis.shapeRank) {
    analysis.warnings.push(`ss_network_dim says ${kohya.networkDim} but the weights have rank ${analysis.shapeRank}; using the weights`);
  }
  const alpha =
    kohya.networkAlpha !== null && kohya.networkAlpha > 0
      ? kohya.networkAlpha
      : assumeAlphaIsRank(analysis, "ss_network_alpha is missing or 0");
  const baseModelName = kohya.baseModelVersion ?? kohya.sdModelName;
  if (baseModelName === null) analysis.warnings.push(NO_BASE_MODEL_WARNING);
  const trainingConfig = kohyaTrainingConfig(kohya);
  return loraInfo(analysis, {
    format: "KOHYA",
    rank: analysis.shapeRank,
    alpha,
    targetModules: moduleNames(analysis.pairs),
    baseModelName,
    kohya,
    trainingConfig: Object.keys(trainingConfig).length > 0 ? trainingConfig : null,
  });
}

function describeOtherLora(analysis: Analysis): LoraInfo {
  return loraInfo(analysis, {
    format: "SAFETENSORS",
    rank: analysis.shapeRank,
    alpha: alphaFromMetadata(analysis),
    targetModules: moduleNames(analysis.pairs),
    baseModelName: baseModelFromMetadata(analysis),
  });
}

function loraInfo(
  analysis: Analysis,
  fields: Pick<LoraInfo, "format" | "rank" | "alpha" | "targetModules" | "baseModelName"> &
    Partial<Pick<LoraInfo, "useRslora" | "kohya" | "peftConfig" | "trainingConfig">>,
): LoraInfo {
  return {
    useRslora: false,
    kohya: null,
    peftConfig: null,
    trainingConfig: null,
    ...fields,
    tensorCount: analysis.header.tensors.length,
    metadata: analysis.header.metadata,
    warnings: analysis.warnings,
  };
}

export function pairFactors(tensors: readonly TensorInfo[]): { pairs: LoraPair[]; unpaired: string[] } {
  const byModule = new Map<string, Partial<Record<FactorRole, LoraFactor>>>();
  for (const factor of tensors.map(loraFactor)) {
    if (factor === null) continue;
    const key = `${factor.style}\u0000${factor.module}`;
    byModule.set(key, { ...byModule.get(key), [factor.role]: factor });
  }
  const pairs: LoraPair[] = [];
  const unpaired: string[] = [];
  for (const { down, up } of byModule.values()) {
    if (down && up) pairs.push(loraPair(down, up));
    else unpaired.push((down ?? up)?.tensor.name ?? "");
  }
  return { pairs, unpaired };
}

function loraFactor(tensor: TensorInfo): LoraFactor | null {
  for (const { style, pattern } of LORA_KEY_PATTERNS) {
    const [, module, token] = pattern.exec(tensor.name) ?? [];
    const role = token === undefined ? undefined : ROLE_BY_TOKEN[token];
    if (module !== undefined && role !== undefined) return { module, style, role, tensor };
  }
  return null;
}

/** down/A is [r, in] (conv: [r, in, kh, kw]); up/B is [out, r] (conv: [out, r, 1, 1]). */
function loraPair(down: LoraFactor, up: LoraFactor): LoraPair {
  const { module, style } = down;
  const downShape = down.tensor.shape;
  const upShape = up.tensor.shape;
  if (downShape.length < 2 || upShape.length < 2) {
    throw new FormatError(
      `LoRA module ${quoteName(module)}: weights must have at least 2 dimensions, but ${quoteName(down.tensor.name)} has shape ${formatShape(downShape)} and ${quoteName(up.tensor.name)} has ${formatShape(upShape)}`,
    );
  }
  const rank = downShape[0] ?? 0;
  if (rank !== upShape[1]) {
    throw new FormatError(
      `LoRA module ${quoteName(module)} has mismatched factors: ${quoteName(down.tensor.name)} has shape ${formatShape(downShape)} (rank ${rank}) but ${quoteName(up.tensor.name)} has shape ${formatShape(upShape)} (rank ${upShape[1]})`,
    );
  }
  if (rank === 0) throw new FormatError(`LoRA module ${quoteName(module)} has rank 0`);
  const inputs = downShape.slice(1).reduce((product, size) => product * size, 1);
  return { module, style, down: down.tensor, up: up.tensor, rank, in: inputs, out: upShape[0]! };
}

function dominantRank(pairs: readonly LoraPair[], warnings: string[]): number {
  const counts = new Map<number, number>();
  for (const { rank } of pairs) counts.set(rank, (counts.get(rank) ?? 0) + 1);
  const [rank] = [...counts].reduce((best, entry) =>
    entry[1] > best[1] || (entry[1] === best[1] && entry[0] > best[0]) ? entry : best,
  );
  if (counts.size > 1) {
    const listed = [...counts].map(([r, n]) => `rank ${r} × ${n}`).join(", ");
    warnings.push(`LoRA ranks differ between modules (${listed}); reporting the most common, ${rank}`);
  }
  return rank;
}

function formatFromKeys(pairs: readonly LoraPair[]): LoraFormat {
  if (pairs.every((pair) => pair.style === "kohya")) return "KOHYA";
  if (pairs.every((pair) => pair.style === "peft" && pair.module.startsWith(PEFT_PREFIX))) return "PEFT";
  return "SAFETENSORS";
}

function checkKeysArePeft(pairs: readonly LoraPair[]): void {
  const foreign = pairs.find((pair) => pair.style !== "peft");
  if (foreign !== undefined) {
    throw new FormatError(
      `adapter_config.json describes a PEFT LoRA, but weight ${quoteName(foreign.down.name)} is not named like PEFT's lora_A/lora_B; upload the adapter_model.safetensors that belongs to this config, or the weights file alone`,
    );
  }
}

/** PEFT's rank_pattern gives some modules their own rank, so any declared rank is acceptable. */
function checkRanksMatchConfig(pairs: readonly LoraPair[], config: PeftConfig): void {
  const declaredRanks = new Set([config.r, ...Object.values(config.rank_pattern ?? {})]);
  const mismatch = pairs.find((pair) => !declaredRanks.has(pair.rank));
  if (mismatch !== undefined) {
    throw new FormatError(
      `adapter_config.json sets r=${config.r} but module ${quoteName(mismatch.module)} has rank ${mismatch.rank} (lora_A shape ${formatShape(mismatch.down.shape)}); the config does not belong to these weights`,
    );
  }
}

function alphaFromMetadata(analysis: Analysis): number {
  const text = firstMetadataValue(analysis.header.metadata, ALPHA_METADATA_KEYS);
  const alpha = text === null ? NaN : Number(text);
  return Number.isFinite(alpha) && alpha > 0 ? alpha : assumeAlphaIsRank(analysis, "the file records no LoRA alpha");
}

function assumeAlphaIsRank(analysis: Analysis, reason: string): number {
  analysis.warnings.push(`${reason}; assuming alpha = rank = ${analysis.shapeRank} (scale 1.0)`);
  return analysis.shapeRank;
}

function baseModelFromMetadata(analysis: Analysis): string | null {
  const { metadata } = analysis.header;
  const named = firstMetadataValue(metadata, BASE_MODEL_METADATA_KEYS);
  if (named !== null) return named;
  const fromKohya = firstMetadataValue(metadata, KOHYA_BASE_MODEL_KEYS);
  if (fromKohya !== null) {
    analysis.warnings.push(`base model ${quoteName(fromKohya)} was taken from kohya ss_* metadata`);
    return fromKohya;
  }
  analysis.warnings.push(NO_BASE_MODEL_WARNING);
  return null;
}

function warnOnKohyaMetadata(analysis: Analysis): void {
  if (Object.keys(analysis.header.metadata).some((key) => key.startsWith(KOHYA_PREFIX))) {
    analysis.warnings.push("the file carries kohya ss_* metadata but its weights are not named like a kohya LoRA (lora_unet_*, lora_te_*)");
  }
}

function firstMetadataValue(metadata: Record<string, string>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = metadata[key]?.trim();
    if (value && value !== "None") return value;
  }
  return null;
}

/** PEFT names target modules by their last path segment (q_proj, v_proj). */
function peftModuleNames(pairs: readonly LoraPair[]): string[] {
  return distinctSorted(pairs.map((pair) => pair.module.slice(pair.module.lastIndexOf(".") + 1)));
}

function moduleNames(pairs: readonly LoraPair[]): string[] {
  return distinctSorted(pairs.map((pair) => pair.module));
}

function distinctSorted(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}

function noPairsMessage(tensors: readonly TensorInfo[], unpaired: readonly string[]): string {
  const [partnerless] = unpaired;
  if (partnerless !== undefined) {
    return `file holds no LoRA weight pairs: ${quoteName(partnerless)} has no matching down/up (lora_A/lora_B) partner`;
  }
  return `file holds no LoRA weight pairs (lora_A/lora_B or lora_down/lora_up); its ${tensors.length} tensors, such as ${quoteName(tensors[0]?.name ?? "")}, look like a full model or another kind of adapter`;
}

function unpairedWarning(unpaired: readonly string[]): string {
  const listed = unpaired.slice(0, MAX_LISTED_NAMES).map(quoteName).join(", ");
  const more = unpaired.length > MAX_LISTED_NAMES ? ` and ${unpaired.length - MAX_LISTED_NAMES} more` : "";
  return `${unpaired.length} LoRA weights have no down/up partner and were ignored: ${listed}${more}`;
}
