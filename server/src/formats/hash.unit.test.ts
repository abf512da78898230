import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { autoV2 } from "./hash.js";

describe("autoV2", () => {
  it("is the first 10 hex digits of the sha256, uppercased", () => {
    expect(autoV2("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")).toBe("E3B0C44298");
  });

  it("rejects anything that is not a sha256 hex digest", () => {
    expect(() => autoV2("e3b0c44298")).toThrow(FormatError);
    expect(() => autoV2("z".repeat(64))).toThrow(/expected a sha256 as 64 hexadecimal characters/);
  });
});
