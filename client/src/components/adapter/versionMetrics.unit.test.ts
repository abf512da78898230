import { expect, test } from "vitest";
import { hasAnyValue, versionMetrics, versionSeries } from "./versionMetrics";

const score = (name: string, value: number) => ({ name, value, source: "RUN" as const, count: 1, higherIsBetter: true });
const version = (overrides: Partial<Parameters<typeof versionSeries>[0][number]> & { version: string }) => ({
  finalLoss: null,
  bestLoss: null,
  ratingAverage: null,
  winRate: null,
  evaluationScores: [],
  ...overrides,
});

const versions = [
  version({ version: "1.0", finalLoss: 0.9, bestLoss: 0.8, evaluationScores: [score("clap_score", 0.4)] }),
  version({ version: "1.1", finalLoss: 0.7, ratingAverage: 4.2, evaluationScores: [score("pitch_accuracy", 0.6), score("clap_score", 0.5)] }),
  version({ version: "2.0", winRate: 0.75 }),
];

test("versionMetrics lists the losses, every evaluation score once and sorted, then rating and win rate", () => {
  expect(versionMetrics(versions).map((metric) => metric.key)).toEqual([
    "finalLoss",
    "bestLoss",
    "score:clap_score",
    "score:pitch_accuracy",
    "ratingAverage",
    "winRate",
  ]);
});

test("versionMetrics without evaluation scores keeps the fixed metrics", () => {
  expect(versionMetrics([]).map((metric) => metric.label)).toEqual(["Final loss", "Best loss", "Average rating", "A/B win rate"]);
});

test("versionSeries reads one value per version in order, null where a version has none", () => {
  expect(versionSeries(versions, "finalLoss")).toEqual([
    { version: "1.0", value: 0.9 },
    { version: "1.1", value: 0.7 },
    { version: "2.0", value: null },
  ]);
  expect(versionSeries(versions, "score:clap_score").map((point) => point.value)).toEqual([0.4, 0.5, null]);
  expect(versionSeries(versions, "winRate").map((point) => point.value)).toEqual([null, null, 0.75]);
});

test("versionSeries of an unknown metric is all nulls", () => {
  expect(hasAnyValue(versionSeries(versions, "score:missing"))).toBe(false);
  expect(hasAnyValue(versionSeries(versions, "bestLoss"))).toBe(true);
});
