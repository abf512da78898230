import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory, SqlQueryable } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { parse } from "pg-connection-string";

/**
 * Used by the Prisma CLI only. adapter-pg 6.19 cannot deserialize catalog column types such as
 * `name` (prisma/orm#27403), so those result columns are relabelled as text.
 */
const TEXT_OID = 25;
const RELABEL: Record<number, number> = { 18: TEXT_OID, 19: TEXT_OID, 22: TEXT_OID, 24: TEXT_OID, 28: TEXT_OID,
  30: TEXT_OID, 194: TEXT_OID, 2205: TEXT_OID, 2206: TEXT_OID, 1003: 1009 };

function relabelCatalogTypes<Q extends SqlQueryable & { startTransaction?: (...args: never[]) => Promise<SqlQueryable> }>(queryable: Q): Q {
  const performIO = (queryable as unknown as { performIO: (q: unknown) => Promise<{ fields?: { dataTypeID: number }[] }> }).performIO.bind(queryable);
  (queryable as unknown as { performIO: typeof performIO }).performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) field.dataTypeID = RELABEL[field.dataTypeID] ?? field.dataTypeID;
    return result;
  };
  const startTransaction = queryable.startTransaction?.bind(queryable);
  if (startTransaction) {
    queryable.startTransaction = (async (...args: never[]) => relabelCatalogTypes(await startTransaction(...args))) as Q["startTransaction"];
  }
  return queryable;
}

export function pgCliAdapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const { database, host, port, user, password } = parse(url);
  const config = { database: database ?? undefined, host: host ?? undefined, port: Number(port ?? 5432), user, password, allowExitOnIdle: true };
  const base = new PrismaPg(config);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => relabelCatalogTypes(await base.connect()),
    connectToShadowDb: async () => {
      const admin = new pg.Pool({ ...config, max: 1 });
      const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      await admin.query(`CREATE DATABASE "${name}"`);
      const shadow = relabelCatalogTypes(await new PrismaPg({ ...config, database: name }).connect());
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      };
      return shadow;
    },
  };
}
