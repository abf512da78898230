import { describe, expect, test } from "vitest";
import { adapterNameFromFileName, adapterVersionProblem, newAdapterFormProblems, newAdapterInput } from "./useNewAdapterForm";

describe("adapterVersionProblem", () => {
  test("accepts versions like 1.0, v2 and 1.0-beta+3", () => {
    for (const version of ["1.0", "v2", "1.0-beta+3", "2024_01"]) expect(adapterVersionProblem(version)).toBeNull();
  });

  test("refuses empty versions, spaces and other characters", () => {
    expect(adapterVersionProblem(" ")).toBe("Enter a version, such as 1.0.");
    expect(adapterVersionProblem("1 0")).toBe("Versions may hold letters, digits and . _ + - only.");
    expect(adapterVersionProblem("x".repeat(51))).toBe("Versions are at most 50 characters.");
  });
});

test("newAdapterFormProblems names each field with a problem", () => {
  expect(newAdapterFormProblems({ name: "", version: "1.0", baseModelId: null, tags: [] })).toEqual({ name: "Enter a name." });
  expect(newAdapterFormProblems({ name: "ok", version: "1.0", baseModelId: null, tags: [] })).toEqual({});
});

describe("newAdapterInput", () => {
  test("trims, drops empty and repeated tags, and leaves out what was not chosen", () => {
    expect(newAdapterInput({ name: " jazz ", version: " 1.0 ", baseModelId: null, tags: [" jazz ", "", "jazz", "solo"] })).toEqual({
      name: "jazz",
      version: "1.0",
      tags: ["jazz", "solo"],
    });
    expect(newAdapterInput({ name: "a", version: "1", baseModelId: "sd15", tags: [] })).toEqual({ name: "a", version: "1", baseModelId: "sd15" });
  });
});

test("adapterNameFromFileName suggests a name from a single-file LoRA only", () => {
  expect(adapterNameFromFileName("my_style-v2.safetensors")).toBe("my_style-v2");
  expect(adapterNameFromFileName("C:\\loras\\Piano.SAFETENSORS")).toBe("Piano");
  expect(adapterNameFromFileName("adapter_model.safetensors")).toBe("");
  expect(adapterNameFromFileName("a:b.safetensors")).toBe("a-b");
});
