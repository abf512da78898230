import { describe, expect, it } from "vitest";
import { MetricLines, parseMetricLine } from "./metric-lines.js";

const time = new Date("2026-01-01T00:00:00Z");
const point = (name: string, step: number, value: number) => ({ name, step, value, time: time.toISOString() });

describe("MetricLines", () => {
  it("turns every numeric field but step into a point, across reads that cut lines", () => {
    const lines = new MetricLines();
    expect(lines.write(Buffer.from('{"step": 10, "loss": 2.3, "l'), time)).toEqual({ points: [], problems: [] });
    expect(lines.write(Buffer.from('r": 0.0003, "phase": "train"}\n{"step": 11, "loss": 2.2}'), time).points).toEqual([point("loss", 10, 2.3), point("lr", 10, 0.0003)]);
    expect(lines.end(time).points).toEqual([point("loss", 11, 2.2)]);
  });

  it("skips what the API would refuse, saying why", () => {
    expect(parseMetricLine("not json", time).problems).toEqual(['metrics line "not json" is not JSON']);
    expect(parseMetricLine("[1, 2]", time).problems[0]).toMatch(/not a JSON object/);
    expect(parseMetricLine('{"loss": 1}', time).problems[0]).toMatch(/needs "step"/);
    expect(parseMetricLine('{"step": 1.5, "loss": 1}', time).problems[0]).toMatch(/needs "step"/);
    const mixed = parseMetricLine('{"step": 3, "loss": 1, "9bad": 2, "big": 1e999}', time);
    expect(mixed.points).toEqual([point("loss", 3, 1)]);
    expect(mixed.problems).toHaveLength(2);
    expect(parseMetricLine("   ", time)).toEqual({ points: [], problems: [] });
  });

  it("drops a line that grows without end, once, and goes on after it", () => {
    const lines = new MetricLines();
    const first = lines.write(Buffer.from("x".repeat(70_000)), time);
    expect(first.problems).toHaveLength(1);
    expect(lines.write(Buffer.from("y".repeat(70_000)), time).problems).toEqual([]);
    expect(lines.write(Buffer.from('zz\n{"step": 1, "loss": 0.5}\n'), time)).toEqual({ points: [point("loss", 1, 0.5)], problems: [] });
  });
});
