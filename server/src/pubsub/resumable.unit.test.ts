import { createPubSub } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import type { Skipped } from "./live-buffer.js";
import { resume, resumeBatches, type ContiguousSource } from "./resumable.js";

/*
 * Resumable streams over a store kept in an array (it stands for the database and counts its reads) and the real
 * graphql-yoga pubsub as the live topic.
 */

interface Chunk {
  seq: number;
  data: string;
}

const CHUNK_TEXT = "x".repeat(99) + "\n";
const BUFFER_BYTES = 1000;

function logFixture() {
  const stored: Chunk[] = [];
  const bus = createPubSub<{ log: [Chunk[]] }>();
  const reads: number[] = [];
  const source = (): ContiguousSource<Chunk> => ({
    live: bus.subscribe("log"),
    load: async (after, limit) => {
      reads.push(after);
      return stored.filter((chunk) => chunk.seq > after).slice(0, limit);
    },
    pageSize: 10,
    maxBufferedBytes: BUFFER_BYTES,
    positionOf: (chunk) => chunk.seq,
    weightOf: (chunk) => chunk.data.length,
    measure: (chunk) => ({ bytes: chunk.data.length, lines: 1 }),
    marker: ({ from, through, lines }: Skipped) => ({ seq: through, data: `[${lines} lines skipped: ${from}-${through}]` }),
  });
  /** stores the next `count` chunks, publishing them one by one unless `unpublished` */
  const append = (count: number, unpublished = false) => {
    for (let i = 0; i < count; i += 1) {
      const chunk = { seq: stored.length + 1, data: CHUNK_TEXT };
      stored.push(chunk);
      if (!unpublished) bus.publish("log", [chunk]);
    }
  };
  return { source, append, reads, stored };
}

async function take<T>(stream: AsyncGenerator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  while (items.length < count) {
    const next = await stream.next();
    if (next.done) break;
    items.push(next.value);
  }
  return items;
}

const seqs = (from: number, through: number) => Array.from({ length: through - from + 1 }, (_, i) => from + i);

describe("resume", () => {
  it("reads the history in pages, then delivers each live chunk from its event without reading the store", async () => {
    const log = logFixture();
    log.append(25);
    const stream = resume(log.source(), 5);
    expect((await take(stream, 20)).map((chunk) => chunk.seq)).toEqual(seqs(6, 25));
    const readsAfterHistory = log.reads.length;
    const live: Chunk[] = [];
    for (let i = 0; i < 100; i += 1) {
      const next = stream.next();
      log.append(1);
      live.push((await next).value as Chunk);
    }
    await stream.return(undefined);
    expect(live.map((chunk) => chunk.seq)).toEqual(seqs(26, 125));
    expect(log.reads.length - readsAfterHistory, "reads beyond the end of the history").toBeLessThanOrEqual(1);
  });

  it("gives a subscriber that fell behind one marker for what the buffer let go, then the newest chunks; its cursor resumes them all", async () => {
    const log = logFixture();
    log.append(1);
    const stream = resume(log.source(), 0);
    expect((await take(stream, 1))[0]!.seq).toBe(1);
    const reads = log.reads.length;
    log.append(1000);
    await new Promise((resolve) => setImmediate(resolve)); // the topic's events reach the buffer, as they do between requests
    const [marker, ...rest] = await take(stream, 11);
    await stream.return(undefined);

    const kept = BUFFER_BYTES / CHUNK_TEXT.length;
    expect(marker).toEqual({ seq: 1001 - kept, data: `[${1000 - kept} lines skipped: 2-${1001 - kept}]` });
    expect(rest.map((chunk) => chunk.seq)).toEqual(seqs(1002 - kept, 1001));
    expect(log.reads.length - reads, "a reader that fell behind costs no read").toBeLessThanOrEqual(1);

    const again = resume(log.source(), 1);
    expect((await take(again, 1000)).map((chunk) => chunk.seq)).toEqual(seqs(2, 1001));
    await again.return(undefined);
  });

  it("reads again from the store, with no marker, what the buffer let go while the history was being read", async () => {
    const log = logFixture();
    log.append(50);
    const stream = resume(log.source(), 0);
    expect((await take(stream, 1))[0]!.seq).toBe(1);
    log.append(1000);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = await take(stream, 1049);
    await stream.return(undefined);
    expect(rest.map((chunk) => chunk.seq)).toEqual(seqs(2, 1050));
    expect(rest.every((chunk) => chunk.data === CHUNK_TEXT)).toBe(true);
  });

  it("reads the store again when the bus resyncs, for chunks whose events were lost while it was away", async () => {
    const log = logFixture();
    const resyncs = createPubSub<{ resync: [true] }>();
    const stream = resume({ ...log.source(), sync: { listening: async () => undefined, resyncs: () => resyncs.subscribe("resync") } }, 0);
    log.append(1);
    expect((await take(stream, 1))[0]!.seq).toBe(1);
    const next = take(stream, 2);
    log.append(2, true);
    await new Promise((resolve) => setImmediate(resolve));
    resyncs.publish("resync", true);
    expect((await next).map((chunk) => chunk.seq)).toEqual([2, 3]);
    await stream.return(undefined);
  });

  it("fills a hole before a live chunk (published while nobody listened) from the store", async () => {
    const log = logFixture();
    const stream = resume(log.source(), 0);
    const first = stream.next();
    log.append(3, true);
    log.append(1);
    const chunks = [(await first).value as Chunk, ...(await take(stream, 3))];
    await stream.return(undefined);
    expect(chunks.map((chunk) => chunk.seq)).toEqual([1, 2, 3, 4]);
  });
});

interface Point {
  name: string;
  step: number;
}

describe("resumeBatches", () => {
  it("gives each point once, reading again from the store the batches a slow subscriber's buffer let go", async () => {
    const stored: Point[] = [];
    const bus = createPubSub<{ metrics: [Point[]] }>();
    let reads = 0;
    const append = (step: number, names: string[]) => {
      const batch = names.map((name) => ({ name, step }));
      for (const point of batch) stored.push(point);
      bus.publish("metrics", batch);
    };
    const stream = resumeBatches(
      {
        live: bus.subscribe("metrics"),
        load: async (after, limit) => {
          reads += 1;
          const later = stored.filter((point) => point.step > after);
          const lastStep = later[limit - 1]?.step ?? Infinity;
          return later.filter((point) => point.step <= lastStep);
        },
        pageSize: 50,
        maxBufferedBytes: 1000,
        positionOf: (point) => point.step,
        weightOf: () => 100,
        keyOf: (point) => `${point.name}@${point.step}`,
      },
      -1,
    );
    append(0, ["loss"]);
    const received: Point[] = [];
    for (const point of (await stream.next()).value as Point[]) received.push(point);
    for (let step = 1; step <= 500; step += 1) append(step, step % 50 === 0 ? ["loss", "lr", "eval_loss"] : ["loss", "lr"]);
    await new Promise((resolve) => setImmediate(resolve));
    while (received.length < stored.length) for (const point of (await stream.next()).value as Point[]) received.push(point);
    await stream.return(undefined);

    const keys = received.map((point) => `${point.name}@${point.step}`);
    expect(reads, "the history, then the batches the buffer let go").toBeGreaterThan(2);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(stored.map((point) => `${point.name}@${point.step}`)));
  });
});
