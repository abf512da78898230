import type { DashboardQuery, ExperimentStatus } from "../../gql/graphql";
import { countOf, formatDecimal } from "../../utils/format";

type DashboardStats = DashboardQuery["dashboard"]["stats"];
type ExperimentStatusCount = DashboardStats["experimentsByStatus"][number];

export interface StatCard {
  key: string;
  label: string;
  value: string;
  detail: string;
}

/** The order a glance wants: what is moving, then what waits, then what is done with. */
const EXPERIMENT_STATUS_ORDER: readonly ExperimentStatus[] = ["RUNNING", "DRAFT", "COMPLETED", "FAILED", "ARCHIVED"];

/** The statuses that have experiments, in EXPERIMENT_STATUS_ORDER. */
export function experimentBreakdown(byStatus: readonly ExperimentStatusCount[]): ExperimentStatusCount[] {
  return EXPERIMENT_STATUS_ORDER.flatMap((status) => {
    const count = byStatus.find((entry) => entry.status === status)?.count ?? 0;
    return count > 0 ? [{ status, count }] : [];
  });
}

/** "4.3" out of 5, or a dash before the first rating. */
export function formatAverageRating(averageRating: number | null): string {
  return averageRating === null ? "–" : formatDecimal(averageRating, 1);
}

/** One card per figure; the experiments card's breakdown by status is drawn apart, from `experimentBreakdown`. */
export function statCards(stats: DashboardStats): StatCard[] {
  const experiments = stats.experimentsByStatus.reduce((total, entry) => total + entry.count, 0);
  return [
    { key: "adapters", label: "Adapters", value: String(stats.adaptersTotal), detail: `${stats.adaptersActive} active` },
    { key: "experiments", label: "Experiments", value: String(experiments), detail: experiments === 0 ? "none yet" : "" },
    { key: "runs", label: "Runs running", value: String(stats.runsRunning), detail: "training now" },
    { key: "generations", label: "Generations today", value: String(stats.generationsToday), detail: "since midnight" },
    {
      key: "rating",
      label: "Average rating",
      value: formatAverageRating(stats.averageRating),
      detail: stats.ratingCount === 0 ? "no ratings yet" : `of 5, ${countOf(stats.ratingCount, "rating")}`,
    },
  ];
}
