import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * pglite-prisma-adapter runs parameterless raw SQL as a prepared statement, which rejects the
 * multi-statement scripts that migrations and the shadow database need, and does not await
 * executeScript; route both through PGlite's exec().
 */
function patch(adapter: SqlDriverAdapter, db: PGlite, closeOnDispose: boolean): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length) return executeRaw(query);
    const results = await db.exec(query.sql);
    return results.reduce((count, result) => count + (result.affectedRows ?? 0), 0);
  };
  adapter.executeScript = async (script) => {
    await db.exec(script);
  };
  if (closeOnDispose) adapter.dispose = () => db.close();
  return adapter;
}

export function pgliteAdapterFactory(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const base = new PrismaPGlite(db);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => patch(await base.connect(), db, false),
    connectToShadowDb: async () => {
      const { PGlite } = await import("@electric-sql/pglite");
      const shadow = new PGlite("memory://");
      return patch(await new PrismaPGlite(shadow).connect(), shadow, true);
    },
  };
}
