import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { applyMigrations, readMigrations } from "./migrate.js";
import { pgliteAdapterFactory } from "./pglite-adapter.js";

export interface Database {
  prisma: PrismaClient;
  kind: "pglite" | "postgresql";
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** a directory, "memory://", or a migrated snapshot to start from (tests) */
  pgliteDir?: string;
  pgliteSnapshot?: Blob;
  /** called for every Prisma operation (tests record them to catch N+1 queries) */
  onQuery?: (model: string | undefined, operation: string) => void;
}

function instrument(prisma: PrismaClient, onQuery: DatabaseOptions["onQuery"]): PrismaClient {
  if (!onQuery) return prisma;
  return prisma.$extends({
    query: {
      $allOperations: ({ model, operation, args, query }) => {
        onQuery(model, operation);
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPGlite(options);
  return { ...db, prisma: instrument(db.prisma, options.onQuery) };
}

async function openPostgres(url: string): Promise<Database> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applyMigrations({ exec: (sql) => client.query(sql), query: (sql, params) => client.query(sql, params) }, await readMigrations());
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    kind: "postgresql",
    ping: async () => void (await prisma.$queryRaw`SELECT 1`),
    close: () => prisma.$disconnect(),
  };
}

async function openPGlite({ pgliteDir = "memory://", pgliteSnapshot }: DatabaseOptions): Promise<Database> {
  if (!pgliteDir.startsWith("memory://")) await mkdir(pgliteDir, { recursive: true });
  const db = pgliteSnapshot ? new PGlite({ loadDataDir: pgliteSnapshot }) : new PGlite(pgliteDir);
  await applyMigrations(db, await readMigrations());
  const prisma = new PrismaClient({ adapter: pgliteAdapterFactory(db) });
  return {
    prisma,
    kind: "pglite",
    ping: async () => void (await db.query("SELECT 1")),
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
