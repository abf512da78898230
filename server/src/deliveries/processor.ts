import { DelayedError, Queue as BullQueue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { deliveryJob, type DeliveryJob } from "../contracts/queue.js";
import type { DeliveryAttempts } from "./attempts.js";
import type { DeliveryScheduler } from "./scheduler.js";

/*
 * Deliveries between replicas: one BullMQ queue, processed here by every replica with DELIVERY_CONCURRENCY attempts at
 * once. A job is keyed by its delivery (queued once however many replicas schedule it) and lives until the delivery is
 * finished: a retry moves it to BullMQ's delayed set until its backoff is over, an attempt a stopping replica
 * interrupts goes back at once. A replica that dies mid-attempt loses its job lock; the stalled-job check hands the job
 * to another replica, which takes the RUNNING row over.
 */

export const DELIVERIES_QUEUE = "deliveries";
const LOCK_MS = 30_000;
/** a job whose replica died is handed on at most this many times, then failed (the next start schedules it again) */
const MAX_STALLED = 10;

export interface DeliveryQueueOptions {
  connection: Redis;
  /** REDIS_PREFIX */
  prefix: string;
  logger: Logger;
  lockMs?: number;
}

export function createDeliveryQueue(attempts: DeliveryAttempts, concurrency: number, options: DeliveryQueueOptions): DeliveryScheduler {
  const { connection, prefix, logger, lockMs = LOCK_MS } = options;
  const queue = new BullQueue<DeliveryJob>(DELIVERIES_QUEUE, { connection, prefix });
  const inFlight = new Set<AbortController>();
  let worker: Worker<DeliveryJob> | null = null;
  const logError = (error: Error) => logger.warn({ err: error, queue: DELIVERIES_QUEUE }, "queue error");
  queue.on("error", logError);

  async function process(job: Job<DeliveryJob>, token?: string): Promise<void> {
    const { deliveryId } = deliveryJob.parse(job.data);
    // RUNNING with its job here means the replica that started it died: only one holder of the job's lock runs it
    if (!(await attempts.claim(deliveryId, { takeOver: true }))) return;
    const controller = new AbortController();
    inFlight.add(controller);
    const end = await attempts.run(deliveryId, controller.signal).finally(() => inFlight.delete(controller));
    if (end.kind === "finished") return;
    await job.moveToDelayed(end.kind === "retry" ? end.at.getTime() : Date.now(), token);
    throw new DelayedError();
  }

  return {
    start() {
      worker ??= new Worker<DeliveryJob>(DELIVERIES_QUEUE, process, {
        connection, prefix, concurrency, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: MAX_STALLED,
      });
      worker.on("error", logError);
      worker.on("failed", (job, error) => logger.error({ err: error, deliveryId: job?.data.deliveryId }, "delivery job failed in the queue"));
    },
    schedule(id, at) {
      const delay = at ? Math.max(0, at.getTime() - Date.now()) : 0;
      queue.add("deliver", { deliveryId: id }, { jobId: id, delay, removeOnComplete: true, removeOnFail: true }).catch((error: unknown) =>
        logger.error({ err: error, deliveryId: id }, "could not queue a delivery; it is queued again when Redis is back or the API restarts"),
      );
    },
    async close() {
      for (const controller of inFlight) controller.abort();
      await worker?.close();
      await queue.close();
    },
  };
}
