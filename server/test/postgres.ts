import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, it } from "vitest";
import { startTestApp, type TestApp, type TestAppOptions } from "./harness.js";

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Why PostgreSQL tests cannot run here, or null when a server answers. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return `no PostgreSQL answers at ${ADMIN_URL} (${(error as Error).message}); set TEST_DATABASE_URL to run these tests`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A throwaway database on the server, dropped by the returned function. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lora_studio_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Runs a suite written for any database against PostgreSQL, each app on a scratch database dropped when it closes;
 * skipped, saying why, when no PostgreSQL server answers.
 */
export async function onPostgres(what: string, suite: (label: string, start: (options?: TestAppOptions) => Promise<TestApp>) => void): Promise<void> {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    console.warn(`skipping the PostgreSQL ${what}: ${unavailable}`);
    describe.skip(`${what} (PostgreSQL)`, () => it("needs PostgreSQL", () => undefined));
    return;
  }
  suite("PostgreSQL", async (options = {}) => {
    const database = await createScratchDatabase();
    const app = await startTestApp({ ...options, databaseUrl: database.url });
    return { ...app, close: async () => { await app.close(); await database.drop(); } };
  });
}
