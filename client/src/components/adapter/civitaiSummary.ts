import { asJsonObject } from "../../utils/json";

export interface CivitaiFact {
  label: string;
  value: string;
}

export interface CivitaiSummary {
  facts: CivitaiFact[];
  /** the model page on civitai.com, when the metadata names the model */
  url: string | null;
}

function text(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function words(value: unknown): string | null {
  return Array.isArray(value) ? text(value.filter((word) => typeof word === "string").join(", ")) : null;
}

/**
 * The facts worth showing from stored Civitai metadata: a Civitai model-version JSON
 * (model.name, name, baseModel, trainedWords, modelId, id) or A1111 user metadata ("sd version", ...).
 */
export function civitaiSummary(raw: unknown): CivitaiSummary | null {
  const info = asJsonObject(raw);
  if (!info) return null;
  const model = asJsonObject(info.model) ?? {};
  const candidates: [string, string | null][] = [
    ["Model", text(model.name)],
    ["Version", text(info.name)],
    ["Base model", text(info.baseModel) ?? text(info["sd version"])],
    ["Trained words", words(info.trainedWords)],
    ["Activation text", text(info["activation text"])],
    ["Preferred weight", text(info["preferred weight"])],
    ["Model type", text(model.type)],
  ];
  const facts = candidates.filter((entry): entry is [string, string] => entry[1] !== null).map(([label, value]) => ({ label, value }));
  const modelId = text(info.modelId);
  const versionId = text(info.id);
  const url = modelId ? `https://civitai.com/models/${modelId}${versionId ? `?modelVersionId=${versionId}` : ""}` : null;
  return facts.length > 0 || url ? { facts, url } : null;
}
