import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, SqlQueryable } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/** Prisma 6 sends Bytes arguments as base64 text, which PGlite's bytea serializer refuses; decode them as @prisma/adapter-pg does. */
function withBytes(query: SqlQuery): SqlQuery {
  if (!query.argTypes.some((type) => type.scalarType === "bytes")) return query;
  const args = query.args.map((arg, i) => (typeof arg === "string" && query.argTypes[i]?.scalarType === "bytes" ? Buffer.from(arg, "base64") : arg));
  return { ...query, args };
}

function decodeBytes<Q extends SqlQueryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => queryRaw(withBytes(query));
  queryable.executeRaw = (query) => executeRaw(withBytes(query));
  return queryable;
}

/**
 * pglite-prisma-adapter runs parameterless raw SQL as a prepared statement, which rejects the
 * multi-statement scripts that migrations and the shadow database need, and does not await
 * executeScript; route both through PGlite's exec().
 */
function patch(adapter: SqlDriverAdapter, db: PGlite, closeOnDispose: boolean): SqlDriverAdapter {
  decodeBytes(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => decodeBytes(await startTransaction(...args));
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
