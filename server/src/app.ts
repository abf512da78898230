import { join } from "node:path";
import type { Logger } from "pino";
import { AbTestService } from "./ab-tests/service.js";
import { createAccessControl } from "./api-keys/access.js";
import { ActivityService } from "./activity/service.js";
import { AdapterService } from "./adapters/service.js";
import { CivitaiImportService } from "./adapters/civitai-import.js";
import { AdapterStaging } from "./adapters/staging.js";
import { BaseModelService } from "./base-models/service.js";
import { DatasetService } from "./datasets/service.js";
import { DeliveryService } from "./deliveries/service.js";
import type { Config } from "./config/config.js";
import type { AppDeps } from "./context.js";
import { openDatabase, type DatabaseOptions } from "./db/client.js";
import { runLogMaxBytes } from "./config/run-log.js";
import { createEventBus } from "./pubsub/pubsub.js";
import { createStorage } from "./storage/storage.js";
import { createWorkerPool } from "./workers/pool.js";
import { DashboardService } from "./dashboard/service.js";
import { ExperimentService } from "./experiments/service.js";
import { EvaluationService } from "./evaluation/service.js";
import { PromptService } from "./prompts/service.js";
import { RecommendationService } from "./recommendations/service.js";
import { startHttpServer, type HttpServer } from "./http/server.js";
import { createGenerationQueue, createInProcessQueue } from "./queue/queue.js";
import { SampleFiles } from "./generation/sample-files.js";
import { GenerationService } from "./generation/service.js";
import { RunService } from "./runs/service.js";
import { EMBEDDED_SIDECAR_NAME, SidecarService } from "./sidecar-registry/service.js";
import { superviseSidecar, type Supervisor } from "./sidecar-registry/supervisor.js";

/** Opens the database (applying migrations), seeds the catalogue and wires the services. */
export async function createDeps(config: Config, logger: Logger, dbOptions: Partial<DatabaseOptions> = {}): Promise<AppDeps> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, ...dbOptions });
  const events = createEventBus();
  const storage = createStorage(config.dataDir);
  const pool = createWorkerPool(config.workerThreads);
  const prisma = db.prisma;
  const activity = new ActivityService(events);
  const access = await createAccessControl(config, { prisma, activity, logger });
  const baseModels = new BaseModelService(prisma);
  await baseModels.seedCatalogue();
  const staging = new AdapterStaging(storage, config.importRoots, config.maxUploadBytes);
  const recommendations = new RecommendationService({ prisma, pool, storage, logger });
  const adapters = new AdapterService({ prisma, storage, staging, pool, activity, baseModels, onStored: (adapter) => recommendations.computeSignature(adapter) });
  const civitai = new CivitaiImportService({ prisma, pool, activity, adapters, staging, importRoots: config.importRoots });
  const datasets = new DatasetService({ prisma, activity, pool });
  const queue = createInProcessQueue();
  const experiments = new ExperimentService({ prisma, activity, trainers: config.trainers });
  const runs = new RunService({ prisma, activity, events, queue, storage, pool, datasets, adapters, experiments, runLogMaxBytes: runLogMaxBytes(config.runLogMaxMb) });
  const generationQueue = createGenerationQueue();
  const prompts = new PromptService({ prisma, baseModels, storage });
  const generation = new GenerationService({ prompts, prisma, activity, events, queue: generationQueue, baseModels, files: new SampleFiles(config.dataDir, pool) });
  const dashboard = new DashboardService({ prisma, db, pool, queues: { runs: queue, generations: generationQueue } });
  const sidecars = new SidecarService({ prisma, activity, events, queue, generationQueue, runs, generation, logger });
  const abTests = AbTestService.listening({ prisma, activity, events, generation, logger });
  const deliveries = new DeliveryService({
    prisma, activity, events, prompts, logger, dataDir: config.dataDir, allowedHosts: config.deliveryAllowedHosts, commands: config.deliveryCommands,
  });
  return {
    config, access, db, events, logger, pool, storage, queue,
    services: { activity, apiKeys: access.keys, adapters, baseModels, civitai, datasets, experiments, runs, sidecars, generation, prompts, deliveries, dashboard, abTests, recommendations, evaluation: new EvaluationService({ prisma }) },
  };
}

export interface App {
  deps: AppDeps;
  http: HttpServer;
  /** the embedded sidecar's supervisor (SIDECAR=embedded) */
  sidecar: Supervisor | null;
  close(): Promise<void>;
}

/**
 * The API process: services, the HTTP server, queued runs put back on the queue (runs a previous
 * process left running fail when it owned the sidecar), and the embedded sidecar under supervision.
 */
export async function startApp(config: Config, logger: Logger, dbOptions: Partial<DatabaseOptions> = {}): Promise<App> {
  const deps = await createDeps(config, logger, dbOptions);
  const http = await startHttpServer(deps, config.port, config.host);
  const embedded = config.sidecar === "embedded";
  if (embedded) await deps.services.sidecars.forgetConnections();
  await deps.services.runs.recover(embedded);
  await deps.services.generation.recover(embedded);
  await deps.services.abTests.recover();
  deps.services.deliveries.start();
  const sidecar = embedded ? superviseEmbeddedSidecar(deps, http.url, await deps.services.sidecars.embeddedSidecarId()) : null;
  return {
    deps,
    http,
    sidecar,
    close: async () => {
      await sidecar?.stop();
      await http.close();
      await closeDeps(deps);
    },
  };
}

function superviseEmbeddedSidecar(deps: AppDeps, apiUrl: string, sidecarId: string): Supervisor {
  const { config, logger, services } = deps;
  return superviseSidecar({
    sidecarId,
    logger,
    env: {
      API_URL: apiUrl,
      SIDECAR_TOKEN: config.sidecarToken,
      SIDECAR_NAME: EMBEDDED_SIDECAR_NAME,
      SIDECAR_CONCURRENCY: String(config.sidecarConcurrency),
      RUN_LOG_MAX_MB: String(config.runLogMaxMb),
      SIDECAR_WORK_DIR: join(config.dataDir, "sidecar"),
      LOG_LEVEL: config.logLevel,
      TRAINERS: JSON.stringify(config.trainers),
    },
    onExit: (reason) => services.sidecars.processExited(sidecarId, reason),
  });
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  await deps.services.deliveries.close();
  await deps.services.sidecars.close();
  await deps.pool.close();
  await deps.db.close();
}
