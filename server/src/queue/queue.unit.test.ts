import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { createGenerationQueue, createInProcessQueue } from "./queue.js";

describe("the in-process queues", () => {
  it("hand each job, oldest first, to a taker with its key only, and queue a job still waiting once", async () => {
    const queue = createGenerationQueue();
    const signal = new AbortController().signal;
    await queue.add({ jobId: "1", baseModelId: "tunes-m", attempt: 0 });
    await queue.add({ jobId: "2", baseModelId: "tunes-s", attempt: 0 });
    await queue.add({ jobId: "3", baseModelId: "tunes-s", attempt: 0 });
    await queue.add({ jobId: "3", baseModelId: "tunes-s", attempt: 0 });
    expect((await queue.next(["tunes-s"], signal))?.job).toEqual({ jobId: "2", baseModelId: "tunes-s", attempt: 0 });
    expect(await queue.remove({ jobId: "3", baseModelId: "tunes-s", attempt: 0 })).toBe(true);
    expect(await queue.remove({ jobId: "3", baseModelId: "tunes-s", attempt: 0 })).toBe(false);
    expect(await queue.depth()).toBe(1);
    const waiting = queue.next(["tunes-s"], signal);
    await queue.add({ jobId: "4", baseModelId: "tunes-s", attempt: 0 });
    expect((await waiting)?.job).toEqual({ jobId: "4", baseModelId: "tunes-s", attempt: 0 });
  });

  it("hand a new job to a taker without a minimum age at once, and to one with a minimum age only once it is that old", async () => {
    const queue = createInProcessQueue();
    const signal = new AbortController().signal;
    const patient = queue.next(["tunes"], signal, { minAgeMs: 150 });
    await queue.add({ runId: "1", trainer: "tunes", attempt: 0 });
    expect((await queue.next(["tunes"], signal))?.job.runId, "the eager taker comes later and still goes first").toBe("1");
    await queue.add({ runId: "2", trainer: "tunes", attempt: 0 });
    const queuedAt = Date.now();
    expect((await patient)?.job.runId).toBe("2");
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(140);
  });

  it("stop listening to a taker's signal once it has its job, so a long-lived connection does not collect listeners", async () => {
    const queue = createInProcessQueue();
    const connection = new AbortController();
    for (let index = 0; index < 20; index += 1) {
      const taken = queue.next(["tunes"], connection.signal);
      await queue.add({ runId: String(index), trainer: "tunes", attempt: 0 });
      await taken;
    }
    expect(getEventListeners(connection.signal, "abort")).toHaveLength(0);
    const waiting = queue.next(["tunes"], connection.signal);
    connection.abort();
    expect(await waiting).toBeNull();
  });
});
