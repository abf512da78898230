import { expect, test } from "vitest";
import { overriddenKeys, runDuration } from "./runColumns";

test("runDuration counts to the end, or to now while the run trains", () => {
  const startedAt = "2026-01-01T10:00:00.000Z";
  expect(runDuration({ startedAt, finishedAt: "2026-01-01T10:01:23.000Z" }, 0)).toBe("1m 23s");
  expect(runDuration({ startedAt, finishedAt: null }, Date.parse("2026-01-01T10:00:09.000Z"))).toBe("9s");
  expect(runDuration({ startedAt: null, finishedAt: null }, 0)).toBe("");
});

test("overriddenKeys lists what a run changed", () => {
  expect(overriddenKeys({ configOverride: { learningRate: 0.01, maxSteps: 60 } })).toBe("learningRate, maxSteps");
  expect(overriddenKeys({ configOverride: null })).toBeNull();
  expect(overriddenKeys({ configOverride: {} })).toBeNull();
});
