import { describe, expect, it } from "vitest";
import { decodeEvent } from "./events.js";

describe("events as they arrive from another process", () => {
  it("read a topic's JSON back through its contract, times as Dates", () => {
    const sent = [{ seq: 3, stream: "STDERR", data: "\r\x1b[33mwarning\x1b[0m", time: new Date("2026-12-07T10:00:00.5Z") }];
    expect(decodeEvent("runLog:run-1", JSON.parse(JSON.stringify(sent)))).toEqual({ ok: true, payload: sent });
    expect(decodeEvent("activity", { id: "event-1" })).toEqual({ ok: true, payload: { id: "event-1" } });
  });

  it("refuse an unknown topic, and a payload that breaks its topic's contract, naming the field", () => {
    expect(decodeEvent("runLogs:run-1", [])).toEqual({ ok: false, error: "unknown topic 'runLogs'" });
    expect(decodeEvent("runMetrics:run-1", [{ name: "1loss", step: 1, value: 2, time: "2026-12-07T10:00:00Z" }])).toMatchObject({ ok: false, error: expect.stringMatching(/^0\.name: metric names start with a letter/) });
    expect(decodeEvent("generationEnded", { id: "job-1" })).toMatchObject({ ok: false, error: expect.stringMatching(/^abTestId: /) });
  });
});
