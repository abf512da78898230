import type { Logger } from "pino";
import type { ActivityService } from "./activity/service.js";
import type { AdapterService } from "./adapters/service.js";
import type { CivitaiImportService } from "./adapters/civitai-import.js";
import type { BaseModelService } from "./base-models/service.js";
import type { Config } from "./config/config.js";
import type { DatasetService } from "./datasets/service.js";
import type { Database } from "./db/client.js";
import type { BaseModel, PrismaClient } from "./generated/prisma/client.js";
import type { EventBus } from "./pubsub/pubsub.js";
import type { Storage } from "./storage/storage.js";
import type { WorkerPool } from "./workers/pool.js";

export interface Services {
  activity: ActivityService;
  adapters: AdapterService;
  civitai: CivitaiImportService;
  baseModels: BaseModelService;
  datasets: DatasetService;
}

/** Everything a process holds for its lifetime; each request's context is built from it. */
export interface AppDeps {
  config: Config;
  db: Database;
  events: EventBus;
  logger: Logger;
  pool: WorkerPool;
  storage: Storage;
  services: Services;
}

export interface Context {
  prisma: PrismaClient;
  services: Services;
  events: EventBus;
  deps: AppDeps;
  /** per-request memo, so a list asking each adapter's compatibility loads the target once */
  loadBaseModel(id: string): Promise<BaseModel | null>;
}
