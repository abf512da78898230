import { defineConfig } from "prisma/config";
import type { PGlite } from "@electric-sql/pglite";

// PGlite and the WASM schema engine leave timers armed that keep the CLI alive; unref them.
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer = realSetTimeout(fn, ms, ...args);
  if (new Error().stack?.includes("wasm://")) timer.unref();
  return timer;
}) as typeof setTimeout;

// The CLI calls adapter() twice per command; two PGlite instances on one directory corrupt it.
let pglite: PGlite | undefined;
async function cliPGlite(dir: string): Promise<PGlite> {
  if (!pglite) {
    const { PGlite } = await import("@electric-sql/pglite");
    const db = new PGlite(dir);
    process.once("beforeExit", () => void db.close());
    pglite = db;
  }
  return pglite;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "../prisma/schema.prisma",
  migrations: { path: "../prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (url) return (await import("./src/db/pg-cli-adapter.js")).pgCliAdapterFactory(url);
    const { pgliteAdapterFactory } = await import("./src/db/pglite-adapter.js");
    return pgliteAdapterFactory(await cliPGlite(process.env.PGLITE_DIR ?? `${process.env.DATA_DIR ?? "../data"}/db`));
  },
});
