import { describe, expect, test } from "vitest";
import { adapterNameProblem } from "./useAdapterRename";

describe("adapterNameProblem", () => {
  test("accepts names of 1 to 100 characters after trimming", () => {
    expect(adapterNameProblem("jazz-solo")).toBeNull();
    expect(adapterNameProblem("  a  ")).toBeNull();
    expect(adapterNameProblem(` ${"x".repeat(100)} `)).toBeNull();
  });

  test("refuses empty and blank names", () => {
    expect(adapterNameProblem("")).toBe("Enter a name.");
    expect(adapterNameProblem("   \t ")).toBe("Enter a name.");
  });

  test("refuses more than 100 characters and says how many there are", () => {
    expect(adapterNameProblem("x".repeat(101))).toBe("Names are at most 100 characters; this one has 101.");
  });

  test("refuses the delimiters of <lora:name:weight> and control characters, as the API does", () => {
    expect(adapterNameProblem("jazz:solo")).toMatch(/<, > or :/);
    expect(adapterNameProblem("jazz\nsolo")).toMatch(/control characters/);
  });
});
