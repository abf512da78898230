import type { AbTestStatus, Prisma } from "../generated/prisma/client.js";

/*
 * Blindness beyond the trial: while an A/B test is open its generation jobs and their samples are not listed, not
 * readable by id and not counted anywhere, so no trial's audio can be traced to the job (and adapter) that made it.
 * They appear once the test has completed (or failed).
 */

export const OPEN_AB_TEST_STATUSES: AbTestStatus[] = ["GENERATING", "READY"];

/** Jobs anyone may see: those not making samples for an open A/B test. */
export const VISIBLE_JOB: Prisma.GenerationJobWhereInput = { OR: [{ abTestId: null }, { abTest: { status: { notIn: OPEN_AB_TEST_STATUSES } } }] };

/** The same rule in raw SQL, for a job aliased `jobAlias` (a trusted identifier, never user input). */
export function visibleJobSql(jobAlias: string): string {
  return `NOT EXISTS (SELECT 1 FROM "AbTest" open_test WHERE open_test."id" = ${jobAlias}."abTestId" AND open_test."status"::text IN (${OPEN_AB_TEST_STATUSES.map((status) => `'${status}'`).join(", ")}))`;
}
