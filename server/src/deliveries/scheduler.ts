/**
 * What starts delivery attempts: the in-process runner (runner.ts) by default, a BullMQ queue between replicas
 * (processor.ts). The Delivery rows stay the record either way.
 */
export interface DeliveryScheduler {
  start(): void;
  /** The delivery is due now, or at `at` (a retry). */
  schedule(id: string, at?: Date | null): void;
  /** Stops taking work; attempts in flight are interrupted and put back as PENDING. */
  close(): Promise<void>;
}
