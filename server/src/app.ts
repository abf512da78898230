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
import { connectRedis } from "./pubsub/redis.js";
import { createRedisEventBus } from "./pubsub/redis-bus.js";
import { createBullQueues } from "./queue/bullmq.js";
import { createDeliveryQueue } from "./deliveries/processor.js";
import { createInProcessQueues } from "./queue/queue.js";
import { createLocalStorage } from "./storage/local-disk.js";
import { createWorkerPool } from "./workers/pool.js";
import { DashboardService } from "./dashboard/service.js";
import { ExperimentService } from "./experiments/service.js";
import { EvaluationService } from "./evaluation/service.js";
import { PromptService } from "./prompts/service.js";
import { RecommendationService } from "./recommendations/service.js";
import { startHttpServer, type HttpServer } from "./http/server.js";
import { DEFAULT_BACKEND_TIMEOUTS } from "./generation/backends/backend.js";
import { createImageBackends } from "./generation/backends/registry.js";
import { ImageJobRunner } from "./generation/image-runner.js";
import { SampleFiles } from "./generation/sample-files.js";
import { GenerationService } from "./generation/service.js";
import { GenerationGridService } from "./generation-grids/service.js";
import { RunService } from "./runs/service.js";
import { EMBEDDED_SIDECAR_NAME, SidecarService } from "./sidecar-registry/service.js";
import { superviseSidecar, type Supervisor } from "./sidecar-registry/supervisor.js";

/** How long past its backend's deadline a RUNNING image job counts as abandoned by a replica that died. */
const ABANDONED_GRACE_MS = 60_000;

/** Opens the database (applying migrations), seeds the catalogue and wires the services. */
export async function createDeps(config: Config, logger: Logger, dbOptions: Partial<DatabaseOptions> = {}): Promise<AppDeps> {
  const backends = createImageBackends(config.generationBackends);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, ...dbOptions });
  const events = config.redisUrl ? createRedisEventBus(config.redisUrl, config.redisPrefix, logger) : createEventBus();
  const queueRedis = config.redisUrl ? connectRedis(config.redisUrl, logger, "queues", { maxRetriesPerRequest: null }) : null;
  const queues = queueRedis ? createBullQueues(queueRedis, config.redisPrefix, events, logger) : createInProcessQueues();
  const storage = createLocalStorage(config.dataDir);
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
  const experiments = new ExperimentService({ prisma, activity, trainers: config.trainers });
  const runs = new RunService({
    prisma, activity, events, queue: queues.runs, storage, pool, datasets, adapters, experiments, runLogMaxBytes: runLogMaxBytes(config.runLogMaxMb), retries: config.runRetries,
  });
  const prompts = new PromptService({ prisma, baseModels, storage });
  const generation = new GenerationService({
    prompts, prisma, activity, events, queue: queues.generation, baseModels, files: new SampleFiles(storage.samples, pool), retries: config.generationRetries, backends,
  });
  const dashboard = new DashboardService({ prisma, db, pool, queues: { runs: queues.runs, generations: queues.generation } });
  const sidecars = new SidecarService({ prisma, activity, events, queue: queues.runs, generationQueue: queues.generation, runs, generation, logger, graceMs: config.sidecarGraceMs });
  const abTests = AbTestService.listening({ prisma, activity, events, generation, logger });
  const deliveries = new DeliveryService({
    prisma, activity, events, prompts, logger, files: storage.deliveries, allowedHosts: config.deliveryAllowedHosts, commands: config.deliveryCommands,
    runner: { concurrency: config.deliveryConcurrency },
    queue: queueRedis ? (attempts, concurrency) => createDeliveryQueue(attempts, concurrency, { connection: queueRedis, prefix: config.redisPrefix, logger }) : undefined,
  });
  // Between replicas a RUNNING image job may be another replica's: only one older than any job lasts was abandoned.
  const abandonedAfterMs = config.redisUrl ? DEFAULT_BACKEND_TIMEOUTS.generateMs + ABANDONED_GRACE_MS : 0;
  const imageJobs = new ImageJobRunner({ generation, events, storage, backends, logger, abandonedAfterMs });
  return {
    config, access, db, events, logger, pool, storage, queues, imageJobs,
    services: { activity, apiKeys: access.keys, adapters, baseModels, civitai, datasets, experiments, runs, sidecars, generation, generationGrids: new GenerationGridService({ prisma, activity, generation }), prompts, deliveries, dashboard, abTests, recommendations, evaluation: new EvaluationService({ prisma }) },
  };
}

export interface App {
  deps: AppDeps;
  http: HttpServer;
  /** the embedded sidecar's supervisor (SIDECAR=embedded) */
  sidecar: Supervisor | null;
  /**
   * SIGTERM: /readyz turns 503 and the replica takes no more jobs at once; it goes on answering requests for
   * SHUTDOWN_DELAY_SECONDS, then closes its WebSockets (1012: clients reconnect to another replica), lets requests in
   * flight finish within SHUTDOWN_GRACE_SECONDS, and closes.
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** A replica's recovery at start counts as done for the replicas that start within this time after it. */
const RECOVERY_CLAIM_MS = 60_000;

/**
 * The API process: services, the HTTP server, the recovery of what stopped processes left (once however many
 * replicas start together), the background runners, and the embedded sidecar under supervision.
 */
export async function startApp(config: Config, logger: Logger, dbOptions: Partial<DatabaseOptions> = {}): Promise<App> {
  const deps = await createDeps(config, logger, dbOptions);
  const http = await startHttpServer(deps, config.port, config.host);
  await recoverAtStart(deps);
  void requeueAfterResyncs(deps);
  await deps.services.deliveries.start();
  await deps.imageJobs.start();
  if (config.redisUrl) deps.services.sidecars.startLeases();
  const sidecar = config.sidecar === "embedded" ? superviseEmbeddedSidecar(deps, http.url, await deps.services.sidecars.embeddedSidecarId()) : null;
  const close = async (graceMs = 0) => {
    await sidecar?.stop();
    await http.close(graceMs);
    await closeDeps(deps);
  };
  return {
    deps,
    http,
    sidecar,
    drain: async () => {
      http.beginDrain();
      deps.services.sidecars.stopTaking();
      await deps.services.deliveries.close();
      await deps.imageJobs.close();
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      await close(config.shutdownGraceMs);
    },
    close: () => close(),
  };
}

/**
 * Runs a previous process left RUNNING fail when it owned the sidecar (embedded), queued runs and generation jobs go
 * back on the queue, A/B tests settle with the jobs they have. Done by the first replica to claim it; those starting
 * with it skip it.
 */
async function recoverAtStart({ config, services, queues, logger }: AppDeps): Promise<void> {
  if (!(await queues.claim("recovery", RECOVERY_CLAIM_MS))) {
    logger.info("recovery at start skipped: another replica has just done it");
    return;
  }
  try {
    const embedded = config.sidecar === "embedded";
    if (embedded) await services.sidecars.forgetConnections();
    await services.runs.recover(embedded);
    await services.generation.recover(embedded);
    await services.abTests.recover();
    logger.info("recovery at start done: queued work is back on the queues");
  } catch (error) {
    await queues.release("recovery");
    throw error;
  }
}

/** A Redis that came back may have come back empty (no persistence): the queues get what the database says waits. */
async function requeueAfterResyncs({ events, services, logger }: AppDeps): Promise<void> {
  for await (const _resync of events.resyncs()) {
    await Promise.all([services.runs.requeue(), services.generation.requeue(), services.deliveries.requeue()]).catch((error: unknown) =>
      logger.error({ err: error }, "could not queue the waiting runs, generation jobs and deliveries again after Redis came back"),
    );
  }
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
  await deps.imageJobs.close();
  await deps.services.sidecars.close();
  await deps.queues.close();
  await deps.events.close();
  await deps.pool.close();
  await deps.db.close();
}
