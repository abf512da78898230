import exactBinomialTest from "@stdlib/stats-binomial-test";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

export interface BinomialTestResult {
  successes: number;
  trials: number;
  /** Hypothesised success probability. */
  p: number;
  /** Exact two-sided p-value. */
  pValue: number;
}

export interface Interval {
  lower: number;
  upper: number;
}

function checkCounts(successes: number, trials: number): void {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer between 0 and ${trials}, got ${successes}`);
  }
}

/**
 * Exact two-sided binomial test as R's binom.test computes it: the p-value sums the
 * probabilities of every outcome no more likely than the observed one (relative tolerance 1e-7).
 */
export function binomialTest(successes: number, trials: number, p = 0.5): BinomialTestResult {
  checkCounts(successes, trials);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be a probability, got ${p}`);
  const { pValue } = exactBinomialTest(successes, trials, { p, alternative: "two-sided" });
  return { successes, trials, p, pValue: Math.min(1, pValue) };
}

/** Wilson score interval for a proportion, without continuity correction (R: prop.test(correct = FALSE)). */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  checkCounts(successes, trials);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie strictly between 0 and 1, got ${confidence}`);
  const z = normalQuantile(1 - (1 - confidence) / 2, 0, 1);
  const n = trials;
  const phat = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (phat + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((phat * (1 - phat)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}
