import { describe, expect, it } from "vitest";
import { binomialTest, wilsonInterval } from "./proportion.js";

describe("binomialTest (exact, two-sided, R's binom.test method)", () => {
  // Published: R's binom.test(7, 10) prints p-value = 0.34375 and binom.test(9, 10) 0.02148.
  // Hand-worked: P(X <= 3) + P(X >= 7) for Bin(10, 1/2) = 2 * (1 + 10 + 45 + 120) / 1024 = 0.34375.
  it.each([
    [7, 10, 0.5, 0.34375, "R binom.test(7, 10); hand: 2*176/1024"],
    [9, 10, 0.5, 0.021484375, "R binom.test(9, 10); hand: 2*11/1024"],
    [0, 10, 0.5, 0.001953125, "hand: 2/1024"],
    [10, 10, 0.5, 0.001953125, "hand: 2/1024"],
    [5, 10, 0.5, 1, "observed = expected"],
    [3, 20, 0.5, 0.0025768280029296875, "scipy.stats.binomtest 1.17.1 (same method as R)"],
    [6, 10, 0.25, 0.019727706909179688, "scipy.stats.binomtest(6, 10, 0.25) 1.17.1, asymmetric null"],
  ])("binomialTest(%i, %i, %f) = %f (%s)", (k, n, p, expected) => {
    expect(binomialTest(k, n, p).pValue).toBeCloseTo(expected, 12);
  });

  it("reproduces the example in R's ?binom.test: 682 of 925 against p = 3/4 (Mendel's peas), p-value = 0.3825", () => {
    expect(binomialTest(682, 925, 0.75).pValue).toBeCloseTo(0.3825, 4);
  });

  it("rejects impossible counts with a RangeError", () => {
    expect(() => binomialTest(0, 0)).toThrow(RangeError);
    expect(() => binomialTest(11, 10)).toThrow(RangeError);
    expect(() => binomialTest(1.5, 10)).toThrow(RangeError);
  });
});

describe("wilsonInterval (score interval, no continuity correction)", () => {
  // Published: R's prop.test(7, 10, correct = FALSE)$conf.int = 0.3967781 0.8922087.
  // Others: scipy.stats.binomtest(k, n).proportion_ci(method="wilson"), scipy 1.17.1.
  it.each([
    [7, 10, 0.95, 0.39677814746114526, 0.892208732593699],
    [0, 10, 0.95, 0, 0.27753279986288926],
    [10, 10, 0.95, 0.7224672001371109, 1],
    [45, 60, 0.95, 0.6276792992295218, 0.8422347746994333],
    [7, 10, 0.99, 0.32002467920110256, 0.9204336834769342],
  ])("wilsonInterval(%i, %i, %f) = [%f, %f]", (k, n, confidence, lower, upper) => {
    const interval = wilsonInterval(k, n, confidence);
    expect(interval.lower).toBeCloseTo(lower, 9);
    expect(interval.upper).toBeCloseTo(upper, 9);
  });

  it("matches the hand-rounded textbook value for 7/10: [0.3968, 0.8922]", () => {
    const { lower, upper } = wilsonInterval(7, 10);
    expect(lower.toFixed(4)).toBe("0.3968");
    expect(upper.toFixed(4)).toBe("0.8922");
  });

  it("rejects zero trials and impossible confidence levels", () => {
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(RangeError);
  });
});
