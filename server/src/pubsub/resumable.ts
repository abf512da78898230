import { Channel, stoppable } from "./channel.js";

/*
 * Exactly-once resume (DESIGN §5): a subscriber passing the last position it has gets every later item
 * once, in order, whether the item was persisted before or after it subscribed. The live topic is
 * listened to first and buffered while the history is read from the database; live items already
 * delivered from history are skipped.
 */

export interface ResumableSource<T> {
  /** the live topic; each event is a batch in position order */
  live: AsyncIterable<T[]>;
  /** persisted items after `position`, in order: `limit` or more unless fewer remain, never splitting a position's items */
  load(after: number, limit: number): Promise<T[]>;
  positionOf(item: T): number;
}

const PAGE = 1000;

/** Listens from now on and keeps every batch until it is read; close() stops listening. */
function buffered<T>(source: AsyncIterable<T[]>): Channel<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const channel = new Channel<T[]>(() => void iterator.return?.());
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) channel.push(next.value);
    channel.close();
  })();
  return channel;
}

async function* pages<T>(source: ResumableSource<T>, after: number, until = Infinity): AsyncGenerator<T[]> {
  let position = after;
  while (true) {
    const page = await source.load(position, PAGE);
    const wanted = page.filter((item) => source.positionOf(item) < until);
    if (wanted.length > 0) yield wanted;
    if (page.length < PAGE || wanted.length < page.length) return;
    position = source.positionOf(page[page.length - 1]!);
  }
}

/**
 * Items after `after`, then live ones, for contiguous positions (1, 2, 3, ...) such as run log chunks: a
 * hole before a live item (published while nobody listened) is filled from the database.
 */
export function resume<T>(source: ResumableSource<T>, after: number): AsyncGenerator<T> {
  const live = buffered(source.live);
  return stoppable(resumeFrom(source, live, after), () => live.close());
}

async function* resumeFrom<T>(source: ResumableSource<T>, live: Channel<T[]>, after: number): AsyncGenerator<T> {
  let last = after;
  try {
    for await (const page of pages(source, last)) {
      for (const item of page) yield item;
      last = source.positionOf(page[page.length - 1]!);
    }
    for await (const batch of live) {
      for (const item of batch) {
        const position = source.positionOf(item);
        if (position <= last) continue;
        for await (const missed of pages(source, last, position)) yield* missed;
        last = position;
        yield item;
      }
    }
  } finally {
    live.close();
  }
}

/**
 * Batches of items keyed by `keyOf` whose positions may repeat (metric points: several names per step):
 * the history after `after` in pages, then live batches without the items the history already held.
 */
export function resumeBatches<T>(source: ResumableSource<T> & { keyOf(item: T): string }, after: number): AsyncGenerator<T[]> {
  const live = buffered(source.live);
  return stoppable(resumeBatchesFrom(source, live, after), () => live.close());
}

async function* resumeBatchesFrom<T>(source: ResumableSource<T> & { keyOf(item: T): string }, live: Channel<T[]>, after: number): AsyncGenerator<T[]> {
  const delivered = new Set<string>();
  try {
    for await (const page of pages(source, after)) {
      for (const item of page) delivered.add(source.keyOf(item));
      yield page;
    }
    for await (const batch of live) {
      const fresh = batch.filter((item) => source.positionOf(item) > after && !delivered.has(source.keyOf(item)));
      if (fresh.length > 0) yield fresh;
    }
  } finally {
    live.close();
  }
}
