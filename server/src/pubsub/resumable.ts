import { stoppable, type Channel } from "./channel.js";
import { liveBuffer, type LiveEntry, type LiveLimits, type RESYNC, type Skipped } from "./live-buffer.js";
import type { TopicSync } from "./pubsub.js";

/*
 * Exactly-once resume (DESIGN §5) with bounded cost (§10). A subscriber passing the last position it has gets every
 * later item once, in order, whether the item was persisted before or after it subscribed: the live topic is listened
 * to first (into a liveBuffer, capped in bytes), the history is read from the database in pages at the subscriber's
 * pace, then each live item is delivered from the published event itself. The database is read again only for a real
 * gap: positions missing before a live item, or batches the buffer let go while the history was being read. A
 * subscriber that falls further behind than the buffer holds gets what its source makes of the skipped positions.
 */

export interface ResumableSource<T> extends Omit<LiveLimits<T>, "maxBytes"> {
  /** the live topic; each event is a batch in position order */
  live: AsyncIterable<T[]>;
  /** persisted items after `after`, in order: `limit` or more unless fewer remain, never splitting a position's items */
  load(after: number, limit: number): Promise<T[]>;
  /** items per database read */
  pageSize: number;
  /** what may wait for a subscriber that does not keep up */
  maxBufferedBytes: number;
  /** the bus the live topic is on: the history is read once it listens, and read again after each resync */
  sync?: TopicSync;
}

type Live<T> = Channel<T[] | typeof RESYNC, LiveEntry<T>>;

function listen<T>(source: ResumableSource<T>): Live<T> {
  return liveBuffer(source.live, { ...source, maxBytes: source.maxBufferedBytes }, source.sync?.resyncs());
}

async function* pages<T>(source: ResumableSource<T>, after: number, until = Infinity): AsyncGenerator<T[]> {
  let position = after;
  while (true) {
    const page = await source.load(position, source.pageSize);
    const wanted = page.filter((item) => source.positionOf(item) < until);
    if (wanted.length > 0) yield wanted;
    if (page.length < source.pageSize || wanted.length < page.length) return;
    position = source.positionOf(page[page.length - 1]!);
  }
}

export interface ContiguousSource<T> extends ResumableSource<T> {
  /** an item that stands in for positions a subscriber fell too far behind to get, at the last of them */
  marker(skipped: Skipped): T;
}

/**
 * Items after `after`, then live ones, for contiguous positions (1, 2, 3, ...) such as run log chunks: a hole before a
 * live item (published while nobody listened) is filled from the database; positions the buffer let go once the
 * subscriber was live become one marker item.
 */
export function resume<T>(source: ContiguousSource<T>, after: number): AsyncGenerator<T> {
  const live = listen(source);
  return stoppable(resumeFrom(source, live, after), () => live.close());
}

async function* resumeFrom<T>(source: ContiguousSource<T>, live: Live<T>, after: number): AsyncGenerator<T> {
  let last = after;
  /** the stored items after the last delivered one and before `until` */
  const stored = async function* (until: number): AsyncGenerator<T> {
    for await (const page of pages(source, last, until)) {
      yield* page;
      last = source.positionOf(page[page.length - 1]!);
    }
  };
  try {
    await source.sync?.listening();
    yield* stored(Infinity);
    for await (const entry of live) {
      if ("resync" in entry) {
        yield* stored(Infinity);
        continue;
      }
      if ("skipped" in entry) {
        const { from, through } = entry.skipped;
        if (through <= last) continue;
        // Let go while the history was read: stored, so read again. Else the subscriber fell behind while live.
        if (from <= last) yield* stored(through + 1);
        else {
          if (from > last + 1) yield* stored(from);
          yield source.marker(entry.skipped);
        }
        last = Math.max(last, through);
        continue;
      }
      for (const item of entry.batch) {
        const position = source.positionOf(item);
        if (position <= last) continue;
        if (position > last + 1) yield* stored(position);
        last = position;
        yield item;
      }
    }
  } finally {
    live.close();
  }
}

/** How many recent keys a batch stream remembers: far more than can be stored between a point's commit and its publication. */
const RECENT_KEYS = 10_000;

/** The last `max` keys seen; add() says whether a key is new among them. */
class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly max: number) {}

  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value!);
    return true;
  }
}

/**
 * Batches of items keyed by `keyOf` whose positions may repeat (metric points: several names per step): the history
 * after `after` in pages, then live batches, each item once. An item is both read from the history and published
 * live only when it was stored just before a page was read and published just after, so remembering the recent keys
 * is enough. Batches the buffer let go are read again from the database.
 */
export function resumeBatches<T>(source: ResumableSource<T> & { keyOf(item: T): string }, after: number): AsyncGenerator<T[]> {
  const live = listen(source);
  return stoppable(resumeBatchesFrom(source, live, after), () => live.close());
}

async function* resumeBatchesFrom<T>(source: ResumableSource<T> & { keyOf(item: T): string }, live: Live<T>, after: number): AsyncGenerator<T[]> {
  const delivered = new RecentKeys(RECENT_KEYS);
  /** the highest position delivered: a resync reads again from there (items come in position order) */
  let newest = after;
  const fresh = (items: T[]) => {
    const kept = items.filter((item) => source.positionOf(item) > after && delivered.add(source.keyOf(item)));
    for (const item of kept) newest = Math.max(newest, source.positionOf(item));
    return kept;
  };
  const stored = async function* (from: number, until = Infinity): AsyncGenerator<T[]> {
    for await (const page of pages(source, from, until)) {
      const items = fresh(page);
      if (items.length > 0) yield items;
    }
  };
  try {
    await source.sync?.listening();
    yield* stored(after);
    for await (const entry of live) {
      if ("resync" in entry) {
        yield* stored(newest - 1);
        continue;
      }
      if ("skipped" in entry) {
        yield* stored(entry.skipped.from - 1, entry.skipped.through + 1);
        continue;
      }
      const items = fresh(entry.batch);
      if (items.length > 0) yield items;
    }
  } finally {
    live.close();
  }
}
