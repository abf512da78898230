import { beforeEach, describe, expect, test } from "vitest";
import { compatibilityVariables, CURRENT_MODEL_STORAGE_KEY, readCurrentModelId, useCurrentModel, writeCurrentModelId } from "./useCurrentModel";

describe("current model storage", () => {
  beforeEach(() => window.localStorage.clear());

  test("reads nothing when nothing was chosen, or only blanks", () => {
    expect(readCurrentModelId(window.localStorage)).toBeNull();
    window.localStorage.setItem(CURRENT_MODEL_STORAGE_KEY, "  ");
    expect(readCurrentModelId(window.localStorage)).toBeNull();
  });

  test("writes a choice and removes it when cleared", () => {
    writeCurrentModelId(window.localStorage, "sdxl");
    expect(window.localStorage.getItem(CURRENT_MODEL_STORAGE_KEY)).toBe("sdxl");
    writeCurrentModelId(window.localStorage, null);
    expect(window.localStorage.getItem(CURRENT_MODEL_STORAGE_KEY)).toBeNull();
  });

  test("useCurrentModel shares one choice and persists it", () => {
    const first = useCurrentModel();
    first.setCurrentModel("tinyllama-1.1b");
    expect(useCurrentModel().currentModelId.value).toBe("tinyllama-1.1b");
    expect(window.localStorage.getItem(CURRENT_MODEL_STORAGE_KEY)).toBe("tinyllama-1.1b");
    expect(first.compatibilityVariables.value).toEqual({ current: "tinyllama-1.1b", withCompatibility: true });
  });
});

test("compatibilityVariables skips the compatibility field while no model is chosen", () => {
  expect(compatibilityVariables(null)).toEqual({ current: "", withCompatibility: false });
  expect(compatibilityVariables("sd15")).toEqual({ current: "sd15", withCompatibility: true });
});
