import { join } from "node:path";
import type { Logger } from "pino";
import { MODEL_SPECS } from "../ml/model.js";
import { AdapterCache } from "./adapter-cache.js";
import { ApiClient, describe } from "./api-client.js";
import { detectCapabilities } from "./capabilities.js";
import { loadSidecarConfig, SidecarConfigError, type SidecarConfig } from "./env.js";
import { createInferencePool, type InferencePool } from "./inference-pool.js";
import { createSidecarLogger } from "./logger.js";
import { watchParent } from "./parent-watch.js";
import { Sidecar } from "./sidecar.js";
import { sweepOrphanedRunDirs } from "./work-dir.js";

/*
 * The sidecar process (DESIGN §2, §6):
 *   API_URL=http://api:4000 SIDECAR_TOKEN=... node --import tsx src/sidecar/main.ts
 *   pnpm sidecar --api https://studio.example.com --key lsk_...   (a machine of its own: nothing shared but HTTP)
 * Bad configuration exits 2, a token the API refuses 1; SIGTERM or SIGINT stops the trainers, reports their runs and
 * exits 0 (a second signal exits at once). Started by the API's supervisor (SIDECAR_ID set), it also stops when
 * that process dies, so no sidecar or trainer outlives its API.
 */

const EXIT_CONFIG = 2;
const EXIT_FATAL = 1;

function configOrExit(): SidecarConfig {
  try {
    return loadSidecarConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof SidecarConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}

/** The inference workers, their sessions of the built-in models opened in the background so the first job finds them warm. */
function startInference(config: SidecarConfig, provider: "cuda" | "cpu", logger: Logger): InferencePool {
  const inference = createInferencePool({ provider, threads: config.inferenceThreads, generationConcurrency: config.generationConcurrency });
  const models = MODEL_SPECS.map((spec) => spec.id);
  inference.warm(models).then(
    (running) => logger.info(`inference: ${inference.threads} worker(s) on ${running.toUpperCase()} with warm sessions of ${models.join(", ")}; ${config.generationConcurrency} generation job(s) at once`),
    (error: unknown) => logger.error(`inference workers could not open the base models: ${describe(error)}`),
  );
  return inference;
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createSidecarLogger(config);
  const swept = await sweepOrphanedRunDirs(config.workDir);
  if (swept > 0) logger.info(`removed ${swept} run directories left by sidecars that are gone`);
  const capabilities = await detectCapabilities(config.trainers, logger);
  const api = new ApiClient(config.apiUrl, config.token, logger);
  const inference = startInference(config, capabilities.executionProviders.includes("CUDA") ? "cuda" : "cpu", logger);
  const cache = new AdapterCache(join(config.workDir, "adapter-cache"), api, logger);
  await cache.sweep();

  let exiting = false;
  const exit = (reason: string, apiReachable: boolean, code: number) => {
    if (exiting) return;
    exiting = true;
    void sidecar.stop(reason, apiReachable).finally(() => process.exit(code));
  };
  const sidecar = new Sidecar({
    config,
    api,
    capabilities,
    inference,
    cache,
    logger,
    onFatal: (error) => {
      logger.fatal(`the API refused this sidecar: ${describe(error)}`);
      exit("the API refused it", false, EXIT_FATAL);
    },
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (exiting) process.exit(128 + (signal === "SIGINT" ? 2 : 15));
      exit(signal, true, 0);
    });
  }
  if (config.sidecarId) watchParent(() => exit("the process that started it exited", false, 0));
  await sidecar.start();
}

await main();
