import type { Logger } from "pino";
import type { AccessControl } from "./api-keys/access.js";
import type { ApiKeyService } from "./api-keys/service.js";
import type { Principal } from "./auth/principal.js";
import type { ActivityService } from "./activity/service.js";
import type { AbTestService } from "./ab-tests/service.js";
import type { AdapterService } from "./adapters/service.js";
import type { CivitaiImportService } from "./adapters/civitai-import.js";
import type { BaseModelService } from "./base-models/service.js";
import type { Config } from "./config/config.js";
import type { DatasetService } from "./datasets/service.js";
import type { DeliveryService } from "./deliveries/service.js";
import type { Database } from "./db/client.js";
import type { BaseModel, PrismaClient } from "./generated/prisma/client.js";
import type { EventBus } from "./pubsub/pubsub.js";
import type { DashboardService } from "./dashboard/service.js";
import type { ExperimentService } from "./experiments/service.js";
import type { EvaluationService } from "./evaluation/service.js";
import type { ImageJobRunner } from "./generation/image-runner.js";
import type { GenerationService } from "./generation/service.js";
import type { GenerationGridService } from "./generation-grids/service.js";
import type { PromptService } from "./prompts/service.js";
import type { RecommendationService } from "./recommendations/service.js";
import type { Queues } from "./queue/queue.js";
import type { RunService } from "./runs/service.js";
import type { SidecarService } from "./sidecar-registry/service.js";
import type { Storage } from "./storage/storage.js";
import type { WorkerPool } from "./workers/pool.js";

export interface Services {
  activity: ActivityService;
  apiKeys: ApiKeyService;
  adapters: AdapterService;
  civitai: CivitaiImportService;
  baseModels: BaseModelService;
  datasets: DatasetService;
  experiments: ExperimentService;
  runs: RunService;
  sidecars: SidecarService;
  dashboard: DashboardService;
  generation: GenerationService;
  generationGrids: GenerationGridService;
  prompts: PromptService;
  deliveries: DeliveryService;
  evaluation: EvaluationService;
  abTests: AbTestService;
  recommendations: RecommendationService;
}

/** Everything a process holds for its lifetime; each request's context is built from it. */
export interface AppDeps {
  config: Config;
  access: AccessControl;
  db: Database;
  events: EventBus;
  logger: Logger;
  pool: WorkerPool;
  storage: Storage;
  queues: Queues;
  services: Services;
  /** runs the image jobs of GENERATION_BACKENDS in this process */
  imageJobs: ImageJobRunner;
}

export interface Context {
  principal: Principal;
  /** a file route's path signed for the caller, for media elements that cannot send the key */
  signUrl(path: string): string;
  prisma: PrismaClient;
  services: Services;
  events: EventBus;
  deps: AppDeps;
  /** per-request memo, so a list asking each adapter's compatibility loads the target once */
  loadBaseModel(id: string): Promise<BaseModel | null>;
}
