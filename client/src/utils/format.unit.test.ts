import { expect, test } from "vitest";
import { countOf, formatBytes, formatDateTime, formatDecimal, formatDuration, formatMetricValue, formatRelativeTime } from "./format";

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
  expect(countOf(2, "delivery", "deliveries")).toBe("2 deliveries");
  expect(countOf(1, "delivery", "deliveries")).toBe("1 delivery");
});

test("formatMetricValue keeps four significant digits and writes tiny values as exponents", () => {
  expect(formatMetricValue(0.812345)).toBe("0.8123");
  expect(formatMetricValue(2.5)).toBe("2.5");
  expect(formatMetricValue(1234.56)).toBe("1235");
  expect(formatMetricValue(0)).toBe("0");
  expect(formatMetricValue(0.00031)).toBe("3.1e-4");
  expect(formatMetricValue(-0.000012346)).toBe("-1.235e-5");
});

test("formatDuration shows two units at most", () => {
  expect(formatDuration(0)).toBe("0s");
  expect(formatDuration(4_400)).toBe("4s");
  expect(formatDuration(83_000)).toBe("1m 23s");
  expect(formatDuration(3_700_000)).toBe("1h 1m");
});

test("formatRelativeTime says how long ago, in the largest whole unit, and gives the date after a week", () => {
  const now = Date.parse("2025-06-10T12:00:00Z");
  const ago = (milliseconds: number) => formatRelativeTime(new Date(now - milliseconds).toISOString(), now);
  expect(ago(0)).toBe("just now");
  expect(ago(59_000)).toBe("just now");
  expect(ago(60_000)).toBe("1 min ago");
  expect(ago(59 * 60_000)).toBe("59 min ago");
  expect(ago(3 * 3_600_000 + 59 * 60_000)).toBe("3 h ago");
  expect(ago(2 * 86_400_000)).toBe("2 d ago");
  expect(ago(8 * 86_400_000)).toBe(formatDateTime("2025-06-02T12:00:00.000Z"));
});

test("formatRelativeTime says 'just now' for a time a skewed clock puts in the future", () => {
  expect(formatRelativeTime("2025-06-10T12:00:05Z", Date.parse("2025-06-10T12:00:00Z"))).toBe("just now");
});
