import { describe, expect, it } from "vitest";
import { mannWhitneyU } from "./mann-whitney.js";

/** Independent check of the exact p-value: enumerate every split of the pooled ranks 1..m+n. */
function enumeratedTwoSided(u: number, m: number, n: number): number {
  let atOrBelow = 0;
  let atOrAbove = 0;
  let total = 0;
  const pick = (start: number, left: number, rankSum: number): void => {
    if (left === 0) {
      const value = rankSum - (m * (m + 1)) / 2;
      total++;
      if (value <= u) atOrBelow++;
      if (value >= u) atOrAbove++;
      return;
    }
    for (let r = start; r <= m + n - left + 1; r++) pick(r + 1, left - 1, rankSum + r);
  };
  pick(1, m, 0);
  return Math.min(1, (2 * Math.min(atOrBelow, atOrAbove)) / total);
}

describe("mannWhitneyU", () => {
  it("hand-worked: x = {1, 2}, y = {3, 4} gives U = 0 and p = 2 * 1/C(4,2) = 1/3 (exact)", () => {
    expect(mannWhitneyU([1, 2], [3, 4])).toMatchObject({ u: 0, method: "EXACT", ties: false });
    expect(mannWhitneyU([1, 2], [3, 4]).pValue).toBeCloseTo(1 / 3, 12);
  });

  it("hand-worked: x = {1, 2, 3}, y = {4, 5, 6} gives U = 0 and p = 2/20 = 0.1; swapped, U = 9 and the same p", () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6]).pValue).toBeCloseTo(0.1, 12);
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3])).toMatchObject({ u: 9 });
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3]).pValue).toBeCloseTo(0.1, 12);
  });

  // Published: R's ?wilcox.test example (Hollander & Wolfe, 1973, p. 69: permeability of placental
  // membranes): wilcox.test(x, y, alternative = "g") prints W = 35, p-value = 0.1272; two-sided it is
  // 0.2544 (scipy.stats.mannwhitneyu(x, y, method="exact") = 0.2544122544122544, scipy 1.17.1).
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  it("reproduces R's wilcox.test example: W = 35, exact two-sided p = 0.2544", () => {
    const result = mannWhitneyU(x, y);
    expect(result).toMatchObject({ u: 35, method: "EXACT", n1: 10, n2: 5 });
    expect(result.pValue).toBeCloseTo(0.2544122544122544, 12);
    expect(result.pValue).toBeCloseTo(enumeratedTwoSided(35, 10, 5), 12);
  });

  it("agrees with full enumeration for every U of 6 against 7", () => {
    for (let u = 0; u <= 42; u++) {
      // An x value v in 0..7 lies above exactly v of y = 0.5, 1.5, ..., 6.5; the tiny offsets keep the x values distinct.
      const xs: number[] = [];
      let remaining = u;
      for (let i = 0; i < 6; i++) {
        const above = Math.min(7, remaining);
        xs.push(above);
        remaining -= above;
      }
      const ys = Array.from({ length: 7 }, (_, j) => j + 0.5);
      const result = mannWhitneyU(xs.map((v, i) => v + i * 1e-9), ys);
      expect(result.u).toBe(u);
      expect(result.pValue).toBeCloseTo(enumeratedTwoSided(u, 6, 7), 12);
    }
  });

  it("uses the exact distribution up to 49 per sample: 30 against 40 (scipy exact: 2.0364736570423134e-05)", () => {
    const result = mannWhitneyU(Array.from({ length: 30 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => i + 7.5));
    expect(result).toMatchObject({ u: 253, method: "EXACT" });
    expect(result.pValue).toBeCloseTo(2.0364736570423134e-5, 15);
  });

  it("switches to the normal approximation from 50 per sample (scipy asymptotic with continuity: 0.013625351739667748)", () => {
    const result = mannWhitneyU(Array.from({ length: 55 }, (_, i) => i), Array.from({ length: 50 }, (_, i) => i + 10.5));
    expect(result).toMatchObject({ u: 990, method: "NORMAL_APPROXIMATION", ties: false });
    expect(result.pValue).toBeCloseTo(0.013625351739667748, 10);
  });

  it("uses the normal approximation with tie correction when values tie (scipy asymptotic: U = 11, p = 0.1633137897603414)", () => {
    const result = mannWhitneyU([1, 2, 2, 3, 4, 5], [3, 4, 4, 5, 5, 5, 2]);
    expect(result).toMatchObject({ u: 11, method: "NORMAL_APPROXIMATION", ties: true });
    expect(result.pValue).toBeCloseTo(0.1633137897603414, 10);
  });

  it("reports p = 1 when every observation ties", () => {
    expect(mannWhitneyU([3, 3], [3, 3, 3])).toMatchObject({ u: 3, pValue: 1, method: "NORMAL_APPROXIMATION" });
  });

  it("rejects an empty sample", () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
  });
});
