import type { Adapter, AdapterSource, BaseModel, Modality, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { ActivityService, ActivityInput } from "../activity/service.js";
import { checkArchitecture } from "../base-models/architecture.js";
import { ARCHITECTURES } from "../base-models/catalogue.js";
import type { BaseModelService } from "../base-models/service.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { isUniqueViolation } from "../db/errors.js";
import type { Storage } from "../storage/storage.js";
import type { InspectAdapterResult } from "../contracts/worker-tasks.js";
import type { WorkerPool } from "../workers/pool.js";
import {
  ordinalInput, registerAdapterInput, updateAdapterInput, uploadAdapterInput, adapterName,
  type AdapterFilter, type AdapterOrder, type UpdateAdapterInput, type UploadAdapterInput,
} from "./inputs.js";
import { PEFT_CONFIG_FILE, PICKLED_WEIGHTS_FILE, type AdapterStaging, type StagedFiles } from "./staging.js";
import { nextFreeVersion } from "./versioning.js";

type Tx = Prisma.TransactionClient;
const TRAINED_VERSION = "1";
type InspectedLora = Extract<InspectAdapterResult, { ok: true }>;

/** What a new adapter gets besides what its files say. */
export interface NewAdapterFields extends UploadAdapterInput {
  source: AdapterSource;
  trainedWords?: string[];
  activationText?: string | null;
  /** what trained it, when known better than the file's own metadata (a run's effective config) */
  trainingConfig?: Prisma.InputJsonValue;
  civitai?: { info: Prisma.InputJsonValue; sourcePath: string; mtime: Date; size: number; baseModelName: string | null };
}

export interface AdapterServiceDeps {
  prisma: PrismaClient;
  storage: Storage;
  staging: AdapterStaging;
  pool: WorkerPool;
  activity: ActivityService;
  baseModels: BaseModelService;
  /** runs once an adapter and its files are stored (its weight-space signature); must not throw */
  onStored?: (adapter: Adapter) => Promise<unknown>;
}

/**
 * The order adapters are composed in (prompts, defaults, suggestions): explicit ordinals first, ascending, then the
 * adapters that never got one; each by name, newest version first.
 */
export const COMPOSITION_ORDER: Prisma.AdapterOrderByWithRelationInput[] = [
  { ordinal: { sort: "asc", nulls: "last" } },
  { name: "asc" },
  { createdAt: "desc" },
  { id: "asc" },
];

const ORDER_BY: Record<AdapterOrder, Prisma.AdapterOrderByWithRelationInput[]> = {
  CREATED_AT_DESC: [{ createdAt: "desc" }, { id: "asc" }],
  CREATED_AT_ASC: [{ createdAt: "asc" }, { id: "asc" }],
  NAME_ASC: [{ name: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  NAME_DESC: [{ name: "desc" }, { createdAt: "asc" }, { id: "asc" }],
  UPDATED_AT_DESC: [{ updatedAt: "desc" }, { id: "asc" }],
  ORDINAL_ASC: COMPOSITION_ORDER,
  USAGE_DESC: [{ usageCount: "desc" }, { name: "asc" }, { id: "asc" }],
};

function modalityGuess(lora: InspectedLora["lora"]): Modality {
  if (lora.format === "KOHYA") return "IMAGE";
  const diffusionModules = /(to_q|to_k|to_v|to_out|proj_in|proj_out|unet|transformer_blocks)/;
  return lora.targetModules.some((m) => diffusionModules.test(m)) ? "IMAGE" : "TEXT";
}

type Searchable = Pick<Adapter, "name" | "description" | "tags" | "trainedWords" | "triggers">;

function searchTextOf(adapter: Searchable): string {
  return [adapter.name, adapter.description, ...adapter.tags, ...adapter.trainedWords, ...adapter.triggers].join("\n").toLowerCase();
}

/** Keeps `searchText` in step with the fields it is made of, inside the caller's transaction. */
export async function refreshSearchText(tx: Tx, adapter: Adapter): Promise<Adapter> {
  const searchText = searchTextOf(adapter);
  return searchText === adapter.searchText ? adapter : tx.adapter.update({ where: { id: adapter.id }, data: { searchText } });
}

export class AdapterService {
  constructor(private readonly deps: AdapterServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  // ---- reads -------------------------------------------------------------------------------

  async listWhere(filter: AdapterFilter = {}, loadBaseModel?: (id: string) => Promise<BaseModel | null>): Promise<Prisma.AdapterWhereInput> {
    const and: Prisma.AdapterWhereInput[] = [{ deletedAt: null }];
    if (filter.active != null) and.push({ active: filter.active });
    if (filter.tag) and.push({ tags: { has: filter.tag } });
    if (filter.baseModelId) and.push({ baseModelId: filter.baseModelId });
    if (filter.name) and.push({ name: filter.name });
    if (filter.compatibleWith) and.push({ baseModelId: { in: await this.deps.baseModels.compatibleIds(filter.compatibleWith, loadBaseModel) } });
    const search = filter.search?.trim().toLowerCase();
    if (search) and.push({ searchText: { contains: search } });
    return { AND: and };
  }

  orderBy(order: AdapterOrder | null | undefined): Prisma.AdapterOrderByWithRelationInput[] {
    return ORDER_BY[order ?? "CREATED_AT_DESC"];
  }

  /** Adapters grouped by name, each group's versions oldest first. */
  async groups(filter: AdapterFilter = {}): Promise<{ name: string; versions: Adapter[] }[]> {
    const adapters = await this.prisma.adapter.findMany({
      where: await this.listWhere(filter),
      orderBy: [{ name: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    });
    const groups = new Map<string, Adapter[]>();
    for (const adapter of adapters) groups.set(adapter.name, [...(groups.get(adapter.name) ?? []), adapter]);
    return [...groups].map(([name, versions]) => ({ name, versions }));
  }

  // ---- creation ----------------------------------------------------------------------------

  async register(rawInput: unknown): Promise<Adapter> {
    const input = parseInput(registerAdapterInput, rawInput);
    const source = await this.deps.staging.resolveRegistrable(input.filePath);
    await this.ensureVersionFree(input.name, input.version);
    const staged = await this.deps.staging.stageFromPath(source);
    return this.ingest(staged, { ...input, source: "REGISTERED" });
  }

  async upload(files: File[], rawInput: unknown): Promise<Adapter> {
    const input = parseInput(uploadAdapterInput, rawInput);
    const plan = this.deps.staging.planUpload(files);
    await this.ensureVersionFree(input.name, input.version);
    return this.ingest(await this.deps.staging.stageUpload(plan), { ...input, source: "UPLOAD" });
  }

  /**
   * Validates staged files in the worker pool, then stores them and the adapter row together:
   * a refused file leaves nothing behind, and a stored row always has its files.
   */
  async ingest(staged: StagedFiles, fields: NewAdapterFields, afterCreate?: (tx: Tx, adapter: Adapter) => Promise<void>): Promise<Adapter> {
    const { storage } = this.deps;
    let key: string | undefined;
    let stored: Adapter;
    try {
      const inspected = await this.inspect(staged);
      key = await storage.commitStaged(staged.key);
      const storageKey = key;
      stored = await this.deps.activity.transaction(this.prisma, async (tx) => {
        const created = await this.createRow(tx, inspected, storageKey, staged, fields);
        await afterCreate?.(tx, created);
        return { result: created, event: this.creationEvent(created) };
      });
    } catch (error) {
      await (key ? storage.adapters.remove(key) : storage.staging.remove(staged.key));
      throw this.asConflict(error, fields.name, fields.version);
    }
    await this.deps.onStored?.(stored);
    return stored;
  }

  /**
   * A trainer's output (the PEFT pair), stored as version 1 of `fields.name` or the next free version;
   * `link` runs in the same transaction, so the adapter and what points at it appear together.
   */
  async ingestTrained(files: File[], fields: Omit<NewAdapterFields, "version" | "source">, link: (tx: Tx, adapter: Adapter) => Promise<void>): Promise<Adapter> {
    const plan = this.deps.staging.planUpload(files);
    const taken = await this.prisma.adapter.findMany({ where: { name: fields.name }, select: { version: true } });
    const version = taken.length === 0 ? TRAINED_VERSION : nextFreeVersion(TRAINED_VERSION, taken.map((v) => v.version));
    return this.ingest(await this.deps.staging.stageUpload(plan), { ...fields, version, source: "TRAINED" }, link);
  }

  private async inspect(staged: StagedFiles): Promise<InspectedLora> {
    const result = await this.deps.storage.staging.withLocalDir(staged.key, "read", (dir) =>
      this.deps.pool.inspectAdapter({
        weightsPath: dir.file(staged.weightsFile),
        peftConfigPath: staged.hasPeftConfig ? dir.file(PEFT_CONFIG_FILE) : undefined,
        fingerprints: ARCHITECTURES,
      }),
    );
    if (!result.ok) throw BadUserInputError.forField("file", `${staged.originalFilename}: ${result.message}`);
    return result;
  }

  private async createRow(tx: Tx, inspected: InspectedLora, storageKey: string, staged: StagedFiles, fields: NewAdapterFields): Promise<Adapter> {
    const { lora, weights, peftConfig } = inspected;
    const nameInFile = lora.baseModelName ?? fields.civitai?.baseModelName ?? null;
    const baseModel = await this.deps.baseModels.resolveForAdapter(tx, fields.baseModelId, nameInFile, modalityGuess(lora));
    checkArchitecture(staged.originalFilename, baseModel, lora.architecture, fields.baseModelId ? "caller" : "file");
    const files = [{ name: staged.weightsFile, role: "weights", ...weights }, ...(peftConfig ? [{ name: PEFT_CONFIG_FILE, role: "config", sizeBytes: peftConfig.sizeBytes, sha256: peftConfig.sha256 }] : [])];
    return tx.adapter.create({
      data: {
        name: fields.name,
        version: fields.version,
        description: fields.description ?? "",
        baseModelId: baseModel.id,
        baseModelNameInFile: nameInFile,
        format: lora.format,
        source: fields.source,
        storageKey,
        originalFilename: staged.originalFilename,
        files,
        sizeBytes: BigInt(files.reduce((sum, f) => sum + f.sizeBytes, 0)),
        sha256: weights.sha256,
        rank: lora.rank,
        alpha: lora.alpha,
        useRslora: lora.useRslora,
        targetModules: lora.targetModules,
        tensorCount: lora.tensorCount,
        pickledWeights: staged.weightsFile === PICKLED_WEIGHTS_FILE,
        tags: fields.tags ?? [],
        trainedWords: fields.trainedWords ?? [],
        activationText: fields.activationText ?? null,
        weight: fields.weight ?? 1,
        active: fields.active ?? true,
        searchText: searchTextOf({ name: fields.name, description: fields.description ?? "", tags: fields.tags ?? [], trainedWords: fields.trainedWords ?? [], triggers: [] }),
        fileMetadata: lora.metadata,
        warnings: lora.warnings,
        trainingConfig: fields.trainingConfig ?? ((lora.trainingConfig ?? undefined) as Prisma.InputJsonValue | undefined),
        civitai: fields.civitai?.info,
        civitaiSourcePath: fields.civitai?.sourcePath,
        civitaiSourceMtime: fields.civitai?.mtime,
        civitaiSourceSize: fields.civitai?.size,
        civitaiIngestedAt: fields.civitai ? new Date() : undefined,
      },
    });
  }

  private creationEvent(adapter: Adapter): ActivityInput {
    const how = { UPLOAD: "uploaded", REGISTERED: "registered", TRAINED: "trained", CIVITAI: "imported from Civitai metadata" }[adapter.source];
    return {
      type: `ADAPTER_${adapter.source === "UPLOAD" ? "UPLOADED" : "REGISTERED"}`,
      message: `${adapter.name} ${adapter.version} ${how}`,
      subjectType: "Adapter",
      subjectId: adapter.id,
      data: { format: adapter.format, baseModelId: adapter.baseModelId, sha256: adapter.sha256 },
    };
  }

  // ---- changes -----------------------------------------------------------------------------

  async update(id: string, rawInput: unknown): Promise<Adapter> {
    const input: UpdateAdapterInput = parseInput(updateAdapterInput, rawInput);
    return this.change(id, "ADAPTER_UPDATED", async (tx, current) => {
      if (input.version && input.version !== current.version) await this.ensureVersionFree(current.name, input.version, tx);
      if (input.previewSampleId) await this.ensurePreviewable(tx, current, input.previewSampleId);
      const updated = await tx.adapter.update({ where: { id }, data: input });
      return { adapter: updated, message: `${updated.name} ${updated.version} updated (${Object.keys(input).join(", ") || "no fields"})` };
    });
  }

  /** A preview is a sample this adapter made: one of a finished job that used it, outside an A/B test still running. */
  private async ensurePreviewable(tx: Tx, adapter: Adapter, sampleId: string): Promise<void> {
    const sample = await tx.sample.findUnique({
      where: { id: sampleId },
      select: { job: { select: { adapters: { select: { adapterId: true } }, abTest: { select: { status: true } } } } },
    });
    if (!sample) throw BadUserInputError.forField("previewSampleId", `sample '${sampleId}' does not exist`);
    if (!sample.job.adapters.some((entry) => entry.adapterId === adapter.id)) {
      throw BadUserInputError.forField("previewSampleId", `sample '${sampleId}' was not generated with ${adapter.name} ${adapter.version}; pick one of its own samples`);
    }
    if (sample.job.abTest && sample.job.abTest.status !== "COMPLETED") {
      throw BadUserInputError.forField("previewSampleId", `sample '${sampleId}' belongs to an A/B test that is still blind; pick it once the test is completed`);
    }
  }

  /** Other live adapters whose weights file is byte-identical (same sha256), oldest first. */
  duplicatesOf(adapter: Pick<Adapter, "id" | "sha256">): Promise<Adapter[]> {
    return this.prisma.adapter.findMany({
      where: { sha256: adapter.sha256, deletedAt: null, id: { not: adapter.id } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  }

  async rename(id: string, rawName: unknown): Promise<Adapter> {
    const name = parseInput(adapterName, rawName);
    return this.change(id, "ADAPTER_RENAMED", async (tx, current) => {
      if (name !== current.name) await this.ensureVersionFree(name, current.version, tx);
      const updated = await tx.adapter.update({ where: { id }, data: { name, updatedAt: new Date() } });
      return { adapter: updated, message: `${current.name} ${current.version} renamed to ${name}` };
    });
  }

  async setActive(id: string, active: boolean, rawOrdinal?: unknown): Promise<Adapter> {
    const ordinal = parseInput(ordinalInput, rawOrdinal);
    return this.change(id, active ? "ADAPTER_ACTIVATED" : "ADAPTER_DEACTIVATED", async (tx) => {
      const updated = await tx.adapter.update({ where: { id }, data: { active, ...(ordinal != null ? { ordinal } : {}) } });
      return { adapter: updated, message: `${updated.name} ${updated.version} ${active ? "activated" : "deactivated"}` };
    });
  }

  async softDelete(id: string): Promise<Adapter> {
    return this.change(id, "ADAPTER_DELETED", async (tx) => {
      const updated = await tx.adapter.update({ where: { id }, data: { deletedAt: new Date(), active: false } });
      return { adapter: updated, message: `${updated.name} ${updated.version} deleted` };
    });
  }

  /** Applies one change to a live adapter with its activity event, in one transaction. */
  private async change(
    id: string,
    type: string,
    apply: (tx: Tx, current: Adapter) => Promise<{ adapter: Adapter; message: string }>,
  ): Promise<Adapter> {
    return this.deps.activity
      .transaction(this.prisma, async (tx) => {
        const current = await this.findLive(tx, id);
        const { adapter, message } = await apply(tx, current);
        return { result: await refreshSearchText(tx, adapter), event: { type, message, subjectType: "Adapter", subjectId: id } };
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new ConflictError("a concurrent change took this name and version first; reload and try again");
        throw error;
      });
  }

  private async findLive(tx: Tx, id: string): Promise<Adapter> {
    const adapter = await tx.adapter.findUnique({ where: { id } });
    if (!adapter) throw new NotFoundError(`adapter '${id}' does not exist`);
    if (adapter.deletedAt) throw new NotFoundError(`adapter ${adapter.name} ${adapter.version} was deleted on ${adapter.deletedAt.toISOString()}`);
    return adapter;
  }

  // ---- conflicts ---------------------------------------------------------------------------

  async ensureVersionFree(name: string, version: string, tx: Tx | PrismaClient = this.prisma): Promise<void> {
    const versions = await tx.adapter.findMany({ where: { name }, select: { version: true } });
    if (versions.some((v) => v.version === version)) throw this.conflict(name, version, versions.map((v) => v.version));
  }

  private conflict(name: string, version: string, taken: string[]): ConflictError {
    const next = nextFreeVersion(version, taken);
    return new ConflictError(`version ${version} of '${name}' exists; next free is ${next}`, next);
  }

  /** A unique-constraint race (two requests for one name+version) surfaces as CONFLICT too. */
  private asConflict(error: unknown, name: string, version: string): unknown {
    if (!isUniqueViolation(error)) return error;
    return this.conflict(name, version, [version]);
  }
}
