import { expect, test } from "vitest";
import { countOf, formatBytes, formatDecimal } from "./format";

test("formatBytes uses binary units with three significant digits", () => {
  expect(formatBytes(0)).toBe("0 B");
  expect(formatBytes(900)).toBe("900 B");
  expect(formatBytes(1536)).toBe("1.5 KiB");
  expect(formatBytes(144 * 1024 * 1024)).toBe("144 MiB");
  expect(formatBytes(6.5 * 1024 ** 3)).toBe("6.5 GiB");
});

test("formatDecimal drops trailing zeros", () => {
  expect(formatDecimal(2)).toBe("2");
  expect(formatDecimal(Math.SQRT1_2)).toBe("0.707");
  expect(formatDecimal(0.5, 2)).toBe("0.5");
});

test("countOf puts the noun in the plural unless there is one", () => {
  expect(countOf(1, "adapter")).toBe("1 adapter");
  expect(countOf(0, "adapter")).toBe("0 adapters");
  expect(countOf(12, "version")).toBe("12 versions");
});
