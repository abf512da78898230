import type { Logger } from "pino";
import { retrying } from "./retry.js";

/*
 * One run's reports of one kind (log chunks, metric points), sent in the order they were pushed with one request in
 * flight: a request takes what has queued up meanwhile, within the API's limits. Transient failures are retried with
 * backoff (the API stores each log chunk once by its seq), so nothing is lost or reordered; a permanent refusal
 * ends the queue.
 */

export interface RequestLimits {
  maxItems: number;
  /** of the items' JSON, which is most of the request body */
  maxBytes: number;
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
}

export class ReportQueue<T> {
  private readonly queue: T[] = [];
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private refused = false;

  constructor(private readonly options: ReportQueueOptions<T>) {}

  push(items: readonly T[]): void {
    if (this.refused || items.length === 0) return;
    this.queue.push(...items);
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
          await retrying(`reporting ${what}`, () => send(batch), { logger, signal: giveUp });
        } catch (error) {
          this.refused = true;
          this.queue.length = 0;
          this.options.onRefused(error);
          return;
        }
        this.queue.splice(0, count);
      }
    } finally {
      // In the same turn as the last check of the queue, so a push right after starts a new pump.
      this.running = false;
    }
  }
}

/** How many items from the head of the queue make one request: at least one, then as many as fit. */
export function batchSize<T>(items: readonly T[], limits: RequestLimits): number {
  let bytes = 0;
  let count = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (count > 0 && (count >= limits.maxItems || bytes + size > limits.maxBytes)) break;
    bytes += size;
    count += 1;
  }
  return count;
}
