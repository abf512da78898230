import type { BaseModel, Modality, Prisma, PrismaClient } from "../generated/prisma/client.js";
import { BadUserInputError } from "../errors/domain-errors.js";
import { BASE_MODEL_CATALOGUE, normaliseAlias } from "./catalogue.js";

type Tx = Prisma.TransactionClient | PrismaClient;

export interface Compatibility {
  compatible: boolean;
  reason: string;
}

/** Whether an adapter made for `adapterBase` fits `target`, in words a user understands. */
export function compatibilityOf(adapterBase: BaseModel, target: BaseModel | null, targetId: string): Compatibility {
  if (!target) return { compatible: false, reason: `Unknown base model '${targetId}'` };
  if (adapterBase.id === target.id) return { compatible: true, reason: `Made for ${target.displayName}` };
  if (target.accepts.includes(adapterBase.id)) {
    return { compatible: true, reason: `Made for ${adapterBase.displayName}, which ${target.displayName} accepts` };
  }
  if (adapterBase.discovered) {
    return { compatible: false, reason: `Made for '${adapterBase.displayName}', which is not in the catalogue; cannot confirm it fits ${target.displayName}` };
  }
  return { compatible: false, reason: `Requires ${adapterBase.displayName}; ${target.displayName} is selected` };
}

function slug(name: string): string {
  return normaliseAlias(name).replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "unnamed";
}

export class BaseModelService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Idempotent: brings the catalogue entries and their aliases up to date. */
  async seedCatalogue(): Promise<void> {
    // The fingerprint stays in code (catalogue.ts): registration reads it from there.
    for (const { aliases, fingerprint, ...entry } of BASE_MODEL_CATALOGUE) {
      const data = { ...entry, accepts: entry.accepts ?? [], capabilities: { ...entry.capabilities } };
      await this.prisma.baseModel.upsert({ where: { id: entry.id }, create: data, update: data });
      for (const alias of [entry.id, entry.displayName, ...aliases].map(normaliseAlias)) {
        await this.prisma.baseModelAlias.upsert({ where: { alias }, create: { alias, baseModelId: entry.id }, update: { baseModelId: entry.id } });
      }
    }
  }

  findById(id: string): Promise<BaseModel | null> {
    return this.prisma.baseModel.findUnique({ where: { id } });
  }

  async compatibility(adapterBaseModelId: string, targetId: string): Promise<Compatibility> {
    const [adapterBase, target] = await Promise.all([
      this.prisma.baseModel.findUniqueOrThrow({ where: { id: adapterBaseModelId } }),
      this.findById(targetId),
    ]);
    return compatibilityOf(adapterBase, target, targetId);
  }

  /**
   * Ids of the base models whose adapters fit `targetId` (itself and those it accepts). A request
   * passes its memoised loader, so a list and its compatibility fields load the target once.
   */
  async compatibleIds(targetId: string, load: (id: string) => Promise<BaseModel | null> = (id) => this.findById(id)): Promise<string[]> {
    const target = await load(targetId);
    return target ? [target.id, ...target.accepts] : [];
  }

  /**
   * The base model of a new adapter: the caller's choice, else the name found in the file
   * through the alias table, else a discovered catalogue entry for that name.
   */
  async resolveForAdapter(tx: Tx, explicitId: string | null | undefined, nameInFile: string | null, modalityGuess: Modality): Promise<BaseModel> {
    if (explicitId) {
      const chosen = await tx.baseModel.findUnique({ where: { id: explicitId } });
      if (!chosen) throw BadUserInputError.forField("baseModelId", `base model '${explicitId}' does not exist; see the baseModels query for the catalogue`);
      return chosen;
    }
    if (!nameInFile) {
      throw BadUserInputError.forField("baseModelId", "the file names no base model (e.g. base_model_name_or_path is null); pass baseModelId to say which model it is for");
    }
    const alias = await tx.baseModelAlias.findUnique({ where: { alias: normaliseAlias(nameInFile) }, include: { baseModel: true } });
    if (alias) return alias.baseModel;
    return this.discover(tx, nameInFile, modalityGuess);
  }

  private async discover(tx: Tx, name: string, modality: Modality): Promise<BaseModel> {
    const id = `discovered-${slug(name)}`;
    const model = await tx.baseModel.upsert({
      where: { id },
      create: { id, displayName: name.trim().slice(0, 200), modality, family: "unknown", discovered: true },
      update: {},
    });
    await tx.baseModelAlias.upsert({ where: { alias: normaliseAlias(name) }, create: { alias: normaliseAlias(name), baseModelId: id }, update: {} });
    return model;
  }
}
