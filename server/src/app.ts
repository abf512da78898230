import type { Logger } from "pino";
import { ActivityService } from "./activity/service.js";
import { AdapterService } from "./adapters/service.js";
import { CivitaiImportService } from "./adapters/civitai-import.js";
import { AdapterStaging } from "./adapters/staging.js";
import { BaseModelService } from "./base-models/service.js";
import { DatasetService } from "./datasets/service.js";
import type { Config } from "./config/config.js";
import type { AppDeps } from "./context.js";
import { openDatabase, type DatabaseOptions } from "./db/client.js";
import { createEventBus } from "./pubsub/pubsub.js";
import { createStorage } from "./storage/storage.js";
import { createWorkerPool } from "./workers/pool.js";

/** Opens the database (applying migrations), seeds the catalogue and wires the services. */
export async function createDeps(config: Config, logger: Logger, dbOptions: Partial<DatabaseOptions> = {}): Promise<AppDeps> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, ...dbOptions });
  const events = createEventBus();
  const storage = createStorage(config.dataDir);
  const pool = createWorkerPool(config.workerThreads);
  const prisma = db.prisma;
  const activity = new ActivityService(events);
  const baseModels = new BaseModelService(prisma);
  await baseModels.seedCatalogue();
  const staging = new AdapterStaging(storage, config.importRoots, config.maxUploadBytes);
  const adapters = new AdapterService({ prisma, storage, staging, pool, activity, baseModels });
  const civitai = new CivitaiImportService({ prisma, pool, activity, adapters, staging, importRoots: config.importRoots });
  const datasets = new DatasetService({ prisma, activity });
  return { config, db, events, logger, pool, storage, services: { activity, adapters, baseModels, civitai, datasets } };
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  await deps.pool.close();
  await deps.db.close();
}
