import { binomialTest, wilsonInterval, type Interval } from "../stats/proportion.js";

/*
 * The result of an A/B test from its judged trials (choices in the adapters' terms): ties are left out of the win rate,
 * its Wilson interval and the exact binomial test against 50%, as DESIGN §9 asks.
 */

export const SIGNIFICANCE_LEVEL = 0.05;
export const CONFIDENCE = 0.95;

export interface AbResult {
  wins: number;
  losses: number;
  ties: number;
  judged: number;
  decisive: number;
  /** A's share of the decisive trials; null without any */
  winRate: number | null;
  interval: Interval | null;
  pValue: number | null;
  significant: boolean;
  verdict: string;
}

export interface AbSides {
  /** "adapter A (waltz 1)" */
  a: string;
  /** "adapter B (jig 2)" or "the base model (Tunes S)" */
  b: string;
  /** the test was completed: no more trials will come */
  final: boolean;
}

export function abResult(choices: readonly ("A" | "B" | "TIE")[], sides: AbSides): AbResult {
  const wins = choices.filter((choice) => choice === "A").length;
  const losses = choices.filter((choice) => choice === "B").length;
  const ties = choices.length - wins - losses;
  const decisive = wins + losses;
  const counts = { wins, losses, ties, judged: choices.length, decisive };
  if (decisive === 0) return { ...counts, winRate: null, interval: null, pValue: null, significant: false, verdict: undecided(counts.judged, sides.final) };
  const interval = wilsonInterval(wins, decisive, CONFIDENCE);
  const { pValue } = binomialTest(wins, decisive, 0.5);
  const significant = pValue < SIGNIFICANCE_LEVEL;
  const winRate = wins / decisive;
  return { ...counts, winRate, interval, pValue, significant, verdict: verdict({ ...counts, winRate, interval, pValue, significant }, sides) };
}

function undecided(judged: number, final: boolean): string {
  if (judged === 0) return final ? "No trial was judged, so there is no verdict." : "No trial judged yet.";
  const all = judged === 1 ? "The one judged trial was a tie" : `All ${judged} judged trials were ties`;
  return `${all}: neither side is preferred${final ? "" : " so far"}.`;
}

/** Names a preferred side only when the test says so (p < 0.05); otherwise says how A fared, and that it is no difference. */
function verdict(result: Omit<AbResult, "verdict">, sides: AbSides): string {
  const { wins, losses, ties, decisive, winRate, interval, pValue, significant } = result;
  const tieNote = ties === 0 ? "" : `; ${ties === 1 ? "1 tie" : `${ties} ties`} left out`;
  if (!significant) {
    const range = `95% CI of A's win rate ${percent(interval!.lower)}–${percent(interval!.upper)}%`;
    return `No significant difference${sides.final ? "" : " yet"} (A won ${wins} of ${decisive} decisive trials; ${range}${tieNote}), ${pText(pValue!)}.`;
  }
  const aWins = wins > losses;
  const [winner, won, rate, lower, upper] = aWins
    ? [sides.a, wins, winRate!, interval!.lower, interval!.upper]
    : [sides.b, losses, 1 - winRate!, 1 - interval!.upper, 1 - interval!.lower];
  const preferred = `${capitalised(winner)} is preferred over ${aWins ? sides.b : sides.a}`;
  return `${preferred}: ${won} of ${decisive} decisive trials (${percent(rate)}%, 95% CI ${percent(lower)}–${percent(upper)}%${tieNote}), ${pText(pValue!)} — significant at the 5% level.`;
}

const percent = (fraction: number) => String(Math.round(fraction * 100));
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** two significant digits, as a reader quotes it: p = 0.11, p = 0.031, p = 1, p < 0.001 */
export function pText(pValue: number): string {
  return pValue < 0.001 ? "p < 0.001" : `p = ${Number(pValue.toPrecision(2))}`;
}
