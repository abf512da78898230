import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { effectScope, nextTick, ref } from "vue";
import { bufferedStream, storedThenLive, useRunSession, type RunSession } from "./liveRunSession";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("bufferedStream", () => {
  test("hands items over in batches on the timer, and the rest when stopped", () => {
    let push: (item: number) => void = () => undefined;
    const unsubscribe = vi.fn();
    const onBatch = vi.fn();
    const stream = bufferedStream<number>((next) => ((push = next), { unsubscribe }), 100, onBatch);
    push(1);
    push(2);
    expect(onBatch).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onBatch).toHaveBeenLastCalledWith([1, 2]);
    vi.advanceTimersByTime(300);
    expect(onBatch).toHaveBeenCalledTimes(1);
    push(3);
    stream.stop();
    expect(unsubscribe).toHaveBeenCalled();
    expect(onBatch).toHaveBeenLastCalledWith([3]);
  });
});

describe("useRunSession", () => {
  function setUp() {
    const runId = ref<string | null>("r1");
    const live = ref(true);
    const sessions: Record<string, RunSession> = {};
    const open = vi.fn((id: string) => (sessions[id] = { finish: vi.fn(), stop: vi.fn() }));
    const scope = effectScope();
    scope.run(() => useRunSession(() => runId.value, () => live.value, open));
    return { runId, live, sessions, open, scope };
  }

  test("opens a session for the selected run and finishes it when the run ends", async () => {
    const { live, sessions, open } = setUp();
    expect(open).toHaveBeenCalledWith("r1");
    live.value = false;
    await nextTick();
    expect(sessions.r1!.finish).toHaveBeenCalledOnce();
    expect(sessions.r1!.stop).not.toHaveBeenCalled();
  });

  test("stops the session on a switch, even to a finished run, without finishing the new one", async () => {
    const { runId, live, sessions } = setUp();
    runId.value = "r2";
    live.value = false;
    await nextTick();
    expect(sessions.r1!.stop).toHaveBeenCalledOnce();
    expect(sessions.r2!.finish).not.toHaveBeenCalled();
  });

  test("stops the session when the view goes and opens none without a run", async () => {
    const { runId, sessions, open, scope } = setUp();
    runId.value = null;
    await nextTick();
    expect(sessions.r1!.stop).toHaveBeenCalledOnce();
    expect(open).toHaveBeenCalledTimes(1);
    scope.stop();
  });
});

describe("storedThenLive", () => {
  function setUp(isLive: boolean) {
    const loading = ref(false);
    const streamStop = vi.fn();
    const parts = { readStored: vi.fn(async () => undefined), follow: vi.fn(() => ({ stop: streamStop })) };
    const session = storedThenLive(() => isLive, loading, () => parts);
    return { loading, parts, streamStop, session };
  }

  test("reads what is stored, then follows a live run", async () => {
    const { loading, parts } = setUp(true);
    expect(loading.value).toBe(true);
    await vi.waitFor(() => expect(parts.follow).toHaveBeenCalledOnce());
    expect(loading.value).toBe(false);
  });

  test("does not follow a run that has ended", async () => {
    const { loading, parts } = setUp(false);
    await vi.waitFor(() => expect(loading.value).toBe(false));
    expect(parts.follow).not.toHaveBeenCalled();
  });

  test("on finish, stops the stream and reads once more", async () => {
    const { parts, streamStop, session } = setUp(true);
    await vi.waitFor(() => expect(parts.follow).toHaveBeenCalledOnce());
    session.finish();
    await vi.waitFor(() => expect(parts.readStored).toHaveBeenCalledTimes(2));
    expect(streamStop).toHaveBeenCalledOnce();
  });

  test("stopped before the stored part arrives, it never follows", async () => {
    const { parts, session } = setUp(true);
    session.stop();
    await Promise.resolve();
    await Promise.resolve();
    expect(parts.follow).not.toHaveBeenCalled();
  });
});
