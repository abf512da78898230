import { Prisma } from "../generated/prisma/client.js";

/*
 * Which figures an adapter is credited with: the samples of jobs that used it alone (A/B trials' jobs are such jobs).
 * A job stacking several adapters says nothing of any one of them, so it is reported as a combination instead.
 */

/** One row per job that used exactly one adapter: ("jobId", "adapterId"). */
export const SINGLE_ADAPTER_JOBS = Prisma.sql`(SELECT "jobId", min("adapterId") AS "adapterId" FROM "GenerationJobAdapter" GROUP BY "jobId" HAVING count(*) = 1)`;

/**
 * Recomputes an adapter's stored rating sum and count from the ratings its single-adapter jobs' samples hold now
 * (one per rater), after its row is locked so two recounts in flight cannot both miss the other's rating.
 */
export async function recountAdapterRatings(tx: Prisma.TransactionClient, adapterId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Adapter" WHERE "id" = ${adapterId} FOR UPDATE`;
  await tx.$executeRaw`
    UPDATE "Adapter" a SET ("ratingSum", "ratingCount") = (
      SELECT COALESCE(sum(r."score"), 0)::int, count(*)::int
      FROM ${SINGLE_ADAPTER_JOBS} single JOIN "Sample" s ON s."jobId" = single."jobId" JOIN "Rating" r ON r."sampleId" = s."id"
      WHERE single."adapterId" = a."id")
    WHERE a."id" = ${adapterId}`;
}
