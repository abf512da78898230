import { describe, expect, test } from "vitest";
import { cellCountProblem, cellCountText, MAX_GRID_CELLS, parseSeeds, parseWeights } from "./gridForm";

describe("the new grid form", () => {
  test("reads the weights, separated by commas or spaces", () => {
    expect(parseWeights("0.4, 0.7 1.0")).toEqual({ values: [0.4, 0.7, 1], error: null });
    expect(parseWeights(" ,, ")).toEqual({ values: [], error: "give at least one weight" });
  });

  test("says which weight is wrong: not a number, out of range, or twice", () => {
    expect(parseWeights("0.4, heavy").error).toBe('"heavy" is not a number');
    expect(parseWeights("0.4, 2.5").error).toBe("weight 2.5 is outside 0.00 to 2.00");
    expect(parseWeights("1, 1.0").error).toBe("weight 1.0 is listed twice");
  });

  test("reads the seeds: whole numbers from 0, each once", () => {
    expect(parseSeeds("1 2 3")).toEqual({ values: [1, 2, 3], error: null });
    expect(parseSeeds("1, 2.5").error).toBe("seed 2.5 must be a whole number, 0 or more");
    expect(parseSeeds("-1").error).toBe("seed -1 must be a whole number, 0 or more");
    expect(parseSeeds("7, 7").error).toBe("seed 7 is listed twice");
  });

  test("counts the cells and refuses more than the API runs", () => {
    expect(cellCountText(2, 3, 1)).toBe("2 adapters × 3 weights × 1 seed = 6 cells");
    expect(cellCountProblem(MAX_GRID_CELLS)).toBeNull();
    expect(cellCountProblem(MAX_GRID_CELLS + 1)).toBe("A grid runs at most 100 cells; drop some adapters, weights or seeds.");
  });
});
