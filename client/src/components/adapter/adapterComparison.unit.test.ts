import { expect, test } from "vitest";
import { abTestLocation, betterAdapterOf, evidenceLabel, formatPValue, MAX_COMPARED, rowCells, toggleCompared } from "./adapterComparison";

const values = (...pairs: [string, number | null][]) => pairs.map(([adapterId, value]) => ({ adapterId, value }));

test("betterAdapterOf takes the server's pick when there is one", () => {
  expect(betterAdapterOf({ betterAdapterId: "b", higherIsBetter: false, values: values(["a", 0.1], ["b", 0.9]) })).toBe("b");
});

test("betterAdapterOf otherwise picks the unique best value in the row's direction", () => {
  expect(betterAdapterOf({ higherIsBetter: false, values: values(["a", 0.5], ["b", 0.3], ["c", null]) })).toBe("b");
  expect(betterAdapterOf({ higherIsBetter: true, values: values(["a", 0.5], ["b", 0.3]) })).toBe("a");
});

test("betterAdapterOf highlights nothing on a tie, without a direction or with one value", () => {
  expect(betterAdapterOf({ higherIsBetter: true, values: values(["a", 0.5], ["b", 0.5]) })).toBeNull();
  expect(betterAdapterOf({ higherIsBetter: null, values: values(["a", 0.5], ["b", 0.3]) })).toBeNull();
  expect(betterAdapterOf({ higherIsBetter: true, values: values(["a", 0.5], ["b", null]) })).toBeNull();
});

test("rowCells follows the adapters' order and marks the better one", () => {
  const row = { higherIsBetter: false, values: values(["b", 0.3], ["a", 0.5]) };
  expect(rowCells(row, ["a", "b", "c"])).toEqual([
    { adapterId: "a", value: 0.5, better: false },
    { adapterId: "b", value: 0.3, better: true },
    { adapterId: "c", value: null, better: false },
  ]);
});

test("formatPValue rounds to two significant digits and floors tiny values", () => {
  expect(formatPValue(0.03217)).toBe("p = 0.032");
  expect(formatPValue(0.5)).toBe("p = 0.5");
  expect(formatPValue(0.0002)).toBe("p < 0.001");
});

test("toggleCompared adds up to the most compared, removes, and ignores repeats", () => {
  expect(toggleCompared(["a"], "b", true)).toEqual(["a", "b"]);
  expect(toggleCompared(["a", "b"], "a", false)).toEqual(["b"]);
  expect(toggleCompared(["a"], "a", true)).toEqual(["a"]);
  const full = Array.from({ length: MAX_COMPARED }, (_, index) => `v${index}`);
  expect(toggleCompared(full, "extra", true)).toEqual(full);
});

test("abTestLocation needs exactly two adapters", () => {
  expect(abTestLocation(["a", "b"])).toEqual({ path: "/ab-tests/new", query: { adapterA: "a", adapterB: "b" } });
  expect(abTestLocation(["a"])).toBeNull();
  expect(abTestLocation(["a", "b", "c"])).toBeNull();
});

test("evidenceLabel says which jobs a version's figures came from and which were left out", () => {
  expect(evidenceLabel({ jobs: 0, abTests: 0, combinationJobs: 0 })).toBe("no single-adapter job yet");
  expect(evidenceLabel({ jobs: 1, abTests: 0, combinationJobs: 0 })).toBe("1 single-adapter job");
  expect(evidenceLabel({ jobs: 3, abTests: 1, combinationJobs: 4 })).toBe(
    "3 single-adapter jobs (incl. the jobs of 1 A/B test); 4 multi-adapter jobs left out (reported as combinations)",
  );
  expect(evidenceLabel({ jobs: 0, abTests: 0, combinationJobs: 1 })).toBe("no single-adapter job yet; 1 multi-adapter job left out (reported as combinations)");
});
