import { startApp } from "./app.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { createLogger } from "./config/logger.js";

/** A configuration error, from the environment or from what it names (a workflow file), ends the process with its lines. */
async function orConfigExit<T>(start: () => T | Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = await orConfigExit(() => loadConfig());
  const logger = createLogger(config);
  const app = await orConfigExit(() => startApp(config, logger));
  const { deps, http } = app;
  logger.info({ url: http.url, database: deps.db.kind, dataDir: config.dataDir }, "LoRA Studio is listening");
  process.stdout.write(`\n  LoRA Studio dashboard: ${http.url}/\n  GraphQL (GraphiQL):    ${http.url}/graphql\n\n`);
  const { bootstrapSecret } = deps.access;
  if (bootstrapSecret) {
    process.stdout.write(`  No API key was stored, so an admin key was created. It is shown this once; keep it safe:\n\n    ${bootstrapSecret}\n\n  Sign in with it, then create narrower keys in Settings → API keys.\n\n`);
  }

  // A second signal stops at once.
  const shutdown = async (signal: string) => {
    process.once(signal, () => process.exit(1));
    logger.info({ signal, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs }, "draining: no more jobs taken here; requests in flight finish, then it stops");
    await app.drain();
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
