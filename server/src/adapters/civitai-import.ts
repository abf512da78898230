import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Adapter, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { ActivityService } from "../activity/service.js";
import { BadUserInputError, DomainError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { parseCivitaiInfo, type CivitaiInfo } from "../formats/civitai.js";
import { FormatError } from "../formats/errors.js";
import { PathOutsideRootsError, resolveBelowRoots, resolveUserPath } from "../storage/paths.js";
import { readSmallText } from "../workers/bounded-read.js";
import type { WorkerPool } from "../workers/pool.js";
import { adapterName, adapterVersion, importCivitaiInput } from "./inputs.js";
import { refreshSearchText, type AdapterService } from "./service.js";
import type { AdapterStaging } from "./staging.js";

const METADATA_SUFFIXES = [".civitai.info", ".civitai.json", ".json", ".info"];
const MAX_DEPTH = 4;
const MAX_FILES = 10_000;
/** Civitai's model-version documents are tens of kilobytes, with image lists a few hundred. */
const MAX_METADATA_BYTES = 8 * 1024 * 1024;

export type ImportAction = "CREATED" | "UPDATED" | "UNCHANGED" | "FAILED";

export interface ImportItem {
  path: string;
  metadataPath: string | null;
  action: ImportAction;
  reason: string | null;
  adapter: Adapter | null;
}

export interface ImportReport {
  dryRun: boolean;
  items: ImportItem[];
}

interface Pair {
  weightsPath: string;
  metadataPath: string;
}

interface Deps {
  prisma: PrismaClient;
  pool: WorkerPool;
  activity: ActivityService;
  adapters: AdapterService;
  staging: AdapterStaging;
  importRoots: string[];
}

/** Keeps registry entries in step with Civitai metadata files that downloaders put beside LoRAs. */
export class CivitaiImportService {
  constructor(private readonly deps: Deps) {}

  async importDirectory(rawInput: unknown): Promise<ImportReport> {
    const input = parseInput(importCivitaiInput, rawInput);
    const root = await resolveUserPath(input.directory, this.deps.importRoots, "directory");
    if (!(await stat(root)).isDirectory()) throw BadUserInputError.forField("directory", `${input.directory} is not a directory`);
    const { pairs, orphans } = await this.scan(root);
    const items: ImportItem[] = orphans.map((path) => ({ path, metadataPath: null, action: "FAILED", reason: "no Civitai metadata file (.civitai.info or .json) beside it", adapter: null }));
    for (const pair of pairs) items.push(await this.importPair(pair, input.dryRun, input.force));
    return { dryRun: input.dryRun, items };
  }

  private async scan(root: string): Promise<{ pairs: Pair[]; orphans: string[] }> {
    const pairs: Pair[] = [];
    const orphans: string[] = [];
    let seen = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (++seen > MAX_FILES) throw BadUserInputError.forField("directory", `more than ${MAX_FILES} entries; import a smaller directory`);
        const path = join(dir, entry.name);
        if (entry.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1);
        if (!entry.isFile() || !entry.name.toLowerCase().endsWith(".safetensors")) continue;
        const stem = entry.name.slice(0, -".safetensors".length);
        const metadata = METADATA_SUFFIXES.map((suffix) => `${stem}${suffix}`).find((name) => names.has(name));
        if (metadata) pairs.push({ weightsPath: path, metadataPath: join(dir, metadata) });
        else orphans.push(path);
      }
    };
    await walk(root, 0);
    return { pairs, orphans };
  }

  private async importPair(pair: Pair, dryRun: boolean, force: boolean): Promise<ImportItem> {
    const item = (action: ImportAction, adapter: Adapter | null, reason: string | null = null): ImportItem => ({
      path: pair.weightsPath, metadataPath: pair.metadataPath, action, reason, adapter,
    });
    try {
      // Symlinks inside the directory must not lead out of the import roots either.
      const [weightsPath, metadataPath] = await Promise.all([pair.weightsPath, pair.metadataPath].map((p) => resolveBelowRoots(p, this.deps.importRoots)));
      const metaStat = await stat(metadataPath!);
      const info = parseCivitaiInfo(await readSmallText(metadataPath!, MAX_METADATA_BYTES, basename(metadataPath!)));
      const source = { path: metadataPath!, mtime: metaStat.mtime, size: metaStat.size };
      const tracked = await this.deps.prisma.adapter.findFirst({ where: { civitaiSourcePath: source.path, deletedAt: null } });
      if (tracked) {
        const unchanged = tracked.civitaiSourceMtime?.getTime() === source.mtime.getTime() && tracked.civitaiSourceSize === source.size;
        if (unchanged && !force) return item("UNCHANGED", tracked);
        return item("UPDATED", dryRun ? tracked : await this.applyMetadata(tracked, info, source));
      }
      await this.deps.staging.checkSourceSize({ weights: weightsPath!, config: null });
      const { sha256 } = await this.deps.pool.hashFile(weightsPath!);
      const sameFile = await this.deps.prisma.adapter.findFirst({ where: { sha256, deletedAt: null }, orderBy: { createdAt: "asc" } });
      if (sameFile) return item("UPDATED", dryRun ? sameFile : await this.applyMetadata(sameFile, info, source));
      return item("CREATED", await this.create(weightsPath!, info, source, dryRun));
    } catch (error) {
      // Expected refusals of one file fail that file only; anything else aborts the import.
      if (error instanceof DomainError || error instanceof FormatError || error instanceof PathOutsideRootsError) {
        return item("FAILED", null, error.message);
      }
      throw error;
    }
  }

  private fieldsFrom(info: CivitaiInfo) {
    return {
      trainedWords: info.trainedWords.slice(0, 200),
      tags: info.tags.slice(0, 50),
      activationText: info.activationText,
    };
  }

  private async create(weightsPath: string, info: CivitaiInfo, source: { path: string; mtime: Date; size: number }, dryRun: boolean): Promise<Adapter | null> {
    const name = parseInput(adapterName, (info.modelName ?? basename(weightsPath, ".safetensors")).replace(/[<>:]/g, " ").slice(0, 100));
    const version = parseInput(adapterVersion, (info.versionName ?? "1").replace(/[^\w.+-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50) || "1");
    await this.deps.adapters.ensureVersionFree(name, version);
    if (dryRun) {
      const inspected = await this.deps.pool.inspectAdapter({ weightsPath });
      if (!inspected.ok) throw BadUserInputError.forField("file", inspected.message);
      return null;
    }
    const staged = await this.deps.staging.stageFromPath({ weights: weightsPath, config: null });
    return this.deps.adapters.ingest(staged, {
      name,
      version,
      description: info.description ?? undefined,
      weight: info.preferredWeight != null && info.preferredWeight >= 0 && info.preferredWeight <= 2 ? info.preferredWeight : undefined,
      source: "CIVITAI",
      ...this.fieldsFrom(info),
      civitai: { info: info.raw as Prisma.InputJsonValue, sourcePath: source.path, mtime: source.mtime, size: source.size, baseModelName: info.baseModel },
    });
  }

  private async applyMetadata(adapter: Adapter, info: CivitaiInfo, source: { path: string; mtime: Date; size: number }): Promise<Adapter> {
    return this.deps.activity.transaction(this.deps.prisma, async (tx) => {
      const next = await refreshSearchText(tx, await tx.adapter.update({
        where: { id: adapter.id },
        data: {
          ...this.fieldsFrom(info),
          description: adapter.description || info.description || "",
          civitai: info.raw as Prisma.InputJsonValue,
          civitaiSourcePath: source.path,
          civitaiSourceMtime: source.mtime,
          civitaiSourceSize: source.size,
          civitaiIngestedAt: new Date(),
        },
      }));
      return {
        result: next,
        event: { type: "ADAPTER_CIVITAI_SYNCED", message: `${next.name} ${next.version} synced from ${basename(source.path)}`, subjectType: "Adapter", subjectId: next.id },
      };
    });
  }
}
