import { formatDecimal } from "../../utils/format";

/** What the interval graphic draws, in pixels across a bar `width` wide that runs from 0% to 100%. */
export interface IntervalGeometry {
  lowerX: number;
  upperX: number;
  /** the observed win rate */
  pointX: number;
  /** 50%: no preference */
  chanceX: number;
  /** whether the interval leaves out 50% */
  excludesChance: boolean;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/** Where the win rate, its interval and the 50% line fall on the bar; null without a decisive trial. */
export function intervalGeometry(winRate: number | null, interval: { lower: number; upper: number } | null, width: number): IntervalGeometry | null {
  if (winRate === null || !interval) return null;
  const x = (share: number) => clamp01(share) * width;
  return {
    lowerX: x(interval.lower),
    upperX: x(interval.upper),
    pointX: x(winRate),
    chanceX: x(0.5),
    excludesChance: interval.lower > 0.5 || interval.upper < 0.5,
  };
}

/** A share as a percentage with one decimal: 0.625 → "62.5%". */
export function formatShare(share: number): string {
  return `${formatDecimal(share * 100, 1)}%`;
}

/** "62.5% (95% CI 30.6%–86.3%)", or "no decisive trials". */
export function formatWinRate(winRate: number | null, interval: { lower: number; upper: number } | null): string {
  if (winRate === null) return "no decisive trials";
  const range = interval ? ` (95% CI ${formatShare(interval.lower)}–${formatShare(interval.upper)})` : "";
  return `${formatShare(winRate)}${range}`;
}

/** p-values as papers write them: three decimals, "< 0.001" below that, "—" when there is no test. */
export function formatPValue(pValue: number | null): string {
  if (pValue === null) return "—";
  return pValue < 0.001 ? "< 0.001" : formatDecimal(pValue, 3);
}

/** "Significant at 0.05" or why not. */
export function significanceLabel(result: { significant: boolean; pValue: number | null }): string {
  if (result.pValue === null) return "No test: no decisive trials";
  return result.significant ? "Significant at 0.05" : "Not significant at 0.05";
}

/** "3 wins · 1 loss · 1 tie", counted for adapter A. */
export function tallyLabel(result: { wins: number; losses: number; ties: number }): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [count(result.wins, "win", "wins"), count(result.losses, "loss", "losses"), count(result.ties, "tie", "ties")].join(" · ");
}
