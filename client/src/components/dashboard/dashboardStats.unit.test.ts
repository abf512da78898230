import { expect, test } from "vitest";
import { experimentBreakdown, formatAverageRating, statCards } from "./dashboardStats";

const stats = {
  adaptersTotal: 6,
  adaptersActive: 4,
  experimentsByStatus: [
    { status: "DRAFT" as const, count: 2 },
    { status: "RUNNING" as const, count: 1 },
    { status: "FAILED" as const, count: 0 },
  ],
  runsRunning: 1,
  generationsToday: 12,
  averageRating: 4.26,
  ratingCount: 31,
};

test("statCards gives each figure its card, experiments summed over their statuses", () => {
  expect(statCards(stats)).toEqual([
    { key: "adapters", label: "Adapters", value: "6", detail: "4 active" },
    { key: "experiments", label: "Experiments", value: "3", detail: "" },
    { key: "runs", label: "Runs running", value: "1", detail: "training now" },
    { key: "generations", label: "Generations today", value: "12", detail: "since midnight" },
    { key: "rating", label: "Average rating", value: "4.3", detail: "of 5, 31 ratings" },
  ]);
});

test("statCards on a fresh install says there is nothing yet", () => {
  const fresh = statCards({ ...stats, adaptersTotal: 0, adaptersActive: 0, experimentsByStatus: [], averageRating: null, ratingCount: 0 });
  expect(fresh.find((card) => card.key === "experiments")).toMatchObject({ value: "0", detail: "none yet" });
  expect(fresh.find((card) => card.key === "rating")).toMatchObject({ value: "–", detail: "no ratings yet" });
});

test("experimentBreakdown lists the statuses that have experiments, running first", () => {
  expect(experimentBreakdown(stats.experimentsByStatus)).toEqual([
    { status: "RUNNING", count: 1 },
    { status: "DRAFT", count: 2 },
  ]);
  expect(experimentBreakdown([])).toEqual([]);
});

test("formatAverageRating keeps one decimal", () => {
  expect(formatAverageRating(4)).toBe("4");
  expect(formatAverageRating(3.849)).toBe("3.8");
  expect(formatAverageRating(null)).toBe("–");
});
