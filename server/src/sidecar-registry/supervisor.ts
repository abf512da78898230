import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import { entryPointCommand } from "../config/entry-points.js";

/*
 * The embedded default (DESIGN §2): the API spawns one local sidecar and keeps it alive. When it dies,
 * the runs and generation jobs it was executing are failed with the exit as the reason, and it is restarted after a delay
 * that doubles with each quick death (up to a limit) and starts over once it has stayed up a while.
 */

export interface SupervisorOptions {
  sidecarId: string;
  env: Record<string, string>;
  logger: Logger;
  /** called with words saying how it died ("the sidecar process exited (signal SIGKILL)"), before the restart */
  onExit(reason: string): Promise<void>;
  initialDelayMs?: number;
  maxDelayMs?: number;
  stableAfterMs?: number;
}

export interface Supervisor {
  /** the running process, if any (tests kill it) */
  readonly child: ChildProcess | null;
  readonly restarts: number;
  stop(): Promise<void>;
}

export function superviseSidecar(options: SupervisorOptions): Supervisor {
  const { logger, initialDelayMs = 500, maxDelayMs = 30_000, stableAfterMs = 60_000 } = options;
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let delay = initialDelayMs;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    const [command, ...args] = entryPointCommand("sidecar/main");
    const startedAt = Date.now();
    const proc = spawn(command!, args, { env: { ...process.env, ...options.env, SIDECAR_ID: options.sidecarId }, stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    for (const stream of [proc.stdout, proc.stderr]) {
      createInterface({ input: stream }).on("line", (line) => logger.info({ sidecar: options.sidecarId }, `sidecar: ${line}`));
    }
    proc.once("exit", (code, signal) => {
      child = null;
      if (stopping) return;
      const reason = `the sidecar process exited (${signal ? `signal ${signal}` : `code ${code}`})`;
      delay = Date.now() - startedAt > stableAfterMs ? initialDelayMs : delay;
      logger.warn({ code, signal, restartInMs: delay }, "sidecar exited; restarting");
      void options
        .onExit(reason)
        .catch((error: unknown) => logger.error({ err: error, sidecar: options.sidecarId }, "could not record the sidecar's exit"))
        .finally(() => {
          timer = setTimeout(() => {
            restarts += 1;
            if (!stopping) start();
          }, delay);
          delay = Math.min(delay * 2, maxDelayMs);
        });
    });
  };
  start();

  return {
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      const proc = child;
      if (!proc) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGTERM");
      const forced = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(forced);
    },
  };
}
