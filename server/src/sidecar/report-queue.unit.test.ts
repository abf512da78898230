import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ApiError } from "./api-client.js";
import { batchSize, ReportQueue } from "./report-queue.js";

const logger = pino({ level: "silent" });

describe("ReportQueue", () => {
  it("sends in order with one request in flight, each taking what queued meanwhile, retrying transient failures", async () => {
    const sent: number[][] = [];
    let inFlight = 0;
    let failures = 1;
    const queue = new ReportQueue<number>({
      what: "numbers",
      limits: { maxItems: 3, maxBytes: 1000 },
      logger,
      giveUp: new AbortController().signal,
      onRefused: () => expect.fail("nothing is refused"),
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

  it("stops at a refusal and says so once", async () => {
    const refusals: unknown[] = [];
    const queue = new ReportQueue<number>({
      what: "numbers",
      limits: { maxItems: 10, maxBytes: 1000 },
      logger,
      giveUp: new AbortController().signal,
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
    const items = ["a".repeat(40), "b".repeat(40), "c".repeat(40)];
    expect(batchSize(items, { maxItems: 10, maxBytes: 100 })).toBe(2);
    expect(batchSize(["x".repeat(500)], { maxItems: 10, maxBytes: 100 })).toBe(1);
    expect(batchSize(items, { maxItems: 1, maxBytes: 1000 })).toBe(1);
  });
});
