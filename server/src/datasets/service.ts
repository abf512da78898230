import type { Dataset, DatasetSource, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { ActivityService } from "../activity/service.js";
import { ConflictError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { isUniqueViolation } from "../db/errors.js";
import { DEFAULT_METER, type Melody } from "../ml/melody.js";
import type { DatasetLine } from "../ml/dataset-line.js";
import { generateExamples } from "../ml/styles.js";
import type { WorkerPool } from "../workers/pool.js";
import { barsLength, createDatasetInput, generateDatasetInput } from "./inputs.js";
import { importDatasetInput, importedItems, type UploadedFile } from "./import.js";

type Tx = Prisma.TransactionClient;

/** 5 bind variables a row (id, datasetId, position, prompt, notes): 1,000 rows stay far below PostgreSQL's 32,767. */
export const INSERT_CHUNK = 1_000;
const EXPORT_PAGE = 500;
/** Large datasets take longer than Prisma's 5 s default to insert on PGlite. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 120_000 };

export interface DatasetServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  /** MIDI files are read there, off the event loop */
  pool: WorkerPool;
}

export interface NewItem {
  prompt: string;
  melody: Melody;
}

interface NewDataset {
  name: string;
  description: string;
  source: DatasetSource;
  style?: string;
  seed?: number;
}

export const DATASET_ORDER: Prisma.DatasetOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "asc" }];

export class DatasetService {
  constructor(private readonly deps: DatasetServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  async create(rawInput: unknown): Promise<Dataset> {
    const input = parseInput(createDatasetInput, rawInput);
    const items = input.items.map((item): NewItem => {
      const meter = item.meter ?? DEFAULT_METER;
      const notes = [...item.notes].sort((a, b) => a.start - b.start);
      return { prompt: item.prompt, melody: { notes, lengthSteps: item.lengthSteps ?? barsLength(notes, meter), meter } };
    });
    return this.store({ name: input.name, description: input.description, source: "MANUAL" }, items);
  }

  async generate(rawInput: unknown): Promise<Dataset> {
    const input = parseInput(generateDatasetInput, rawInput);
    const seed = input.seed ?? Math.floor(Math.random() * 2_147_483_647);
    await this.ensureNameFree(input.name);
    const examples = generateExamples(input.style, input.count, seed);
    return this.store({ name: input.name, description: input.description, source: "GENERATED", style: input.style, seed }, examples);
  }

  /** MIDI files (one item each) or one JSONL file; every file is validated before anything is stored. */
  async import(files: UploadedFile[], rawInput: unknown): Promise<Dataset> {
    const input = parseInput(importDatasetInput, rawInput);
    await this.ensureNameFree(input.name);
    const items = await importedItems(this.deps.pool, input.format, files);
    return this.store({ name: input.name, description: input.description, source: "UPLOADED" }, items);
  }

  /** Stores the dataset, its items and the activity event in one transaction: a refusal stores nothing. */
  async store(fields: NewDataset, items: NewItem[]): Promise<Dataset> {
    await this.ensureNameFree(fields.name);
    return this.deps.activity
      .transaction(this.prisma, async (tx) => {
        const created = await tx.dataset.create({ data: { ...fields, itemCount: items.length } });
        await this.insertItems(tx, created.id, items);
        const event = {
          type: "DATASET_CREATED",
          message: `dataset ${created.name} created (${fields.source.toLowerCase()}, ${items.length} items)`,
          subjectType: "Dataset",
          subjectId: created.id,
          data: { source: fields.source, itemCount: items.length, style: fields.style ?? null, seed: fields.seed ?? null },
        };
        return { result: created, event };
      }, TRANSACTION_OPTIONS)
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw this.conflict(fields.name);
        throw error;
      });
  }

  private async insertItems(tx: Tx, datasetId: string, items: NewItem[]): Promise<void> {
    for (let offset = 0; offset < items.length; offset += INSERT_CHUNK) {
      await tx.datasetItem.createMany({
        data: items.slice(offset, offset + INSERT_CHUNK).map((item, index) => ({
          datasetId,
          position: offset + index,
          prompt: item.prompt,
          notes: item.melody as unknown as Prisma.InputJsonObject,
        })),
      });
    }
  }

  async ensureNameFree(name: string): Promise<void> {
    if (await this.prisma.dataset.findUnique({ where: { name }, select: { id: true } })) throw this.conflict(name);
  }

  private conflict(name: string): ConflictError {
    return new ConflictError(`a dataset named '${name}' exists`);
  }

  /** The dataset as the trainer reads it: one JSON line per item, in position order. */
  async *exportJsonl(datasetId: string): AsyncIterable<string> {
    const dataset = await this.prisma.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
    if (!dataset) throw new NotFoundError(`dataset '${datasetId}' does not exist`);
    let after = -1;
    for (;;) {
      const page = await this.prisma.datasetItem.findMany({
        where: { datasetId, position: { gt: after } },
        orderBy: { position: "asc" },
        take: EXPORT_PAGE,
        select: { position: true, prompt: true, notes: true },
      });
      for (const item of page) {
        const melody = item.notes as unknown as Melody;
        const example: DatasetLine = { prompt: item.prompt, notes: melody.notes, lengthSteps: melody.lengthSteps, meter: melody.meter };
        yield `${JSON.stringify(example)}\n`;
      }
      if (page.length < EXPORT_PAGE) return;
      after = page[page.length - 1]!.position;
    }
  }

  /** The whole export as one string, for small datasets and tests. */
  async exportJsonlText(datasetId: string): Promise<string> {
    let text = "";
    for await (const line of this.exportJsonl(datasetId)) text += line;
    return text;
  }
}
