import type { ComparisonTest } from "../../gql/graphql";

/** The most versions compared at once. */
export const MAX_COMPARED = 5;

export const TEST_LABELS: Record<ComparisonTest, string> = {
  EXACT_BINOMIAL: "Exact binomial",
  MANN_WHITNEY_U: "Mann–Whitney U",
};

interface RowLike {
  betterAdapterId?: string | null;
  higherIsBetter?: boolean | null;
  values: readonly { adapterId: string; value?: number | null }[];
}

/**
 * The adapter whose value is better in a row: the server's pick when it made one, else the unique best value where
 * the direction is known; null on a tie, without a direction, or with fewer than two values.
 */
export function betterAdapterOf(row: RowLike): string | null {
  if (row.betterAdapterId) return row.betterAdapterId;
  if (row.higherIsBetter === null || row.higherIsBetter === undefined) return null;
  const present = row.values.filter((cell): cell is { adapterId: string; value: number } => typeof cell.value === "number");
  if (present.length < 2) return null;
  const sign = row.higherIsBetter ? 1 : -1;
  const best = Math.max(...present.map((cell) => sign * cell.value));
  const winners = present.filter((cell) => sign * cell.value === best);
  return winners.length === 1 ? winners[0]!.adapterId : null;
}

/** The row's value for each adapter, in the order of the compared adapters (null where it has none). */
export function rowCells(row: RowLike, adapterIds: readonly string[]): { adapterId: string; value: number | null; better: boolean }[] {
  const better = betterAdapterOf(row);
  return adapterIds.map((adapterId) => ({
    adapterId,
    value: row.values.find((cell) => cell.adapterId === adapterId)?.value ?? null,
    better: better === adapterId,
  }));
}

/** "p = 0.032", "p < 0.001". */
export function formatPValue(pValue: number): string {
  return pValue < 0.001 ? "p < 0.001" : `p = ${Number(pValue.toPrecision(2))}`;
}

/** The choice after toggling one version, capped at MAX_COMPARED; the adapters' order is kept. */
export function toggleCompared(chosen: readonly string[], id: string, on: boolean): string[] {
  if (!on) return chosen.filter((other) => other !== id);
  if (chosen.includes(id) || chosen.length >= MAX_COMPARED) return [...chosen];
  return [...chosen, id];
}

/** Where the A/B test creation page opens with both adapters chosen; null unless exactly two are. */
export function abTestLocation(chosen: readonly string[]): { path: string; query: { adapterA: string; adapterB: string } } | null {
  if (chosen.length !== 2) return null;
  const [adapterA, adapterB] = chosen as [string, string];
  return { path: "/ab-tests/new", query: { adapterA, adapterB } };
}

export interface FigureEvidence {
  jobs: number;
  abTests: number;
  combinationJobs: number;
}

/**
 * Where a version's sample scores and ratings come from, in words: "3 single-adapter jobs (incl. the jobs of 1 A/B
 * test); 4 multi-adapter jobs left out (reported as combinations)".
 */
export function evidenceLabel({ jobs, abTests, combinationJobs }: FigureEvidence): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const source = jobs === 0 ? "no single-adapter job yet" : count(jobs, "single-adapter job", "single-adapter jobs");
  const trials = abTests === 0 ? "" : ` (incl. the jobs of ${count(abTests, "A/B test", "A/B tests")})`;
  const leftOut = combinationJobs === 0 ? "" : `; ${count(combinationJobs, "multi-adapter job", "multi-adapter jobs")} left out (reported as combinations)`;
  return `${source}${trials}${leftOut}`;
}
