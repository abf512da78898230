import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { allowedHosts, deliveryCommands, type AllowedHost, type DeliveryCommand } from "./deliveries.js";
import { trainerCommands, type TrainerCommand } from "./trainers.js";

/** Never shown in a configuration error, nor passed to the commands deliveries run. */
export const SECRET_ENV = ["SIDECAR_TOKEN", "DATABASE_URL"];
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const absoluteDirList = z
  .string()
  .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
  .refine((dirs) => dirs.every((dir) => isAbsolute(dir)), "every entry must be an absolute directory path");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("0.0.0.0"),
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
  CORS_ORIGINS: z.string().optional(),
  CLIENT_DIST: z.string().optional(),
  SIDECAR: z.enum(["embedded", "off"]).default("embedded"),
  SIDECAR_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  SIDECAR_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  TRAINERS: trainerCommands.optional(),
  DELIVERY_ALLOWED_HOSTS: allowedHosts.optional(),
  DELIVERY_COMMANDS: deliveryCommands.optional(),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  importRoots: string[];
  maxUploadBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  workerThreads: number | undefined;
  corsOrigins: string[] | undefined;
  clientDist: string | undefined;
  /** embedded: the API spawns and supervises one local sidecar; off: sidecars are started elsewhere */
  sidecar: "embedded" | "off";
  /** what sidecars present; without SIDECAR_TOKEN only the embedded sidecar can know it */
  sidecarToken: string;
  sidecarConcurrency: number;
  trainers: TrainerCommand[];
  /** hosts HTTP and SD.Next deliveries may reach; empty: none */
  deliveryAllowedHosts: AllowedHost[];
  /** the command templates CLI deliveries may run */
  deliveryCommands: DeliveryCommand[];
};

export class ConfigError extends Error {}

/** Parses the environment once; every bad value gets its own line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const shown = (key: string) => (SECRET_ENV.includes(key) ? "(hidden)" : JSON.stringify(env[key]));
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message} (got ${shown(String(issue.path[0]))})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR ?? resolve(dataDir, "db"),
    importRoots: (e.IMPORT_ROOTS ?? [resolve(dataDir, "imports")]).map((dir) => resolve(dir)),
    maxUploadBytes: Math.floor(e.MAX_UPLOAD_MB * 1024 * 1024),
    logLevel: e.LOG_LEVEL,
    workerThreads: e.WORKER_THREADS,
    corsOrigins: e.CORS_ORIGINS?.split(",").map((o) => o.trim()).filter(Boolean),
    clientDist: e.CLIENT_DIST,
    sidecar: e.SIDECAR,
    sidecarToken: e.SIDECAR_TOKEN ?? randomBytes(24).toString("base64url"),
    sidecarConcurrency: e.SIDECAR_CONCURRENCY,
    trainers: e.TRAINERS ?? [],
    deliveryAllowedHosts: e.DELIVERY_ALLOWED_HOSTS ?? [],
    deliveryCommands: e.DELIVERY_COMMANDS ?? [],
  };
}
