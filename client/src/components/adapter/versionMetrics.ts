import type { AdapterVersionSummaryFieldsFragment } from "../../gql/graphql";
import { metricLabel } from "../run/metricSeries";

type VersionResults = Pick<
  AdapterVersionSummaryFieldsFragment,
  "version" | "finalLoss" | "bestLoss" | "ratingAverage" | "winRate" | "evaluationScores"
>;

/** A value that can be charted across an adapter's versions. */
export interface VersionMetric {
  key: string;
  label: string;
}

const SCORE_PREFIX = "score:";

const FIXED_METRICS: readonly (VersionMetric & { read: (version: VersionResults) => number | null })[] = [
  { key: "finalLoss", label: "Final loss", read: (version) => version.finalLoss ?? null },
  { key: "bestLoss", label: "Best loss", read: (version) => version.bestLoss ?? null },
  { key: "ratingAverage", label: "Average rating", read: (version) => version.ratingAverage ?? null },
  { key: "winRate", label: "A/B win rate", read: (version) => version.winRate ?? null },
];

/** The losses, every evaluation score any version has (by name), the average rating and the win rate. */
export function versionMetrics(versions: readonly VersionResults[]): VersionMetric[] {
  const scoreNames = [...new Set(versions.flatMap((version) => version.evaluationScores.map((score) => score.name)))].sort();
  const scores = scoreNames.map((name) => ({ key: `${SCORE_PREFIX}${name}`, label: metricLabel(name) }));
  const [finalLoss, bestLoss, ...others] = FIXED_METRICS.map(({ key, label }) => ({ key, label }));
  return [finalLoss!, bestLoss!, ...scores, ...others];
}

/** One value per version, in the versions' order; null where a version has none. */
export function versionSeries(versions: readonly VersionResults[], metricKey: string): { version: string; value: number | null }[] {
  const fixed = FIXED_METRICS.find((metric) => metric.key === metricKey);
  const scoreName = metricKey.startsWith(SCORE_PREFIX) ? metricKey.slice(SCORE_PREFIX.length) : null;
  return versions.map((version) => ({
    version: version.version,
    value: fixed
      ? fixed.read(version)
      : (version.evaluationScores.find((score) => score.name === scoreName)?.value ?? null),
  }));
}

/** Whether any version has a value for the metric, so an empty chart can say so instead. */
export function hasAnyValue(series: readonly { value: number | null }[]): boolean {
  return series.some((point) => point.value !== null);
}
