import { describe, expect, test } from "vitest";
import { formatPValue, formatShare, formatWinRate, intervalGeometry, significanceLabel, tallyLabel } from "./abTestResult";

describe("intervalGeometry", () => {
  test("places the win rate, its interval and 50% along the bar", () => {
    expect(intervalGeometry(0.8, { lower: 0.6, upper: 0.9 }, 200)).toEqual({ lowerX: 120, upperX: 180, pointX: 160, chanceX: 100, excludesChance: true });
  });

  test("an interval around 50% does not exclude chance", () => {
    expect(intervalGeometry(0.6, { lower: 0.2, upper: 0.9 }, 100)?.excludesChance).toBe(false);
    expect(intervalGeometry(0.1, { lower: 0.01, upper: 0.4 }, 100)?.excludesChance).toBe(true);
  });

  test("keeps the marks on the bar and draws nothing without decisive trials", () => {
    expect(intervalGeometry(1, { lower: 0.5, upper: 1.2 }, 100)?.upperX).toBe(100);
    expect(intervalGeometry(null, null, 100)).toBeNull();
    expect(intervalGeometry(0.5, null, 100)).toBeNull();
  });
});

describe("result formatting", () => {
  test("win rate with its interval", () => {
    expect(formatShare(0.625)).toBe("62.5%");
    expect(formatWinRate(0.75, { lower: 0.3006, upper: 0.9544 })).toBe("75% (95% CI 30.1%–95.4%)");
    expect(formatWinRate(null, null)).toBe("no decisive trials");
  });

  test("p-values", () => {
    expect(formatPValue(0.0625)).toBe("0.063");
    expect(formatPValue(0.0004)).toBe("< 0.001");
    expect(formatPValue(null)).toBe("—");
  });

  test("significance and the tally", () => {
    expect(significanceLabel({ significant: true, pValue: 0.01 })).toBe("Significant at 0.05");
    expect(significanceLabel({ significant: false, pValue: 0.5 })).toBe("Not significant at 0.05");
    expect(significanceLabel({ significant: false, pValue: null })).toBe("No test: no decisive trials");
    expect(tallyLabel({ wins: 3, losses: 1, ties: 1 })).toBe("3 wins · 1 loss · 1 tie");
    expect(tallyLabel({ wins: 0, losses: 2, ties: 0 })).toBe("0 wins · 2 losses · 0 ties");
  });
});
