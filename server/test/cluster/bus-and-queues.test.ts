import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisEventBus } from "../../src/pubsub/redis-bus.js";
import { connectRedis } from "../../src/pubsub/redis.js";
import type { EventBus } from "../../src/pubsub/pubsub.js";
import { createBullQueues } from "../../src/queue/bullmq.js";
import type { Queues } from "../../src/queue/queue.js";
import { dropPrefix, REDIS_URL, redisUnavailable, testPrefix } from "./redis.js";

/*
 * The two pieces cluster mode puts on Redis, as two replicas use them: the event bus (@graphql-yoga/redis-event-target
 * with our contracts on the receiving end) and the BullMQ queues, each replica with connections of its own.
 */

const unavailable = await redisUnavailable();
if (unavailable) console.warn(`skipping the Redis event bus and queue tests: ${unavailable}`);

/** A logger whose warnings the test reads. */
function recordingLogger() {
  const lines: { msg: string; problem?: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: "warn" }, stream), lines };
}

interface Replica {
  events: EventBus;
  queues: Queues;
  lines: { msg: string; problem?: string }[];
  close(): Promise<void>;
}

function replica(prefix: string, lockMs?: number): Replica {
  const { logger, lines } = recordingLogger();
  const events = createRedisEventBus(REDIS_URL, prefix, logger);
  const queues = createBullQueues(connectRedis(REDIS_URL, logger, "queues", { maxRetriesPerRequest: null }), prefix, events, logger, lockMs);
  return {
    events,
    queues,
    lines,
    close: async () => {
      await queues.close();
      await events.close();
    },
  };
}

async function first<T>(stream: AsyncIterable<T>): Promise<T> {
  for await (const item of stream) return item;
  throw new Error("the stream ended");
}

describe.skipIf(unavailable !== null)("cluster mode on Redis", () => {
  const prefix = testPrefix();
  let one: Replica;
  let two: Replica;
  const never = new AbortController().signal;

  beforeAll(() => {
    one = replica(prefix, 1000);
    two = replica(prefix, 1000);
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await dropPrefix(prefix);
  });

  it("carries an event published on one replica to a subscriber on the other, its times Dates again", async () => {
    const chunks = one.events.subscribe("runLog", "run-1");
    const arrived = first(chunks);
    await one.events.listening();
    const time = new Date("2026-12-07T10:00:00.123Z");
    two.events.publish("runLog", "run-1", [{ seq: 1, stream: "STDOUT", data: "step 1\r", time }]);
    expect(await arrived).toEqual([{ seq: 1, stream: "STDOUT", data: "step 1\r", time }]);
  });

  it("drops a message that breaks its topic's contract, saying so, and goes on with the next", async () => {
    const statuses = one.events.subscribe("runStatus", "run-2");
    const arrived = first(statuses);
    await one.events.listening();
    const raw = new Redis(REDIS_URL);
    await raw.publish(`${prefix}:runStatus:run-2`, JSON.stringify({ name: "no id" }));
    raw.disconnect();
    two.events.publish("runStatus", "run-2", { id: "run-2" });
    expect(await arrived).toEqual({ id: "run-2" });
    expect(one.lines.some((line) => line.msg.includes("breaks its contract") && line.problem?.startsWith("id:"))).toBe(true);
  });

  it("hands a job queued on one replica to a taker on the other with its key only, queues a waiting job once, and removes it", async () => {
    await one.queues.generation.add({ jobId: "job-m", baseModelId: "tunes-m", attempt: 0 });
    await one.queues.generation.add({ jobId: "job-s", baseModelId: "tunes-s", attempt: 0 });
    await two.queues.generation.add({ jobId: "job-s", baseModelId: "tunes-s", attempt: 0 });
    expect(await two.queues.generation.depth()).toBe(2);

    const taken = await two.queues.generation.next(["tunes-s"], never);
    expect(taken?.job).toEqual({ jobId: "job-s", baseModelId: "tunes-s", attempt: 0 });
    await taken!.done();
    expect(await one.queues.generation.remove({ jobId: "job-m", baseModelId: "tunes-m", attempt: 0 })).toBe(true);
    expect(await one.queues.generation.remove({ jobId: "job-m", baseModelId: "tunes-m", attempt: 0 })).toBe(false);
    expect(await one.queues.generation.depth()).toBe(0);
  });

  it("wakes a waiting taker on another replica as soon as a job of its key is queued", async () => {
    const waiting = two.queues.runs.next(["tunes"], never);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await one.queues.runs.add({ runId: "run-3", trainer: "tunes", attempt: 0 });
    const taken = await waiting;
    expect(taken?.job).toEqual({ runId: "run-3", trainer: "tunes", attempt: 0 });
    await taken!.done();
  });

  it("leaves a job to takers without a minimum age until it is old enough", async () => {
    await one.queues.runs.add({ runId: "run-4", trainer: "tunes", attempt: 0 });
    const queuedAt = Date.now();
    const taken = await two.queues.runs.next(["tunes"], never, { minAgeMs: 600 });
    expect(taken?.job.runId).toBe("run-4");
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(500);
    await taken!.done();
  });

  it("puts back a job whose taker died before handing it over (BullMQ's stalled-job check)", async () => {
    const doomed = replica(prefix, 1000);
    await doomed.queues.runs.add({ runId: "run-5", trainer: "doomed", attempt: 0 });
    const taken = await doomed.queues.runs.next(["doomed"], never);
    expect(taken?.job.runId).toBe("run-5");
    await doomed.close();

    const again = await one.queues.runs.next(["doomed"], never);
    expect(again?.job.runId).toBe("run-5");
    await again!.done();
  });

  it("hands on at once the retry of a job whose earlier attempt a dead taker still holds", async () => {
    const doomed = replica(prefix, 60_000);
    await doomed.queues.generation.add({ jobId: "job-r", baseModelId: "held", attempt: 0 });
    expect((await doomed.queues.generation.next(["held"], never))?.job.attempt).toBe(0);
    await doomed.close();

    await one.queues.generation.add({ jobId: "job-r", baseModelId: "held", attempt: 1 });
    const retry = await two.queues.generation.next(["held"], AbortSignal.timeout(5_000));
    expect(retry?.job).toEqual({ jobId: "job-r", baseModelId: "held", attempt: 1 });
    await retry!.done();
  });

  it("lets one replica claim a task for a while", async () => {
    expect(await one.queues.claim("recovery", 10_000)).toBe(true);
    expect(await two.queues.claim("recovery", 10_000)).toBe(false);
    await one.queues.release("recovery");
    expect(await two.queues.claim("recovery", 10_000)).toBe(true);
  });
});
