/**
 * A unique-constraint violation, however the driver reports it: Prisma's P2002 (adapter-pg), or the
 * raw PostgreSQL 23505 that pglite-prisma-adapter passes through.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string; kind?: string } } | null;
  return e?.code === "P2002" || e?.cause?.code === "23505" || e?.cause?.kind === "UniqueConstraintViolation";
}
