import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { allowedHosts, deliveryCommands, type AllowedHost, type DeliveryCommand } from "./deliveries.js";
import { generationBackends, unreachableBackends, type GenerationBackendConfig } from "./generation-backends.js";
import { runLogMaxMb } from "./run-log.js";
import { trainerCommands, type TrainerCommand } from "./trainers.js";

/** Never shown in a configuration error, nor passed to the commands deliveries run. */
export const SECRET_ENV = ["SIDECAR_TOKEN", "DATABASE_URL", "ADMIN_API_KEY", "REDIS_URL", "METRICS_TOKEN"];
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

const commaList = z.string().transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean));

const absoluteDirList = commaList.refine((dirs) => dirs.every((dir) => isAbsolute(dir)), "every entry must be an absolute directory path");

const originList = commaList.refine(
  (origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin),
  "every entry must be an origin such as https://studio.example.com (scheme, host and port only)",
);

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  AUTH: z.enum(["off", "keys"]).optional(),
  ALLOW_UNAUTHENTICATED: z.enum(["0", "1"]).default("0"),
  ADMIN_API_KEY: z.string().regex(/^lsk_[\w-]{32,256}$/, "must be lsk_ followed by at least 32 letters, digits, _ or -").optional(),
  ALLOWED_HOSTS: commaList.optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  NODE_ENV: z.string().optional(),
  INTROSPECTION: z.enum(["on", "off"]).optional(),
  SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(7 * 24 * 3600).default(3600),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional(),
  PGLITE_DIR: z.string().min(1).optional(),
  IMPORT_ROOTS: absoluteDirList.optional(),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(1024 * 1024).default(500),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  WORKER_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  CORS_ORIGINS: originList.optional(),
  CLIENT_DIST: z.string().optional(),
  SIDECAR: z.enum(["embedded", "off"]).default("embedded"),
  SIDECAR_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  SIDECAR_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  RUN_LOG_MAX_MB: runLogMaxMb,
  TRAINERS: trainerCommands.optional(),
  DELIVERY_ALLOWED_HOSTS: allowedHosts.optional(),
  DELIVERY_COMMANDS: deliveryCommands.optional(),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  GENERATION_BACKENDS: generationBackends.optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^/]/, "must be a redis:// or rediss:// URL, e.g. redis://redis:6379")
    .optional(),
  REDIS_PREFIX: z.string().regex(/^[\w.-]{1,64}$/, "must be 1 to 64 letters, digits, _ . or -").default("lora-studio"),
  SIDECAR_GRACE_SECONDS: z.coerce.number().min(0.5).max(3600).default(2),
  GENERATION_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  RUN_RETRIES: z.coerce.number().int().min(0).max(10).default(0),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(0),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
});

export type Config = {
  port: number;
  host: string;
  /** keys: every request needs an API key (the default off loopback); off: loopback use without keys */
  auth: "off" | "keys";
  /** an admin key's secret the operator chose, stored (hashed) at start */
  adminApiKey: string | undefined;
  /** Host headers answered; undefined: the loopback names with the port, the bound address and PUBLIC_URL's host */
  allowedHosts: string[] | undefined;
  publicUrl: string | undefined;
  signedUrlTtlSeconds: number;
  /** schema introspection and GraphiQL: on unless NODE_ENV=production (INTROSPECTION=on|off decides) */
  introspection: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  importRoots: string[];
  maxUploadBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  workerThreads: number | undefined;
  corsOrigins: string[];
  clientDist: string | undefined;
  /** embedded: the API spawns and supervises one local sidecar; off: sidecars are started elsewhere */
  sidecar: "embedded" | "off";
  /** what sidecars present; without SIDECAR_TOKEN only the embedded sidecar can know it */
  sidecarToken: string;
  sidecarConcurrency: number;
  /** a run's log is refused past this many MiB; the sidecars keep its head and tail within it */
  runLogMaxMb: number;
  trainers: TrainerCommand[];
  /** hosts HTTP and SD.Next deliveries may reach; empty: none */
  deliveryAllowedHosts: AllowedHost[];
  /** the command templates CLI deliveries may run */
  deliveryCommands: DeliveryCommand[];
  /** delivery attempts one replica runs at once */
  deliveryConcurrency: number;
  /** image generators the API drives itself (A1111 / SD.Next, ComfyUI), each for some image base models */
  generationBackends: GenerationBackendConfig[];
  /** cluster mode: events and job queues through this Redis (with DATABASE_URL), shared by every replica */
  redisUrl: string | undefined;
  /** what the studio's Redis keys and channels begin with, so several can share one Redis */
  redisPrefix: string;
  /** how long a sidecar may be unheard from (its connection closed, or its replica silent) before it loses its jobs */
  sidecarGraceMs: number;
  /** times a generation job whose sidecar was lost is queued again before it fails */
  generationRetries: number;
  /** times a run whose sidecar was lost starts again from scratch before it fails (0: it fails at once) */
  runRetries: number;
  /** on SIGTERM: the longest wait for requests in flight to finish */
  shutdownGraceMs: number;
  /** on SIGTERM: how long /readyz answers 503 while requests are still served, so a load balancer stops sending more */
  shutdownDelayMs: number;
  /** a bearer token that reads /metrics without an API key (a Prometheus scraper) */
  metricsToken: string | undefined;
};

export class ConfigError extends Error {}

/** The configuration error of these bad values, one line each. */
export function invalidConfiguration(lines: string[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n${lines.map((line) => `  ${line}`).join("\n")}`);
}

/** Parses the environment once; every bad value gets its own line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const shown = (key: string) => (SECRET_ENV.includes(key) ? "(hidden)" : JSON.stringify(env[key]));
    throw invalidConfiguration(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message} (got ${shown(String(issue.path[0]))})`));
  }
  const e = parsed.data;
  const auth = e.AUTH ?? (isLoopbackHost(e.HOST) ? "off" : "keys");
  if (auth === "off" && !isLoopbackHost(e.HOST) && e.ALLOW_UNAUTHENTICATED !== "1") {
    throw new ConfigError(
      `Refusing to start: AUTH=off with HOST=${e.HOST} would let anyone who reaches the port do everything.\n` +
        "  Use AUTH=keys (API keys), bind HOST=127.0.0.1, or set ALLOW_UNAUTHENTICATED=1 when a proxy in front authenticates.",
    );
  }
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw invalidConfiguration(["REDIS_URL: replicas share one PostgreSQL: set DATABASE_URL too (the embedded database belongs to one process)"]);
  }
  const deliveryAllowedHosts = e.DELIVERY_ALLOWED_HOSTS ?? [];
  const unreachable = unreachableBackends(e.GENERATION_BACKENDS ?? [], deliveryAllowedHosts);
  if (unreachable.length > 0) throw invalidConfiguration(unreachable);
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    auth,
    adminApiKey: e.ADMIN_API_KEY,
    allowedHosts: e.ALLOWED_HOSTS,
    publicUrl: e.PUBLIC_URL,
    signedUrlTtlSeconds: e.SIGNED_URL_TTL_SECONDS,
    introspection: (e.INTROSPECTION ?? (e.NODE_ENV === "production" ? "off" : "on")) === "on",
    dataDir,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR ?? resolve(dataDir, "db"),
    importRoots: (e.IMPORT_ROOTS ?? [resolve(dataDir, "imports")]).map((dir) => resolve(dir)),
    maxUploadBytes: Math.floor(e.MAX_UPLOAD_MB * 1024 * 1024),
    logLevel: e.LOG_LEVEL,
    workerThreads: e.WORKER_THREADS,
    corsOrigins: e.CORS_ORIGINS ?? [],
    clientDist: e.CLIENT_DIST,
    sidecar: e.SIDECAR,
    sidecarToken: e.SIDECAR_TOKEN ?? randomBytes(24).toString("base64url"),
    sidecarConcurrency: e.SIDECAR_CONCURRENCY,
    runLogMaxMb: e.RUN_LOG_MAX_MB,
    trainers: e.TRAINERS ?? [],
    deliveryAllowedHosts,
    deliveryCommands: e.DELIVERY_COMMANDS ?? [],
    deliveryConcurrency: e.DELIVERY_CONCURRENCY,
    generationBackends: e.GENERATION_BACKENDS ?? [],
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    sidecarGraceMs: e.SIDECAR_GRACE_SECONDS * 1000,
    generationRetries: e.GENERATION_RETRIES,
    runRetries: e.RUN_RETRIES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    shutdownDelayMs: e.SHUTDOWN_DELAY_SECONDS * 1000,
    metricsToken: e.METRICS_TOKEN,
  };
}
