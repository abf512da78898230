/*
 * Subscriptions end when the client leaves: graphql-ws calls return() on the iterator. An async
 * generator waiting on a promise only sees return() once that promise settles, so every stream here
 * is stoppable: return() first ends what the stream waits on, then the generator finishes at once.
 */

/** A push queue read as an async iterator; close() (or the reader's return()) ends it at once. */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;

  constructor(private readonly onClose: () => void = () => {}) {}

  get isClosed(): boolean {
    return this.closed;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      this.waiting({ value: item, done: false });
      this.waiting = null;
    } else {
      this.items.push(item);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onClose();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<T>> {
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
