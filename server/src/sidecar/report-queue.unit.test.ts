import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ApiError } from "./api-client.js";
import { batchSize, ReportQueue, type ReportQueueOptions } from "./report-queue.js";

const logger = pino({ level: "silent" });

/** A queue that must not be refused unless the test says what a refusal does. */
function reportQueue<T>(options: Pick<ReportQueueOptions<T>, "send" | "limits"> & Partial<ReportQueueOptions<T>>): ReportQueue<T> {
  return new ReportQueue<T>({ what: "items", logger, giveUp: new AbortController().signal, onRefused: () => expect.fail("nothing is refused"), ...options });
}

describe("ReportQueue", () => {
  it("sends in order with one request in flight, each taking what queued meanwhile, retrying transient failures", async () => {
    const sent: number[][] = [];
    let inFlight = 0;
    let failures = 1;
    const queue = reportQueue<number>({
      limits: { maxItems: 3, maxBytes: 1000 },
      send: async (items) => {
        inFlight += 1;
        expect(inFlight).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        if (failures-- > 0) throw new ApiError("the API at x did not answer", "unreachable");
        sent.push(items);
      },
    });
    queue.push([1]);
    queue.push([2, 3]);
    queue.push([4, 5, 6, 7]);
    await queue.drain();
    expect(sent).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    queue.push([8]);
    await queue.drain();
    expect(sent.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("pauses its producer while more than the high-water mark waits, and resumes it once half of that has gone", async () => {
    const events: string[] = [];
    const sent: string[][] = [];
    let release = () => {};
    const queue = reportQueue<string>({
      limits: { maxItems: 1, maxBytes: 1000 },
      backpressure: { highWaterBytes: 300, pause: () => events.push("pause"), resume: () => events.push("resume") },
      send: async (items) => {
        await new Promise<void>((resolve) => (release = resolve));
        sent.push(items);
      },
    });
    const chunk = "x".repeat(97); // 100 bytes of JSON with its separator
    queue.push([chunk, chunk, chunk]);
    expect(queue.backlogBytes).toBe(300);
    expect(events).toEqual([]);
    queue.push([chunk]);
    expect(events).toEqual(["pause"]);
    const sendOne = async () => {
      release();
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await sendOne();
    await sendOne();
    expect(queue.backlogBytes).toBe(200);
    expect(events, "200 bytes wait: more than half the mark").toEqual(["pause"]);
    await sendOne();
    expect(events).toEqual(["pause", "resume"]);
    await sendOne();
    await queue.drain();
    expect(sent.flat()).toHaveLength(4);
    expect(queue.backlogBytes).toBe(0);
  });

  it("stops at a refusal and says so once", async () => {
    const refusals: unknown[] = [];
    const queue = reportQueue<number>({
      limits: { maxItems: 10, maxBytes: 1000 },
      onRefused: (error) => refusals.push(error),
      send: async () => {
        throw new ApiError("run 'r' is failed, not running", "refused", "BAD_USER_INPUT");
      },
    });
    queue.push([1, 2]);
    await queue.drain();
    queue.push([3]);
    await queue.drain();
    expect(refusals).toHaveLength(1);
  });
});

describe("batchSize", () => {
  it("fills a request up to the byte limit, and always takes at least one item", () => {
    const items = [{ bytes: 43 }, { bytes: 43 }, { bytes: 43 }];
    expect(batchSize(items, { maxItems: 10, maxBytes: 100 })).toBe(2);
    expect(batchSize([{ bytes: 503 }], { maxItems: 10, maxBytes: 100 })).toBe(1);
    expect(batchSize(items, { maxItems: 1, maxBytes: 1000 })).toBe(1);
  });
});
