import type { Logger } from "pino";
import { z } from "zod";
import { signatureCosine } from "../formats/lora-projection.js";
import type { Adapter, PrismaClient } from "../generated/prisma/client.js";
import { parseInput } from "../errors/validate.js";
import type { Storage } from "../storage/storage.js";
import type { WorkerPool } from "../workers/pool.js";
import { promptExplanation, similarityExplanation, type SimilarityFacts } from "./explanations.js";
import { compareVectors, documentText, TextIndex, tokenize, type TermVector } from "./text-index.js";

export interface RecommendationServiceDeps {
  prisma: PrismaClient;
  pool: WorkerPool;
  storage: Storage;
  logger: Logger;
}

export interface SimilarAdapter {
  adapter: Adapter;
  score: { text: number; weightSpace: number | null; combined: number };
  sharedTags: string[];
  sharedWords: string[];
  sharedModules: string[];
  /** byte-identical to the adapter compared with (the same sha256): a duplicate */
  identical: boolean;
  explanation: string;
}

export interface PromptRecommendation {
  adapter: Adapter;
  score: number;
  matchedWords: string[];
  explanation: string;
}

/** Why an adapter's stored weights give no weight-space signature; it is still compared by text. */
export interface SignatureFailure {
  adapterId: string;
  /** NO_LORA_MODULES, TENSOR_TOO_LARGE, UNREADABLE_WEIGHTS, or SIGNATURE_FAILED when the worker itself failed */
  code: string;
  /** names the adapter */
  message: string;
}

export interface RecommendationStats {
  adaptersInTextIndex: number;
  adaptersWithLoadableWeights: number;
  adaptersWithSignature: number;
  /** signatures / loadable adapters; null when no adapter has loadable weights */
  signatureCoverage: number | null;
  lastComputedAt: Date | null;
  /** live adapters whose weights could not give a signature, and why */
  signatureFailures: SignatureFailure[];
}

const similarOptions = z.object({
  limit: z.number().int().min(1).max(100).default(10),
  threshold: z.number().min(0).max(1).default(0.05),
  weights: z
    .object({ text: z.number().min(0).default(0.5), weights: z.number().min(0).default(0.5) })
    .refine((w) => w.text + w.weights > 0, "text and weights cannot both be 0")
    .default({ text: 0.5, weights: 0.5 }),
});
export type SimilarOptions = z.input<typeof similarOptions>;

const promptOptions = z.object({
  prompt: z.string().trim().min(1, "the prompt is empty").max(2_000),
  limit: z.number().int().min(1).max(100).default(10),
  /** only adapters that fit this base model (null: any) */
  compatibleIds: z.array(z.string()).nullable().default(null),
});
export type PromptOptions = z.input<typeof promptOptions>;

const IDENTICAL_EXPLANATION = "Byte-identical (the same sha256): a duplicate of this adapter.";

/** Everything recommendations read, valid while no adapter and no signature changed. */
interface Snapshot {
  version: string;
  index: TextIndex;
  /** live (not soft-deleted) adapters */
  adapters: Map<string, Adapter>;
  signatures: Map<string, Float32Array>;
  lastComputedAt: Date | null;
  results: Map<string, unknown>;
}

const MAX_CACHED_RESULTS = 500;

interface StoredFile {
  name: string;
  role: string;
}

function weightsFileOf(adapter: Adapter): string | null {
  if (adapter.pickledWeights || adapter.tensorCount === 0) return null;
  const files = Array.isArray(adapter.files) ? (adapter.files as unknown as StoredFile[]) : [];
  return files.find((file) => file.role === "weights")?.name ?? null;
}

function float32Of(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

function sharedOf(left: readonly string[], right: readonly string[]): string[] {
  const other = new Set(right.map((value) => value.toLowerCase()));
  return left.filter((value) => other.has(value.toLowerCase()));
}

/**
 * Similar adapters (text and weight space) and adapters for a prompt. Weight-space signatures are
 * computed in the worker pool when an adapter is stored (`computeSignature`), and any a live adapter
 * lacks (stored before this feature, or while the pool failed) are filled in on the next read.
 * Results are cached under a version made of the adapters' count and latest `updatedAt` and the
 * signatures' count and latest `computedAt`: any create, update, soft delete or signature moves it.
 */
export class RecommendationService {
  private cached: Snapshot | null = null;
  /** adapter id + sha256 -> why its weights give no signature, so they are not read again */
  private readonly unsignable = new Map<string, SignatureFailure>();

  constructor(private readonly deps: RecommendationServiceDeps) {}

  /** Reads the adapter's weights in the worker pool and stores their signature; never throws: a failure is logged and recorded. */
  async computeSignature(adapter: Adapter): Promise<boolean> {
    const file = weightsFileOf(adapter);
    const key = `${adapter.id}:${adapter.sha256}`;
    if (file === null || this.unsignable.has(key)) return false;
    try {
      const result = await this.deps.storage.adapters.withLocalDir(adapter.storageKey, "read", (dir) =>
        this.deps.pool.adapterSignature({ weightsPath: dir.file(file), alpha: adapter.alpha > 0 ? adapter.alpha : adapter.rank, useRslora: adapter.useRslora }),
      );
      if (!result.ok) {
        this.recordFailure(key, adapter, result.code, result.message);
        return false;
      }
      const { projection } = result;
      const data = { baseModelId: adapter.baseModelId, projection: new Uint8Array(projection.slice().buffer), dimensions: projection.length, computedAt: new Date() };
      await this.deps.prisma.adapterSignature.upsert({ where: { adapterId: adapter.id }, create: { adapterId: adapter.id, ...data }, update: data });
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error, adapterId: adapter.id }, "the worker pool failed on the adapter's weights");
      this.recordFailure(key, adapter, "SIGNATURE_FAILED", "the worker pool failed reading its weights");
      return false;
    }
  }

  private recordFailure(key: string, adapter: Adapter, code: string, reason: string): void {
    const failure = { adapterId: adapter.id, code, message: `adapter '${adapter.name}' ${adapter.version} has no weight-space signature: ${reason}` };
    this.unsignable.set(key, failure);
    this.deps.logger.warn({ adapterId: adapter.id, code }, failure.message);
  }

  /** Adapters like `adapterId` (which may itself be deleted); null when no such adapter exists. */
  async similarAdapters(adapterId: string, rawOptions: SimilarOptions = {}): Promise<SimilarAdapter[] | null> {
    const options = parseInput(similarOptions, rawOptions);
    const snapshot = await this.snapshot();
    const key = `similar:${adapterId}:${JSON.stringify(options)}`;
    const cached = snapshot.results.get(key) as SimilarAdapter[] | undefined;
    if (cached) return cached;

    const target = snapshot.adapters.get(adapterId) ?? (await this.deps.prisma.adapter.findUnique({ where: { id: adapterId } }));
    if (!target) return null;
    const targetVector = snapshot.index.vectorOf(target.id) ?? snapshot.index.vectorOfText(documentText(target));
    const targetSignature = snapshot.signatures.get(target.id) ?? (await this.storedSignature(target.id));
    const results = [...snapshot.adapters.values()]
      .filter((candidate) => candidate.id !== target.id)
      .map((candidate) => this.compare(target, targetVector, targetSignature, candidate, snapshot, options.weights))
      .filter((result) => result.identical || result.score.combined >= options.threshold)
      .sort((a, b) => Number(b.identical) - Number(a.identical) || b.score.combined - a.score.combined || (b.score.weightSpace ?? -2) - (a.score.weightSpace ?? -2) || a.adapter.name.localeCompare(b.adapter.name) || a.adapter.id.localeCompare(b.adapter.id))
      .slice(0, options.limit);
    return this.remember(snapshot, key, results);
  }

  /** Active, live adapters whose words match the prompt's, by TF-IDF cosine. */
  async recommendAdapters(rawOptions: PromptOptions): Promise<PromptRecommendation[]> {
    const { prompt, limit, compatibleIds } = parseInput(promptOptions, rawOptions);
    const snapshot = await this.snapshot();
    const key = `prompt:${limit}:${compatibleIds?.join(",") ?? "*"}:${prompt}`;
    const cached = snapshot.results.get(key) as PromptRecommendation[] | undefined;
    if (cached) return cached;

    const query = snapshot.index.vectorOfText(prompt);
    const results = [...snapshot.adapters.values()]
      .filter((adapter) => adapter.active && (compatibleIds === null || compatibleIds.includes(adapter.baseModelId)))
      .map((adapter) => ({ adapter, match: compareVectors(query, snapshot.index.vectorOf(adapter.id)!) }))
      .filter(({ match }) => match.score > 0)
      .sort((a, b) => b.match.score - a.match.score || a.adapter.name.localeCompare(b.adapter.name) || a.adapter.id.localeCompare(b.adapter.id))
      .slice(0, limit)
      .map(({ adapter, match }) => ({
        adapter,
        score: match.score,
        matchedWords: match.terms,
        explanation: promptExplanation(match.terms, adapter, tokenize),
      }));
    return this.remember(snapshot, key, results);
  }

  async stats(): Promise<RecommendationStats> {
    const snapshot = await this.snapshot();
    const loadable = [...snapshot.adapters.values()].filter((adapter) => weightsFileOf(adapter) !== null).length;
    return {
      adaptersInTextIndex: snapshot.index.size,
      adaptersWithLoadableWeights: loadable,
      adaptersWithSignature: snapshot.signatures.size,
      signatureCoverage: loadable === 0 ? null : snapshot.signatures.size / loadable,
      lastComputedAt: snapshot.lastComputedAt,
      signatureFailures: [...this.unsignable.values()].filter((failure) => snapshot.adapters.has(failure.adapterId)),
    };
  }

  private compare(
    target: Adapter,
    targetVector: TermVector,
    targetSignature: Float32Array | null | undefined,
    candidate: Adapter,
    snapshot: Snapshot,
    weights: { text: number; weights: number },
  ): SimilarAdapter {
    const text = compareVectors(targetVector, snapshot.index.vectorOf(candidate.id)!);
    const sharedTags = sharedOf(target.tags, candidate.tags);
    const tagWords = new Set(sharedTags.flatMap((tag) => tokenize(tag)));
    const sharedWords = text.terms.filter((term) => !tagWords.has(term));
    const sameBase = candidate.baseModelId === target.baseModelId;
    const candidateSignature = snapshot.signatures.get(candidate.id);
    const cosine = sameBase && targetSignature && candidateSignature ? signatureCosine(targetSignature, candidateSignature) : null;
    const sharedModules = cosine ? sharedOf(target.targetModules, candidate.targetModules) : [];
    const weightSpace = cosine ? cosine.cosine : null;
    // A negative cosine counts as no weight-space similarity, so the combined score stays in [0, 1].
    const combined = weightSpace === null ? text.score : (weights.text * text.score + weights.weights * Math.max(0, weightSpace)) / (weights.text + weights.weights);
    const facts: SimilarityFacts = {
      sharedTags,
      sharedWords,
      weightSpace: cosine ? { cosine: cosine.cosine, modules: sharedModules } : null,
      weightSpaceMissing: !sameBase ? "other-base-model" : !targetSignature || !candidateSignature ? "no-signature" : "no-shared-modules",
      otherBaseModel: candidate.baseModelId,
    };
    const identical = candidate.sha256 === target.sha256;
    const explanation = identical ? `${IDENTICAL_EXPLANATION} ${similarityExplanation(facts)}` : similarityExplanation(facts);
    return { adapter: candidate, score: { text: text.score, weightSpace, combined }, sharedTags, sharedWords, sharedModules, identical, explanation };
  }

  private remember<T>(snapshot: Snapshot, key: string, value: T): T {
    if (snapshot.results.size >= MAX_CACHED_RESULTS) snapshot.results.clear();
    snapshot.results.set(key, value);
    return value;
  }

  private async storedSignature(adapterId: string): Promise<Float32Array | null> {
    const row = await this.deps.prisma.adapterSignature.findUnique({ where: { adapterId }, select: { projection: true } });
    return row ? float32Of(row.projection) : null;
  }

  private async version(): Promise<string> {
    const [adapters, signatures] = await Promise.all([
      this.deps.prisma.adapter.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
      this.deps.prisma.adapterSignature.aggregate({ _count: { _all: true }, _max: { computedAt: true } }),
    ]);
    return [adapters._count._all, adapters._max.updatedAt?.getTime(), signatures._count._all, signatures._max.computedAt?.getTime()].join(":");
  }

  private async snapshot(): Promise<Snapshot> {
    const current = await this.version();
    if (this.cached?.version === current) return this.cached;
    const filled = await this.fillMissingSignatures();
    const version = filled ? await this.version() : current;
    const [adapters, signatures] = await Promise.all([
      this.deps.prisma.adapter.findMany({ where: { deletedAt: null }, orderBy: { id: "asc" } }),
      this.deps.prisma.adapterSignature.findMany({ where: { adapter: { deletedAt: null } }, select: { adapterId: true, projection: true, computedAt: true } }),
    ]);
    const lastComputedAt = signatures.reduce<Date | null>((latest, s) => (latest && latest >= s.computedAt ? latest : s.computedAt), null);
    this.cached = {
      version,
      index: new TextIndex(adapters),
      adapters: new Map(adapters.map((adapter) => [adapter.id, adapter])),
      signatures: new Map(signatures.map((s) => [s.adapterId, float32Of(s.projection)])),
      lastComputedAt,
      results: new Map(),
    };
    return this.cached;
  }

  /** Live adapters with loadable weights and no signature yet; true when any got one. */
  private async fillMissingSignatures(): Promise<boolean> {
    const missing = await this.deps.prisma.adapter.findMany({ where: { deletedAt: null, pickledWeights: false, tensorCount: { gt: 0 }, signature: null } });
    const results = await Promise.all(missing.filter((adapter) => !this.unsignable.has(`${adapter.id}:${adapter.sha256}`)).map((adapter) => this.computeSignature(adapter)));
    return results.some(Boolean);
  }
}
