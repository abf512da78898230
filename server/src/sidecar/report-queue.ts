import type { Logger } from "pino";
import { retrying } from "./retry.js";

/*
 * One run's reports of one kind (log chunks, metric points), sent in the order they were pushed with one request in
 * flight: a request takes what has queued up meanwhile, within the API's limits. Transient failures are retried with
 * backoff (the API stores each log chunk once by its seq), so nothing is lost or reordered; a permanent refusal
 * ends the queue. While more than the high-water mark waits to be sent, the producer is paused (the trainer's pipes
 * are not read, so the trainer waits on its writes), and resumed once half of it has gone.
 */

export interface RequestLimits {
  maxItems: number;
  /** of the items' JSON, which is most of the request body */
  maxBytes: number;
}

export interface Backpressure {
  /** the JSON bytes that may wait to be sent before the producer is paused */
  highWaterBytes: number;
  pause(): void;
  resume(): void;
}

export interface ReportQueueOptions<T> {
  what: string;
  send(items: T[]): Promise<unknown>;
  limits: RequestLimits;
  logger: Logger;
  /** stops retrying (the sidecar is going away without its API) */
  giveUp: AbortSignal;
  /** the API refused a request for good: the queue drops it and all that follows */
  onRefused(error: unknown): void;
  backpressure?: Backpressure;
}

interface Queued<T> {
  item: T;
  /** of its JSON, with a separator */
  bytes: number;
}

export class ReportQueue<T> {
  private queue: Queued<T>[] = [];
  private queuedBytes = 0;
  private paused = false;
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private refused = false;

  constructor(private readonly options: ReportQueueOptions<T>) {}

  /** JSON bytes waiting to be sent, the request in flight included */
  get backlogBytes(): number {
    return this.queuedBytes;
  }

  push(items: readonly T[]): void {
    if (this.refused || items.length === 0) return;
    for (const item of items) {
      const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
      this.queue.push({ item, bytes });
      this.queuedBytes += bytes;
    }
    this.applyBackpressure();
    if (this.running) return;
    this.running = true;
    this.done = this.pump();
  }

  /** Resolves once everything pushed so far has been sent (or refused, or given up). */
  async drain(): Promise<void> {
    while (this.running) await this.done;
  }

  private async pump(): Promise<void> {
    const { what, send, limits, logger, giveUp } = this.options;
    try {
      while (this.queue.length > 0) {
        const count = batchSize(this.queue, limits);
        const batch = this.queue.slice(0, count);
        try {
          await retrying(`reporting ${what}`, () => send(batch.map((queued) => queued.item)), { logger, signal: giveUp });
        } catch (error) {
          this.refused = true;
          this.forget(this.queue.length);
          this.options.onRefused(error);
          return;
        }
        this.forget(count);
      }
    } finally {
      // In the same turn as the last check of the queue, so a push right after starts a new pump.
      this.running = false;
    }
  }

  private forget(count: number): void {
    for (const queued of this.queue.splice(0, count)) this.queuedBytes -= queued.bytes;
    this.applyBackpressure();
  }

  private applyBackpressure(): void {
    const backpressure = this.options.backpressure;
    if (!backpressure) return;
    if (!this.paused && this.queuedBytes > backpressure.highWaterBytes) {
      this.paused = true;
      backpressure.pause();
    } else if (this.paused && (this.queuedBytes <= backpressure.highWaterBytes / 2 || this.refused)) {
      this.paused = false;
      backpressure.resume();
    }
  }
}

/** How many items from the head of the queue make one request: at least one, then as many as fit. */
export function batchSize(queue: readonly { bytes: number }[], limits: RequestLimits): number {
  let bytes = 0;
  let count = 0;
  for (const queued of queue) {
    if (count > 0 && (count >= limits.maxItems || bytes + queued.bytes > limits.maxBytes)) break;
    bytes += queued.bytes;
    count += 1;
  }
  return count;
}
