import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

export type MannWhitneyMethod = "EXACT" | "NORMAL_APPROXIMATION";

export interface MannWhitneyResult {
  /** U of the first sample: the number of (x, y) pairs with x > y, ties counting one half (R's W). */
  u: number;
  /** Exact two-sided p-value, or the normal approximation's with tie and continuity corrections. */
  pValue: number;
  method: MannWhitneyMethod;
  ties: boolean;
  n1: number;
  n2: number;
}

/** R's wilcox.test computes the exact distribution below 50 observations per sample when nothing is tied. */
const EXACT_LIMIT = 50;

function midRanks(values: number[]): { ranks: number[]; tieGroupSizes: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  const tieGroupSizes: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) ranks[order[k]!.index] = rank;
    tieGroupSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieGroupSizes };
}

/**
 * Counts of each U value over all C(m+n, m) arrangements: the coefficients of the Gaussian
 * binomial [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i). BigInt keeps them exact.
 */
function exactUCounts(m: number, n: number): bigint[] {
  const counts = new Array<bigint>(m * n + 1).fill(0n);
  counts[0] = 1n;
  for (let i = 1; i <= m; i++) {
    for (let k = counts.length - 1; k >= n + i; k--) counts[k]! -= counts[k - n - i]!;
    for (let k = i; k < counts.length; k++) counts[k]! += counts[k - i]!;
  }
  return counts;
}

function exactTwoSided(u: number, m: number, n: number): number {
  const counts = exactUCounts(m, n);
  const total = counts.reduce((sum, c) => sum + c, 0n);
  // The distribution is symmetric about mn/2: take the nearer tail and double it, as R does.
  const tail = u > (m * n) / 2 ? m * n - u : u;
  let below = 0n;
  for (let k = 0; k <= tail; k++) below += counts[k]!;
  return Math.min(1, (2 * Number(below)) / Number(total));
}

function normalTwoSided(u: number, m: number, n: number, tieGroupSizes: number[]): number {
  const N = m + n;
  const tieTerm = tieGroupSizes.reduce((sum, t) => sum + t * t * t - t, 0);
  const sigma = Math.sqrt(((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  const difference = u - (m * n) / 2;
  // Every observation tied: no evidence either way.
  if (sigma === 0 || difference === 0) return 1;
  const z = (difference - Math.sign(difference) * 0.5) / sigma;
  return Math.min(1, 2 * Math.min(normalCdf(z, 0, 1), normalCdf(-z, 0, 1)));
}

/** Two-sided Mann–Whitney U (Wilcoxon rank-sum) test, choosing the method as R's wilcox.test does. */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  if (x.length === 0 || y.length === 0) throw new RangeError("mannWhitneyU needs at least one observation in each sample");
  if ([...x, ...y].some((v) => !Number.isFinite(v))) throw new RangeError("mannWhitneyU needs finite observations");
  const m = x.length;
  const n = y.length;
  const { ranks, tieGroupSizes } = midRanks([...x, ...y]);
  const rankSumX = ranks.slice(0, m).reduce((sum, r) => sum + r, 0);
  const u = rankSumX - (m * (m + 1)) / 2;
  const ties = tieGroupSizes.some((size) => size > 1);
  const exact = !ties && m < EXACT_LIMIT && n < EXACT_LIMIT;
  return {
    u,
    pValue: exact ? exactTwoSided(u, m, n) : normalTwoSided(u, m, n, tieGroupSizes),
    method: exact ? "EXACT" : "NORMAL_APPROXIMATION",
    ties,
    n1: m,
    n2: n,
  };
}
