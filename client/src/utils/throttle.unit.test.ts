import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { throttle } from "./throttle";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

test("runs the first call at once and folds the calls inside the interval into one at its end", () => {
  const action = vi.fn();
  const throttled = throttle(action, 1000);
  throttled();
  expect(action).toHaveBeenCalledTimes(1);
  throttled();
  throttled();
  vi.advanceTimersByTime(999);
  expect(action).toHaveBeenCalledTimes(1);
  vi.advanceTimersByTime(1);
  expect(action).toHaveBeenCalledTimes(2);
  vi.advanceTimersByTime(5000);
  expect(action).toHaveBeenCalledTimes(2);
});

test("a steady stream of calls still runs once per interval", () => {
  const action = vi.fn();
  const throttled = throttle(action, 1000);
  for (let elapsed = 0; elapsed < 3500; elapsed += 100) {
    throttled();
    vi.advanceTimersByTime(100);
  }
  expect(action).toHaveBeenCalledTimes(4);
});

test("cancel drops the pending call", () => {
  const action = vi.fn();
  const throttled = throttle(action, 1000);
  throttled();
  throttled();
  throttled.cancel();
  vi.advanceTimersByTime(5000);
  expect(action).toHaveBeenCalledTimes(1);
});
