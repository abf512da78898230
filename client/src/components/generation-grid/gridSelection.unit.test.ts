import { describe, expect, test } from "vitest";
import { abTestProblem, abTestQuery, toggleCell, type GridCellChoice } from "./gridSelection";

const cell = (adapterId: string, weight: number, seed: number, durationSeconds: number | null = 4): GridCellChoice => ({ adapterId, weight, seed, durationSeconds });

describe("choosing two cells of a grid to A/B", () => {
  test("chooses two at most: a third replaces the first chosen, choosing again unchooses", () => {
    const two = toggleCell(toggleCell([], cell("a", 0.4, 1)), cell("a", 1, 1));
    expect(toggleCell(two, cell("b", 1, 2))).toEqual([cell("a", 1, 1), cell("b", 1, 2)]);
    expect(toggleCell(two, cell("a", 0.4, 1))).toEqual([cell("a", 1, 1)]);
  });

  test("refuses cells that differ only in their seed, and fewer than two", () => {
    expect(abTestProblem([cell("a", 0.4, 1)])).toBe("Select two cells to A/B them.");
    expect(abTestProblem([cell("a", 0.4, 1), cell("a", 0.4, 2)])).toMatch(/differ only in their seed/);
    expect(abTestProblem([cell("a", 0.4, 1), cell("a", 1, 2)])).toBeNull();
    expect(abTestProblem([cell("a", 1, 1), cell("b", 1, 1)])).toBeNull();
  });

  test("pre-fills each side's adapter and weight, the prompt, the first cell's seed and the melody length", () => {
    expect(abTestQuery("a waltz", [cell("a", 0.4, 3), cell("a", 1, 5)])).toEqual({
      adapterA: "a",
      weightA: "0.4",
      adapterB: "a",
      weightB: "1",
      prompt: "a waltz",
      seed: "3",
      durationSeconds: "4",
    });
    expect(abTestQuery("a cat", [cell("a", 0.4, 3, 0), cell("b", 1, 5, 0)])).not.toHaveProperty("durationSeconds");
  });
});
