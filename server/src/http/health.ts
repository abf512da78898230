import type { Redis } from "ioredis";
import type { AppDeps } from "../context.js";
import { connectRedis } from "../pubsub/redis.js";

/*
 * What /healthz reports: the database, Redis (cluster mode), the queue depths and the connected sidecars. Every probe
 * is bounded, so a Redis or database that hangs makes the answer say so instead of leaving the checker waiting.
 */

const PROBE_TIMEOUT_MS = 1000;

export interface HealthReport {
  status: "ok" | "database unavailable" | "redis unavailable";
  database: AppDeps["db"]["kind"];
  /** absent without REDIS_URL */
  redis?: "ok" | "unavailable";
  /** runs and generation jobs waiting for a sidecar, deliveries waiting for an attempt; null when one did not answer in time */
  queues: { runs: number | null; generation: number | null; deliveries: number | null };
  /** sidecars connected to any replica; null when the database did not answer */
  sidecars: { connected: number | null };
}

export interface HealthCheck {
  report(): Promise<HealthReport>;
  close(): Promise<void>;
}

/** The value, or null once `PROBE_TIMEOUT_MS` has passed or it failed. */
export function bounded<T>(probe: () => Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PROBE_TIMEOUT_MS)));
  const answer = probe().catch(() => null);
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

export function connectedSidecarCount(deps: AppDeps): Promise<number> {
  return deps.db.prisma.sidecar.count({ where: { connected: true } });
}

export function queueDepths(deps: AppDeps): Promise<HealthReport["queues"]> {
  return Promise.all([
    bounded(() => deps.queues.runs.depth()),
    bounded(() => deps.queues.generation.depth()),
    bounded(() => deps.db.prisma.delivery.count({ where: { status: "PENDING" } })),
  ]).then(([runs, generation, deliveries]) => ({ runs, generation, deliveries }));
}

/** A connection of its own that fails fast while Redis is away, so the answer never waits on a reconnection. */
function redisProbe(deps: AppDeps): Redis | null {
  const { redisUrl } = deps.config;
  if (!redisUrl) return null;
  return connectRedis(redisUrl, deps.logger, "health", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
}

export function createHealthCheck(deps: AppDeps): HealthCheck {
  const redis = redisProbe(deps);
  const redisAnswers = async (): Promise<boolean> => {
    if (redis!.status === "wait") await redis!.connect();
    return (await redis!.ping()) === "PONG";
  };
  return {
    report: async () => {
      const [database, redisUp, queues, connected] = await Promise.all([
        bounded(() => deps.db.ping().then(() => true)),
        redis ? bounded(redisAnswers) : Promise.resolve(undefined),
        queueDepths(deps),
        bounded(() => connectedSidecarCount(deps)),
      ]);
      const status = !database ? "database unavailable" : redisUp === null || redisUp === false ? "redis unavailable" : "ok";
      const redisField = redis ? { redis: redisUp ? ("ok" as const) : ("unavailable" as const) } : {};
      return { status, database: deps.db.kind, ...redisField, queues, sidecars: { connected } };
    },
    close: async () => {
      redis?.disconnect();
    },
  };
}
