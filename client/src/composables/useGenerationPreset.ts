import { onMounted } from "vue";
import { useClientHandle } from "@urql/vue";
import { useRoute, type LocationQuery, type LocationQueryRaw, type RouteLocationRaw } from "vue-router";
import type { ChosenAdapter } from "../components/generation/adapterSelection";
import { clampWeight, MAX_ADAPTERS } from "../components/generation/adapterSelection";
import { promptWords } from "../components/generation/promptTags";
import { graphql } from "../gql/gql";

/*
 * Links that open Generate or a new A/B test already filled in ("Use in Generate", "Re-run with the same seed",
 * "A/B against…"). Generate reads `?adapters=<id>:<weight>,…&prompt=…&seed=…&baseModel=…`; New A/B test reads
 * `?adapterA=<id>&adapterB=<id>`.
 */

const PresetAdapterDocument = graphql(`
  query GenerationPresetAdapter($id: ID!) {
    adapter(id: $id) {
      id
      name
      version
      weight
      scale
      deletedAt
    }
  }
`);

export interface PresetAdapter {
  adapterId: string;
  /** null: the adapter's default weight */
  weight: number | null;
}

export interface GenerationPreset {
  adapters: PresetAdapter[];
  prompt: string | null;
  seed: number | null;
  baseModelId: string | null;
}

const MAX_SEED = 2 ** 31 - 1;

function single(query: LocationQuery | LocationQueryRaw, key: string): string | null {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first.trim() !== "" ? first : null;
}

function presetAdapter(entry: string): PresetAdapter | null {
  const [id, weight] = entry.trim().split(":");
  if (!id || !/^[\w-]{1,64}$/.test(id)) return null;
  const parsed = weight === undefined || weight === "" ? null : Number(weight);
  return { adapterId: id, weight: parsed === null || !Number.isFinite(parsed) ? null : clampWeight(parsed) };
}

/** What a Generate link asks for; anything unreadable is left out, and at most five adapters, each once. */
export function presetFromQuery(query: LocationQuery): GenerationPreset {
  const entries = (single(query, "adapters") ?? "").split(",").map(presetAdapter).filter((entry): entry is PresetAdapter => entry !== null);
  const adapters = entries.filter((entry, index) => entries.findIndex((other) => other.adapterId === entry.adapterId) === index).slice(0, MAX_ADAPTERS);
  const seed = Number(single(query, "seed"));
  return {
    adapters,
    prompt: single(query, "prompt"),
    seed: single(query, "seed") !== null && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED ? seed : null,
    baseModelId: single(query, "baseModel"),
  };
}

export const isEmptyPreset = (preset: GenerationPreset) =>
  preset.adapters.length === 0 && preset.prompt === null && preset.seed === null && preset.baseModelId === null;

/** The Generate page filled in with this preset. */
export function generateLocation(preset: Partial<GenerationPreset>): RouteLocationRaw {
  const adapters = (preset.adapters ?? []).map((entry) => (entry.weight === null ? entry.adapterId : `${entry.adapterId}:${entry.weight}`)).join(",");
  const query: Record<string, string> = {
    ...(adapters ? { adapters } : {}),
    ...(preset.prompt ? { prompt: preset.prompt } : {}),
    ...(preset.seed != null ? { seed: String(preset.seed) } : {}),
    ...(preset.baseModelId ? { baseModel: preset.baseModelId } : {}),
  };
  return { name: "generate", query };
}

/** A new A/B test with these sides; without `b` the page lets the user pick it. */
export function abTestLocation(a: string, b?: string | null): RouteLocationRaw {
  return { name: "ab-test-new", query: { adapterA: a, ...(b ? { adapterB: b } : {}) } };
}

export interface ReusableJob {
  prompt: string;
  seed: number;
  baseModel: { id: string };
  adapters: readonly { weight: number; deleted: boolean; adapter: { id: string } }[];
}

/**
 * Generate with a job's words, adapters, weights and base model at `seed` (the job's seed draws its samples again; a
 * sample's own seed draws that sample as the first). The stored prompt's tags are left out: the adapters say them.
 */
export function rerunLocation(job: ReusableJob, seed = job.seed): RouteLocationRaw {
  const adapters = job.adapters.filter((entry) => !entry.deleted).map((entry) => ({ adapterId: entry.adapter.id, weight: entry.weight }));
  return generateLocation({ adapters, prompt: promptWords(job.prompt), seed, baseModelId: job.baseModel.id });
}

/** A new A/B test of a job's two adapters, or of its one adapter against a side to choose; null for other jobs. */
export function jobAbTestLocation(job: ReusableJob): RouteLocationRaw | null {
  const live = job.adapters.filter((entry) => !entry.deleted);
  return live.length === 1 || live.length === 2 ? abTestLocation(live[0]!.adapter.id, live[1]?.adapter.id) : null;
}

export interface LoadedPreset {
  prompt: string | null;
  seed: number | null;
  baseModelId: string | null;
  /** the live adapters asked for, at the weight asked (else their default) */
  chosen: ChosenAdapter[];
}

/** Reads the Generate link the page was opened with, loads its adapters, and hands the preset to `apply` once. */
export function useGenerationPreset(apply: (preset: LoadedPreset) => void): void {
  const route = useRoute();
  const { client } = useClientHandle();
  onMounted(async () => {
    const preset = presetFromQuery(route.query);
    if (isEmptyPreset(preset)) return;
    const answers = await Promise.all(preset.adapters.map((entry) => client.query(PresetAdapterDocument, { id: entry.adapterId }).toPromise()));
    const chosen = preset.adapters.flatMap((entry, index): ChosenAdapter[] => {
      const adapter = answers[index]?.data?.adapter;
      if (!adapter || adapter.deletedAt) return [];
      return [{ adapterId: adapter.id, name: adapter.name, version: adapter.version, scale: adapter.scale, weight: entry.weight ?? clampWeight(adapter.weight) }];
    });
    apply({ prompt: preset.prompt, seed: preset.seed, baseModelId: preset.baseModelId, chosen });
  });
}
