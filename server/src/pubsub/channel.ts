/*
 * Subscriptions end when the client leaves: graphql-ws calls return() on the iterator. An async
 * generator waiting on a promise only sees return() once that promise settles, so every stream here
 * is stoppable: return() first ends what the stream waits on, then the generator finishes at once.
 */

/** Where a Channel keeps what was pushed and not read yet; the queue decides what it holds (all of it, or a bounded part) and what a reader gets. */
export interface ChannelQueue<In, Out = In> {
  readonly length: number;
  push(item: In): void;
  shift(): Out | undefined;
}

/** First in, first out, every item kept; shift() in constant time (Array.prototype.shift moves every element). */
export class Fifo<T> implements ChannelQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** A push queue read as an async iterator; close() (or the reader's return()) ends it at once. */
export class Channel<T, Out = T> implements AsyncIterableIterator<Out> {
  private waiting: ((result: IteratorResult<Out>) => void) | null = null;
  private closed = false;

  constructor(
    private readonly onClose: () => void = () => {},
    // Without a queue of its own the channel hands out what was pushed, so Out is T.
    private readonly queue: ChannelQueue<T, Out> = new Fifo<T>() as unknown as ChannelQueue<T, Out>,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  push(item: T): void {
    if (this.closed) return;
    this.queue.push(item);
    if (!this.waiting) return;
    this.waiting({ value: this.queue.shift()!, done: false });
    this.waiting = null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onClose();
  }

  next(): Promise<IteratorResult<Out>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<Out>> {
    this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** `generator`, with return() calling `stop` first, which must end whatever the generator may be waiting on. */
export function stoppable<T>(generator: AsyncGenerator<T>, stop: () => void): AsyncGenerator<T> {
  return {
    next: () => generator.next(),
    return: (value) => {
      stop();
      return generator.return(value);
    },
    throw: (error) => {
      stop();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
