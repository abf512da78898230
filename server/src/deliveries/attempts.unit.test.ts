import { describe, expect, it } from "vitest";
import { backoffMs } from "./attempts.js";

const options = { retryBaseMs: 1000, retryMaxMs: 60_000 };

describe("backoffMs", () => {
  it("doubles per attempt, half of it jittered, up to the maximum", () => {
    expect([1, 2, 3].map((attempt) => backoffMs(attempt, options, null, 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((attempt) => backoffMs(attempt, options, null, 1))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(20, options, null, 1)).toBe(60_000);
  });

  it("waits at least as long as the receiver's Retry-After, within the maximum", () => {
    expect(backoffMs(1, options, 30_000, 0)).toBe(30_000);
    expect(backoffMs(1, options, 3_600_000, 0)).toBe(60_000);
  });
});
