import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./api-client.js";
import { ProgressReporter } from "./progress-reporter.js";

describe("ProgressReporter", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const logger = pino({ level: "silent" });

  it("sends the first fraction at once, then the latest at most once an interval, never going back", async () => {
    const sent: number[] = [];
    const reporter = new ProgressReporter(async (fraction) => void sent.push(fraction), 100, logger);
    reporter.set(0.01);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([0.01]);
    for (const fraction of [0.02, 0.03, 0.02, 0.04]) reporter.set(fraction);
    await vi.advanceTimersByTimeAsync(50);
    expect(sent).toEqual([0.01]);
    await vi.advanceTimersByTimeAsync(50);
    expect(sent).toEqual([0.01, 0.04]);
    await vi.advanceTimersByTimeAsync(500);
    expect(sent, "nothing new, nothing sent").toEqual([0.01, 0.04]);
    reporter.set(1);
    await reporter.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(sent, "stopped").toEqual([0.01, 0.04]);
  });

  it("sends the latest fraction again after a lost report, and nothing more after a refusal", async () => {
    const sent: number[] = [];
    const outcomes = [new ApiError("down", "unreachable"), null, new ApiError("job ended", "refused", "BAD_USER_INPUT")];
    const reporter = new ProgressReporter(async (fraction) => {
      sent.push(fraction);
      const outcome = outcomes.shift();
      if (outcome) throw outcome;
    }, 100, logger);
    for (const fraction of [0.1, 0.2, 0.3, 0.4]) {
      reporter.set(fraction);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sent).toEqual([0.1, 0.1, 0.2]);
    await reporter.stop();
  });
});
