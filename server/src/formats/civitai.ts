import { FormatError } from "./errors.js";
import { autoV2 } from "./hash.js";
import { isJsonObject, parseJson, type JsonObject } from "./json.js";

/**
 * What a sidecar info file says about a LoRA. Accepts the Civitai model-version JSON that
 * downloaders save (`*.civitai.info`, `*.json`) and the SD.Next / AUTOMATIC1111 user-metadata
 * form ("sd version", "activation text", "preferred weight").
 */
export interface CivitaiInfo {
  modelName: string | null;
  versionName: string | null;
  baseModel: string | null;
  trainedWords: string[];
  description: string | null;
  tags: string[];
  activationText: string | null;
  preferredWeight: number | null;
  modelId: number | null;
  versionId: number | null;
  /** Lowercase hex. */
  sha256: string | null;
  /** Uppercase hex, as Civitai shows it. */
  autoV2: string | null;
  raw: JsonObject;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/i;
const AUTOV2_PATTERN = /^[0-9a-f]{10}$/i;
/** A1111 writes this when the user never picked a base model. */
const UNKNOWN_SD_VERSION = "Unknown";

export function parseCivitaiInfo(text: string): CivitaiInfo {
  const raw = parseJson(text, "model info file");
  if (!isJsonObject(raw)) {
    throw new FormatError("model info file must hold a JSON object (a Civitai model version or A1111 user metadata)");
  }
  return civitaiInfoOf(raw);
}

/** The fields of an info document already parsed (one stored with an adapter, say). */
export function civitaiInfoOf(raw: JsonObject): CivitaiInfo {
  const model = isJsonObject(raw.model) ? raw.model : {};
  const trainedWords = stringList(raw.trainedWords);
  const hashes = primaryFileHashes(raw.files);
  const sha256 = matching(hashes.sha256, SHA256_PATTERN)?.toLowerCase() ?? null;
  return {
    modelName: nonEmptyString(model.name),
    versionName: nonEmptyString(raw.name),
    baseModel: nonEmptyString(raw.baseModel) ?? sdVersion(raw["sd version"]),
    trainedWords,
    description: nonEmptyString(raw.description) ?? nonEmptyString(model.description),
    tags: tagNames(model.tags ?? raw.tags),
    activationText: nonEmptyString(raw["activation text"]) ?? (trainedWords.length > 0 ? trainedWords.join(", ") : null),
    preferredWeight: preferredWeight(raw["preferred weight"]),
    modelId: positiveInteger(raw.modelId),
    versionId: positiveInteger(raw.id),
    sha256,
    autoV2: matching(hashes.autoV2, AUTOV2_PATTERN)?.toUpperCase() ?? (sha256 === null ? null : autoV2(sha256)),
    raw,
  };
}

/** The model file among a version's files: the one marked primary, else the first of type Model, else the first. */
function primaryFile(files: unknown): JsonObject | undefined {
  const candidates = Array.isArray(files) ? files.filter(isJsonObject) : [];
  return candidates.find((f) => f.primary === true) ?? candidates.find((f) => f.type === "Model") ?? candidates[0];
}

function primaryFileHashes(files: unknown): { sha256: unknown; autoV2: unknown } {
  const file = primaryFile(files);
  const hashes = isJsonObject(file?.hashes) ? file.hashes : {};
  return { sha256: caseInsensitive(hashes, "sha256"), autoV2: caseInsensitive(hashes, "autov2") };
}

export interface CivitaiStats {
  downloads: number | null;
  favorites: number | null;
  comments: number | null;
  /** the average rating, 0–5 */
  rating: number | null;
  ratingCount: number | null;
}

export interface CivitaiPrimaryFile {
  name: string | null;
  sizeBytes: number | null;
  /** Lowercase hex. */
  sha256: string | null;
  downloadUrl: string | null;
}

/** What the registry shows of a stored Civitai model-version document, beyond what an import reads from it. */
export interface CivitaiDetails {
  author: string | null;
  /** Civitai's model type: LORA, LoCon, DoRA, ... */
  archetype: string | null;
  nsfw: boolean | null;
  /** Civitai's bit-flag level: 1 PG, 2 PG-13, 4 R, 8 X, 16 XXX */
  nsfwLevel: number | null;
  publishedAt: Date | null;
  stats: CivitaiStats;
  primaryFile: CivitaiPrimaryFile | null;
}

/** Community figures: the model's own stats where the document has them, else the version's. */
function civitaiStats(model: JsonObject, version: JsonObject): CivitaiStats {
  const modelStats = isJsonObject(model.stats) ? model.stats : {};
  const versionStats = isJsonObject(version.stats) ? version.stats : {};
  const figure = (...keys: string[]) => {
    for (const stats of [modelStats, versionStats]) {
      const value = keys.map((key) => stats[key]).find((v) => typeof v === "number" && Number.isFinite(v) && v >= 0);
      if (value !== undefined) return value as number;
    }
    return null;
  };
  return {
    downloads: figure("downloadCount"),
    favorites: figure("favoriteCount", "thumbsUpCount"),
    comments: figure("commentCount"),
    rating: figure("rating"),
    ratingCount: figure("ratingCount"),
  };
}

function primaryFileDetails(raw: JsonObject): CivitaiPrimaryFile | null {
  const file = primaryFile(raw.files);
  if (!file) return null;
  const sizeKB = file.sizeKB;
  const sha256 = matching(primaryFileHashes(raw.files).sha256, SHA256_PATTERN)?.toLowerCase() ?? null;
  return {
    name: nonEmptyString(file.name),
    sizeBytes: typeof sizeKB === "number" && Number.isFinite(sizeKB) && sizeKB >= 0 ? Math.round(sizeKB * 1024) : null,
    sha256,
    downloadUrl: httpUrl(file.downloadUrl) ?? httpUrl(raw.downloadUrl),
  };
}

export function civitaiDetails(raw: JsonObject): CivitaiDetails {
  const model = isJsonObject(raw.model) ? raw.model : {};
  const creator = isJsonObject(raw.creator) ? raw.creator : isJsonObject(model.creator) ? model.creator : {};
  const nsfwLevel = positiveInteger(raw.nsfwLevel) ?? positiveInteger(model.nsfwLevel);
  const nsfw = typeof model.nsfw === "boolean" ? model.nsfw : typeof raw.nsfw === "boolean" ? raw.nsfw : nsfwLevel === null ? null : nsfwLevel > 1;
  return {
    author: nonEmptyString(creator.username),
    archetype: nonEmptyString(model.type),
    nsfw,
    nsfwLevel,
    publishedAt: isoDate(raw.publishedAt) ?? isoDate(raw.createdAt),
    stats: civitaiStats(model, raw),
    primaryFile: primaryFileDetails(raw),
  };
}

function isoDate(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Only http(s) links are shown as links; anything else in a downloaded file is ignored. */
function httpUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function caseInsensitive(object: JsonObject, lowerKey: string): unknown {
  return Object.entries(object).find(([key]) => key.toLowerCase() === lowerKey)?.[1];
}

/** Civitai lists tags as strings, older dumps as `{ name }` objects. */
function tagNames(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags
    .map((tag) => (isJsonObject(tag) ? tag.name : tag))
    .filter((name): name is string => typeof name === "string" && name !== "");
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string" && item.trim() !== "") : [];
}

function sdVersion(value: unknown): string | null {
  const version = nonEmptyString(value);
  return version === UNKNOWN_SD_VERSION ? null : version;
}

/** A1111 stores 0 for "no preference". */
function preferredWeight(value: unknown): number | null {
  const weight = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof weight === "number" && Number.isFinite(weight) && weight !== 0 ? weight : null;
}

function positiveInteger(value: unknown): number | null {
  return Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : null;
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

function matching(value: unknown, pattern: RegExp): string | null {
  return typeof value === "string" && pattern.test(value) ? value : null;
}
