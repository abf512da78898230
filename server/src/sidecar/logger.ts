import { pino, type Logger } from "pino";
import type { SidecarConfig } from "./env.js";

/**
 * JSON lines, as the API logs: info and below on stdout, warnings and errors on stderr. The embedded supervisor
 * forwards both into the API's log; a write to a pipe nobody reads any more (the API died) is not an error here.
 */
export function createSidecarLogger(config: Pick<SidecarConfig, "logLevel" | "name">): Logger {
  const stdout = pino.destination({ dest: 1, sync: true });
  const stderr = pino.destination({ dest: 2, sync: true });
  for (const destination of [stdout, stderr]) destination.on("error", () => undefined);
  return pino(
    { level: config.logLevel, base: { service: "lora-studio-sidecar", name: config.name } },
    pino.multistream([{ level: "trace", stream: stdout }, { level: "warn", stream: stderr }], { dedupe: true }),
  );
}
