import type { Logger } from "pino";
import type { ActivityService } from "../activity/service.js";
import type { Delivery, Prisma, PrismaClient } from "../generated/prisma/client.js";
import { DeliveryFailure, DeliveryInterrupted, readResult, type DeliveryResult } from "./outcome.js";

/*
 * One attempt of a delivery, whoever schedules it (the in-process runner, or a BullMQ processor between replicas). The
 * Delivery row is the record: status, attempts, nextAttemptAt and the attempt history. An attempt starts with a
 * conditional update (PENDING -> RUNNING), so two schedulers on one database never both start it; an attempt a
 * stopping API interrupts is put back without counting. Deliveries are therefore at-least-once; receivers get the
 * delivery id as Idempotency-Key.
 */

export interface RetryOptions {
  /** the first retry waits about this long; each further one twice as long */
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface DeliveryAttemptsDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  logger: Logger;
  execute(delivery: Delivery, signal: AbortSignal): Promise<DeliveryResult>;
  /** a delivery's row changed: claimed, scheduled for a retry, put back or finished */
  changed(id: string): void;
  retry: RetryOptions;
}

/** How an attempt ended: the delivery is finished, waits for a retry at `at`, or was put back (interrupted). */
export type AttemptEnd = { kind: "finished" } | { kind: "retry"; at: Date } | { kind: "putBack" };

/** Past an attempt's own deadline, before its RUNNING row counts as left behind by a stopped process. */
const ORPHAN_GRACE_MS = 60_000;

/** A RUNNING row whose attempt has outlived its deadline: the process that started it stopped without putting it back. */
export function isOrphaned(delivery: Pick<Delivery, "status" | "startedAt" | "createdAt">, attemptDeadlineMs: number, now = Date.now()): boolean {
  const since = (delivery.startedAt ?? delivery.createdAt).getTime();
  return delivery.status === "RUNNING" && now - since > attemptDeadlineMs + ORPHAN_GRACE_MS;
}

/** Exponential backoff with jitter (half fixed, half random), and never sooner than the receiver's Retry-After. */
export function backoffMs(attempt: number, options: RetryOptions, retryAfterMs: number | null, random = Math.random()): number {
  const exponential = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + (exponential / 2) * random;
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, options.retryMaxMs)));
}

export class DeliveryAttempts {
  constructor(private readonly deps: DeliveryAttemptsDeps) {}

  /**
   * Starts an attempt: PENDING -> RUNNING, counting it. With `takeOver`, a RUNNING row is continued without counting
   * again (its taker died: the queue's stalled-job check gave the job to this replica). False when the delivery is
   * finished or another taker holds it.
   */
  async claim(id: string, { takeOver = false } = {}): Promise<boolean> {
    const claimed = await this.deps.prisma.delivery.updateMany({
      where: { id, status: "PENDING" },
      data: { status: "RUNNING", attempts: { increment: 1 }, nextAttemptAt: null, startedAt: new Date() },
    });
    const taken = claimed.count === 1 || (takeOver && (await this.deps.prisma.delivery.updateMany({ where: { id, status: "RUNNING" }, data: { startedAt: new Date() } })).count === 1);
    if (taken) this.deps.changed(id);
    return taken;
  }

  /** Runs a claimed attempt and records its outcome. */
  async run(id: string, signal: AbortSignal): Promise<AttemptEnd> {
    const delivery = await this.deps.prisma.delivery.findUniqueOrThrow({ where: { id } });
    let outcome: DeliveryResult | DeliveryFailure;
    try {
      outcome = await this.deps.execute(delivery, signal);
    } catch (error) {
      if (error instanceof DeliveryInterrupted) {
        await this.putBack(delivery);
        return { kind: "putBack" };
      }
      if (!(error instanceof DeliveryFailure)) this.deps.logger.error({ err: error, deliveryId: id }, "delivery attempt failed unexpectedly");
      // what went wrong inside is for the server log, not for the delivery's readers
      outcome = error instanceof DeliveryFailure ? error : new DeliveryFailure("an internal error stopped the delivery; the server log has the details", false);
    }
    return this.settle(delivery, outcome);
  }

  /** Records an attempt's outcome: SUCCEEDED, PENDING again after a backoff, or FAILED, with its activity event. */
  private async settle(delivery: Delivery, outcome: DeliveryResult | DeliveryFailure): Promise<AttemptEnd> {
    const now = new Date();
    if (!(outcome instanceof DeliveryFailure)) {
      const result = { ...outcome, history: readResult(delivery.result)?.history ?? [] };
      await this.finish(delivery, { status: "SUCCEEDED", result, error: null, finishedAt: now }, "DELIVERY_SUCCEEDED", "succeeded");
      return { kind: "finished" };
    }
    const history = [...(readResult(delivery.result)?.history ?? []), { attempt: delivery.attempts, at: now.toISOString(), error: outcome.message }];
    const result = { ...(outcome.result ?? { durationMs: 0 }), history };
    if (outcome.transient && delivery.attempts < delivery.maxAttempts) {
      const delay = backoffMs(delivery.attempts, this.deps.retry, outcome.retryAfterMs);
      const at = new Date(now.getTime() + delay);
      await this.deps.prisma.delivery.update({ where: { id: delivery.id }, data: { status: "PENDING", nextAttemptAt: at, error: outcome.message, result } });
      this.deps.changed(delivery.id);
      this.deps.logger.info({ deliveryId: delivery.id, attempt: delivery.attempts, retryInMs: delay }, `delivery attempt failed, retrying: ${outcome.message}`);
      return { kind: "retry", at };
    }
    const why = outcome.transient ? `${outcome.message} (after ${delivery.attempts} of ${delivery.maxAttempts} attempts)` : outcome.message;
    await this.finish(delivery, { status: "FAILED", result, error: why, finishedAt: now }, "DELIVERY_FAILED", `failed: ${why}`);
    return { kind: "finished" };
  }

  private async finish(delivery: Delivery, data: Prisma.DeliveryUpdateInput & { result: object }, type: string, verb: string): Promise<void> {
    await this.deps.activity.transaction(this.deps.prisma, async (tx) => {
      const updated = await tx.delivery.update({ where: { id: delivery.id }, data: { ...data, result: data.result as Prisma.InputJsonObject, nextAttemptAt: null } });
      return {
        result: updated,
        event: {
          type,
          message: `${delivery.mode} delivery to ${delivery.target} ${verb}`.slice(0, 1000),
          subjectType: "Delivery",
          subjectId: delivery.id,
          data: { mode: delivery.mode, target: delivery.target, attempts: delivery.attempts },
        },
      };
    });
    this.deps.changed(delivery.id);
  }

  /** RUNNING -> PENDING, due now, the attempt not counted. */
  async putBack(delivery: Pick<Delivery, "id">): Promise<void> {
    const putBack = await this.deps.prisma.delivery.updateMany({
      where: { id: delivery.id, status: "RUNNING" },
      data: { status: "PENDING", attempts: { decrement: 1 }, nextAttemptAt: new Date() },
    });
    if (putBack.count > 0) this.deps.changed(delivery.id);
  }
}
