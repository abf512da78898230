import type { AdapterDetailFragment } from "../../gql/graphql";
import { formatBytes, formatDateTime, formatDecimal } from "../../utils/format";

export type CivitaiMetadata = NonNullable<AdapterDetailFragment["civitaiMetadata"]>;

export interface CivitaiFact {
  label: string;
  value: string;
}

export interface CivitaiSummary {
  facts: CivitaiFact[];
  /** the version's page on civitai.com, when the metadata names the model */
  url: string | null;
  /** the primary file's download on Civitai */
  downloadUrl: string | null;
}

/** Civitai's NSFW level flags, as its site names them. */
const NSFW_LEVELS: Record<number, string> = { 1: "PG", 2: "PG-13", 4: "R", 8: "X", 16: "XXX", 32: "Blocked" };

export function nsfwLabel(nsfw: boolean | null | undefined, level: number | null | undefined): string | null {
  if (level != null) {
    const names = Object.entries(NSFW_LEVELS).filter(([flag]) => (level & Number(flag)) !== 0).map(([, name]) => name);
    return names.length > 0 ? names.join(", ") : String(level);
  }
  return nsfw == null ? null : nsfw ? "NSFW" : "Safe";
}

function communityStats(stats: CivitaiMetadata["stats"]): string | null {
  const parts = [
    stats.downloads != null ? `${stats.downloads.toLocaleString("en")} downloads` : null,
    stats.favorites != null ? `${stats.favorites.toLocaleString("en")} favourites` : null,
    stats.comments != null ? `${stats.comments.toLocaleString("en")} comments` : null,
    stats.rating != null ? `rated ${formatDecimal(stats.rating, 2)}${stats.ratingCount != null ? ` by ${stats.ratingCount}` : ""}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(" · ") : null;
}

function primaryFile(file: CivitaiMetadata["primaryFile"]): string | null {
  if (!file) return null;
  const parts = [file.name, file.sizeBytes != null ? formatBytes(file.sizeBytes) : null].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(", ") : null;
}

/** The facts worth showing of an adapter's Civitai metadata, in the order Civitai's own page gives them. */
export function civitaiSummary(metadata: CivitaiMetadata | null | undefined): CivitaiSummary | null {
  if (!metadata) return null;
  const candidates: [string, string | null | undefined][] = [
    ["Model", metadata.modelName],
    ["Version", metadata.versionName],
    ["Author", metadata.author],
    ["Base model", metadata.baseModel],
    ["Type", metadata.archetype],
    ["Content", nsfwLabel(metadata.nsfw, metadata.nsfwLevel)],
    ["Published", metadata.publishedAt ? formatDateTime(metadata.publishedAt) : null],
    ["Community", communityStats(metadata.stats)],
    ["Trained words", metadata.trainedWords.length > 0 ? metadata.trainedWords.join(", ") : null],
    ["Model and version ids", metadata.modelId != null ? `${metadata.modelId}${metadata.versionId != null ? ` / ${metadata.versionId}` : ""}` : null],
    ["Primary file", primaryFile(metadata.primaryFile)],
    ["File SHA-256", metadata.primaryFile?.sha256],
    ["Read from", metadata.sourcePath],
    ["Last ingested", metadata.ingestedAt ? formatDateTime(metadata.ingestedAt) : null],
  ];
  const facts = candidates.filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== "").map(([label, value]) => ({ label, value }));
  return facts.length > 0 || metadata.url ? { facts, url: metadata.url ?? null, downloadUrl: metadata.primaryFile?.downloadUrl ?? null } : null;
}
