import { Channel, Fifo, type ChannelQueue } from "./channel.js";

/*
 * A subscriber's share of a live topic (DESIGN §10: memory per subscriber capped, a visible marker where data was
 * skipped). The topic is read as it is published, whatever the subscriber does; what the subscriber has not taken yet
 * is held up to a byte cap. Past the cap the oldest batches go, and one Skipped record at the front of the queue says
 * which positions went, so the reader can tell its client or read them again from the database. Nothing else piles up
 * for a slow client: graphql-ws sends one message at a time and asks for the next once the socket has taken it (and
 * yoga's SSE pulls likewise), so a paused socket holds one message per subscription and the rest waits here.
 */

/** The batches a full buffer let go: positions `from` through `through`, with what they held. */
export interface Skipped {
  from: number;
  through: number;
  bytes: number;
  lines: number;
}

/** an entry saying events may have been lost before it (the bus reconnected): the reader should read the store again */
export const RESYNC = Symbol("resync");

export type LiveEntry<T> = { batch: T[] } | { skipped: Skipped } | { resync: true };

export interface LiveLimits<T> {
  /** what may wait for the subscriber; the newest batch is always kept, so a batch above the cap still reaches a reader that keeps up */
  maxBytes: number;
  positionOf(item: T): number;
  /** what an item costs held in memory, about; called for every item, so cheap */
  weightOf(item: T): number;
  /** what an item held, counted only for the items that are dropped (none: zero) */
  measure?(item: T): { bytes: number; lines: number };
}

const NOTHING = { bytes: 0, lines: 0 };

/**
 * Batches in order, the oldest dropped (into the Skipped record at the front) while more than maxBytes wait. A resync
 * goes to the front too: reading the store again covers what was queued before it.
 */
class BoundedQueue<T> implements ChannelQueue<T[] | typeof RESYNC, LiveEntry<T>> {
  private readonly batches = new Fifo<{ batch: T[]; weight: number }>();
  private skipped: Skipped | null = null;
  private resync = false;
  private weight = 0;

  constructor(private readonly limits: LiveLimits<T>) {}

  get length(): number {
    return this.batches.length + (this.skipped ? 1 : 0) + (this.resync ? 1 : 0);
  }

  push(batch: T[] | typeof RESYNC): void {
    if (batch === RESYNC) {
      this.resync = true;
      return;
    }
    let weight = 0;
    for (const item of batch) weight += this.limits.weightOf(item);
    this.batches.push({ batch, weight });
    this.weight += weight;
    while (this.weight > this.limits.maxBytes && this.batches.length > 1) this.drop(this.take()!);
  }

  shift(): LiveEntry<T> | undefined {
    if (this.resync) {
      this.resync = false;
      return { resync: true };
    }
    const skipped = this.skipped;
    if (skipped) {
      this.skipped = null;
      return { skipped };
    }
    const batch = this.take();
    return batch && { batch };
  }

  private take(): T[] | undefined {
    const next = this.batches.shift();
    if (next) this.weight -= next.weight;
    return next?.batch;
  }

  private drop(batch: T[]): void {
    const { positionOf, measure } = this.limits;
    for (const item of batch) {
      const position = positionOf(item);
      const { bytes, lines } = measure?.(item) ?? NOTHING;
      const skipped = (this.skipped ??= { from: position, through: position, bytes: 0, lines: 0 });
      skipped.from = Math.min(skipped.from, position);
      skipped.through = Math.max(skipped.through, position);
      skipped.bytes += bytes;
      skipped.lines += lines;
    }
  }
}

/**
 * Listens to `topic` from now on, holding at most about `limits.maxBytes` for the reader, and to `resyncs` (the bus's);
 * close() stops listening.
 */
export function liveBuffer<T>(topic: AsyncIterable<T[]>, limits: LiveLimits<T>, resyncs?: AsyncIterable<unknown>): Channel<T[] | typeof RESYNC, LiveEntry<T>> {
  const iterator = topic[Symbol.asyncIterator]();
  const resyncIterator = resyncs?.[Symbol.asyncIterator]();
  const channel = new Channel<T[] | typeof RESYNC, LiveEntry<T>>(() => {
    void iterator.return?.();
    void resyncIterator?.return?.();
  }, new BoundedQueue(limits));
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) channel.push(next.value);
    channel.close();
  })();
  if (resyncIterator) {
    void (async () => {
      for (let next = await resyncIterator.next(); !next.done; next = await resyncIterator.next()) channel.push(RESYNC);
    })();
  }
  return channel;
}
