import { describe, expect, it } from "vitest";
import { createRandom } from "./random.js";

const DRAWS = 20_000;

function draws<T>(count: number, draw: () => T): T[] {
  return Array.from({ length: count }, draw);
}

describe("createRandom", () => {
  it("is mulberry32: the committed base weights depend on this exact sequence", () => {
    const random = createRandom(42);
    expect(draws(3, () => random.next())).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it("repeats a sequence for the same seed and changes it for another", () => {
    const sequence = (seed: number) => {
      const random = createRandom(seed);
      return draws(50, () => random.next());
    };
    expect(sequence(7)).toEqual(sequence(7));
    expect(sequence(7)).not.toEqual(sequence(8));
  });

  it("draws next() in [0, 1)", () => {
    const random = createRandom(1);
    expect(draws(DRAWS, () => random.next()).every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it("draws int(lo, hi) with both ends included", () => {
    const random = createRandom(2);
    expect(new Set(draws(1000, () => random.int(-2, 2)))).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(random.int(5, 5)).toBe(5);
  });

  it("refuses an empty or fractional int range", () => {
    const random = createRandom(3);
    expect(() => random.int(3, 2)).toThrow(RangeError);
    expect(() => random.int(0, 1.5)).toThrow(RangeError);
  });

  it("picks every member of a list and refuses an empty one", () => {
    const random = createRandom(4);
    expect(new Set(draws(200, () => random.pick(["a", "b", "c"])))).toEqual(new Set(["a", "b", "c"]));
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it("draws weighted indices in proportion and never a zero weight", () => {
    const random = createRandom(5);
    const picked = draws(DRAWS, () => random.weighted([1, 0, 3]));
    expect(picked).not.toContain(1);
    expect(picked.filter((index) => index === 2).length / DRAWS).toBeCloseTo(0.75, 1);
  });

  it("refuses weights that are negative, not finite, or all zero", () => {
    const random = createRandom(6);
    for (const weights of [[-1, 2], [Number.NaN, 1], [Infinity], [0, 0], []]) {
      expect(() => random.weighted(weights)).toThrow(RangeError);
    }
  });

  it("draws standard normal samples", () => {
    const random = createRandom(7);
    const samples = draws(DRAWS, () => random.normal());
    const mean = samples.reduce((sum, value) => sum + value, 0) / DRAWS;
    const variance = samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / DRAWS;
    expect(samples.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
