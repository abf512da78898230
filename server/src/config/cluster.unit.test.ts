import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

/* The cluster-mode settings (README "Cluster"), as the API reads them at start. */

const DATABASE_URL = "postgresql://studio@db:5432/studio";

describe("the cluster settings", () => {
  it("default to one process: no Redis, lost sidecars' generation jobs retried twice, runs not, no drain delay", () => {
    expect(loadConfig({})).toMatchObject({
      redisUrl: undefined,
      redisPrefix: "lora-studio",
      sidecarGraceMs: 2000,
      generationRetries: 2,
      runRetries: 0,
      shutdownGraceMs: 10_000,
      shutdownDelayMs: 0,
    });
  });

  it("take REDIS_URL with DATABASE_URL", () => {
    const config = loadConfig({ DATABASE_URL, REDIS_URL: "redis://:secret@redis:6379/0", REDIS_PREFIX: "studio-a", RUN_RETRIES: "1", SHUTDOWN_DELAY_SECONDS: "5" });
    expect(config).toMatchObject({ redisUrl: "redis://:secret@redis:6379/0", redisPrefix: "studio-a", runRetries: 1, shutdownDelayMs: 5000 });
  });

  it("refuse REDIS_URL without DATABASE_URL, saying why", () => {
    expect(() => loadConfig({ REDIS_URL: "redis://redis:6379" })).toThrow(/REDIS_URL: replicas share one PostgreSQL: set DATABASE_URL too/);
  });

  it("refuse a REDIS_URL that is no Redis URL without showing it, and each bad value on its own line", () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL, REDIS_URL: "http://:secret@redis", GENERATION_RETRIES: "-1", REDIS_PREFIX: "a:b" });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("REDIS_URL: must be a redis:// or rediss:// URL, e.g. redis://redis:6379 (got (hidden))");
    expect(message).toMatch(/GENERATION_RETRIES: .*\(got "-1"\)/);
    expect(message).toMatch(/REDIS_PREFIX: must be 1 to 64 letters, digits, _ \. or - \(got "a:b"\)/);
    expect(message).not.toContain("secret");
  });
});
