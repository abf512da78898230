import { availableParallelism, hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { runLogMaxBytes, runLogMaxMb } from "../config/run-log.js";
import { trainerCommands, type TrainerCommand } from "../config/trainers.js";

/*
 * The sidecar's configuration, parsed once at start (STYLE habit 5) from the environment and the command line, whose
 * flags win: `pnpm sidecar --api https://studio.example.com --key lsk_...` on a machine of its own.
 */

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const SECRET = "SIDECAR_TOKEN";
const DEFAULT_GENERATION_CONCURRENCY = 4;

/** A core is left to the API and the trainers; more than four workers gain little on graphs this small. */
function defaultInferenceThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export const envSchema = z.object({
  API_URL: z
    .url({ protocol: /^https?$/, error: "must be the API's http:// or https:// URL, e.g. http://localhost:4000 (--api gives it too)" })
    .transform((url) => url.replace(/\/+$/, "")),
  [SECRET]: z.string().min(16, "must be the API's sidecar token or an API key with the sidecar scope (at least 16 characters); --key gives it too"),
  SIDECAR_ID: z.uuid("must be a UUID (it keeps one sidecar record across restarts)").optional(),
  SIDECAR_NAME: z.string().trim().min(1).max(100).default(hostname()),
  SIDECAR_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  SIDECAR_GENERATION_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(DEFAULT_GENERATION_CONCURRENCY),
  SIDECAR_INFERENCE_THREADS: z.coerce.number().int().min(1).max(64).default(defaultInferenceThreads()),
  SIDECAR_WORK_DIR: z.string().min(1).default(join(tmpdir(), "lora-studio-sidecar")),
  TRAINERS: trainerCommands.optional(),
  RUN_LOG_MAX_MB: runLogMaxMb,
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
});

export interface SidecarConfig {
  apiUrl: string;
  token: string;
  /** set by the embedded supervisor (or an operator) to keep one record across restarts */
  sidecarId: string | undefined;
  name: string;
  /** training runs at once */
  concurrency: number;
  /** generation jobs at once, beside the runs (0: it takes none) */
  generationConcurrency: number;
  /** CPU inference worker threads, each holding warm sessions of the base models (one thread drives CUDA) */
  inferenceThreads: number;
  /** each run gets <workDir>/<runId>/; fetched adapters are cached in <workDir>/adapter-cache/ */
  workDir: string;
  /** the operator's trainer commands, besides the built-in one */
  trainers: TrainerCommand[];
  /** a run's log past this keeps its head and tail (the API refuses more) */
  runLogMaxBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
}

export class SidecarConfigError extends Error {}

/** Each flag and the variable it stands for. */
const FLAGS = { api: "API_URL", key: SECRET, name: "SIDECAR_NAME" } as const;

const USAGE = "usage: sidecar [--api URL] [--key KEY] [--name NAME]   (or API_URL, SIDECAR_TOKEN, SIDECAR_NAME)";

function flagsAsEnv(argv: string[]): Record<string, string> {
  let values: Partial<Record<keyof typeof FLAGS, string>>;
  try {
    values = parseArgs({ args: argv, options: { api: { type: "string" }, key: { type: "string" }, name: { type: "string" } } }).values;
  } catch (error) {
    throw new SidecarConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  return Object.fromEntries(Object.entries(values).map(([flag, value]) => [FLAGS[flag as keyof typeof FLAGS], value]));
}

/**
 * Empty variables count as unset, so `SIDECAR_ID=` in a unit file means "none". Every bad value gets its own line.
 * `--key` is also the API key of a sidecar on another machine (an API key with the sidecar scope).
 */
export function loadSidecarConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = []): SidecarConfig {
  const given = { ...env, ...flagsAsEnv(argv) };
  const set = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const got = name === SECRET ? "" : ` (got ${JSON.stringify(set[name])})`;
      return `  ${issue.path.join(".")}: ${issue.message}${got}`;
    });
    throw new SidecarConfigError(`Invalid sidecar configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    apiUrl: e.API_URL,
    token: e[SECRET],
    sidecarId: e.SIDECAR_ID,
    name: e.SIDECAR_NAME,
    concurrency: e.SIDECAR_CONCURRENCY,
    generationConcurrency: e.SIDECAR_GENERATION_CONCURRENCY,
    inferenceThreads: e.SIDECAR_INFERENCE_THREADS,
    workDir: resolve(e.SIDECAR_WORK_DIR),
    trainers: e.TRAINERS ?? [],
    runLogMaxBytes: runLogMaxBytes(e.RUN_LOG_MAX_MB),
    logLevel: e.LOG_LEVEL,
  };
}
