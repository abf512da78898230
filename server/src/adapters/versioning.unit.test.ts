import { describe, expect, it } from "vitest";
import { nextFreeVersion } from "./versioning.js";

describe("nextFreeVersion", () => {
  it("bumps the last number of a dotted version", () => {
    expect(nextFreeVersion("1.2", ["1.2"])).toBe("1.3");
    expect(nextFreeVersion("1.2", ["1.2", "1.3", "1.4"])).toBe("1.5");
  });
  it("keeps prefixes and suffixes", () => {
    expect(nextFreeVersion("v2", ["v2"])).toBe("v3");
    expect(nextFreeVersion("2.0-beta", ["2.0-beta"])).toBe("2.1-beta");
  });
  it("appends a number to a version without one", () => {
    expect(nextFreeVersion("beta", ["beta"])).toBe("beta.2");
  });
  it("does not overflow on long digit runs", () => {
    expect(nextFreeVersion("1.9", ["1.9"])).toBe("1.10");
  });
});
