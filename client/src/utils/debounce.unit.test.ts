import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { debounce } from "./debounce";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

test("calls once after the pause, with the last arguments", () => {
  const action = vi.fn();
  const debounced = debounce(action, 300);
  debounced("j");
  vi.advanceTimersByTime(200);
  debounced("ja");
  vi.advanceTimersByTime(299);
  expect(action).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(action).toHaveBeenCalledExactlyOnceWith("ja");
});

test("cancel drops the pending call", () => {
  const action = vi.fn();
  const debounced = debounce(action, 300);
  debounced("jazz");
  debounced.cancel();
  vi.advanceTimersByTime(1000);
  expect(action).not.toHaveBeenCalled();
});
