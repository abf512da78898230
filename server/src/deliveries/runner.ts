import type { Logger } from "pino";
import type { ActivityService } from "../activity/service.js";
import type { Delivery, Prisma, PrismaClient } from "../generated/prisma/client.js";
import { DeliveryFailure, DeliveryInterrupted, readResult, type DeliveryResult } from "./outcome.js";

/*
 * The deliveries' background jobs, kept in the Delivery rows themselves (status, attempts, nextAttemptAt), so a
 * restarted API picks up where the last one stopped. A row is claimed by a conditional update (PENDING ->
 * RUNNING), so two runners on one database never both start it. An attempt that a stopping API interrupts, or
 * that a crashed one left RUNNING past its deadline, is put back without counting. Deliveries are therefore
 * at-least-once; receivers get the delivery id as Idempotency-Key.
 */

export interface RunnerOptions {
  concurrency: number;
  /** the first retry waits about this long; each further one twice as long */
  retryBaseMs: number;
  retryMaxMs: number;
  /** the longest sleep while retries are pending or another process holds RUNNING rows */
  pollMs: number;
}

/** Past an attempt's own deadline, before its row counts as left behind by a stopped process. */
const ORPHAN_GRACE_MS = 60_000;

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = { concurrency: 4, retryBaseMs: 1000, retryMaxMs: 5 * 60_000, pollMs: 30_000 };

export interface DeliveryRunnerDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  logger: Logger;
  execute(delivery: Delivery, signal: AbortSignal): Promise<DeliveryResult>;
  /** how long one attempt of this delivery may take at most: a RUNNING row older than that (and a grace) was orphaned */
  attemptDeadlineMs(delivery: Delivery): number;
  /** a delivery's row changed: claimed, scheduled for a retry, put back or finished */
  changed(id: string): void;
  options?: Partial<RunnerOptions>;
}

/** Exponential backoff with jitter (half fixed, half random), and never sooner than the receiver's Retry-After. */
export function backoffMs(attempt: number, options: Pick<RunnerOptions, "retryBaseMs" | "retryMaxMs">, retryAfterMs: number | null, random = Math.random()): number {
  const exponential = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + (exponential / 2) * random;
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, options.retryMaxMs)));
}

export class DeliveryRunner {
  private readonly options: RunnerOptions;
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> | null = null;
  private scheduling: Promise<void> | null = null;
  private pumpAgain = false;
  private started = false;
  private closed = false;

  constructor(private readonly deps: DeliveryRunnerDeps) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...deps.options };
  }

  /** Starts taking due deliveries: those still PENDING from before a restart first. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.closed = false;
    this.wake();
  }

  /** Stops taking work; attempts in flight are interrupted and put back as PENDING for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    await this.pumping; // a claim it was making is in flight after this
    for (const { controller } of this.inFlight.values()) controller.abort();
    await Promise.allSettled([...this.inFlight.values()].map((job) => job.done));
    await this.scheduling;
  }

  /** Looks for due deliveries now (after a creation, a finished attempt, or a timer). */
  wake(): void {
    if (!this.started || this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, "delivery runner: looking for due deliveries failed"))
      .finally(() => {
        this.pumping = null;
        this.scheduleNext();
      });
  }

  private async pump(): Promise<void> {
    await this.reclaimOrphans();
    do {
      this.pumpAgain = false;
      while (!this.closed && this.inFlight.size < this.options.concurrency) {
        const due = await this.deps.prisma.delivery.findFirst({
          where: { status: "PENDING", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date() } }], id: { notIn: [...this.inFlight.keys()] } },
          orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
          select: { id: true },
        });
        if (!due) break;
        const claimed = await this.deps.prisma.delivery.updateMany({
          where: { id: due.id, status: "PENDING" },
          data: { status: "RUNNING", attempts: { increment: 1 }, nextAttemptAt: null, startedAt: new Date() },
        });
        if (claimed.count === 1) {
          this.deps.changed(due.id);
          this.launch(due.id);
        }
      }
    } while (this.pumpAgain && !this.closed);
  }

  /** RUNNING rows no runner here holds, older than their deadline: a process stopped without putting them back. */
  private async reclaimOrphans(): Promise<void> {
    const running = await this.deps.prisma.delivery.findMany({ where: { status: "RUNNING", id: { notIn: [...this.inFlight.keys()] } } });
    const now = Date.now();
    for (const delivery of running) {
      const since = (delivery.startedAt ?? delivery.createdAt).getTime();
      if (now - since > this.deps.attemptDeadlineMs(delivery) + ORPHAN_GRACE_MS) await this.putBack(delivery);
    }
  }

  /** Sleeps until the next retry is due; idle (no timer) when nothing is pending or left running elsewhere. */
  private scheduleNext(): void {
    if (this.closed || !this.started) return;
    const { prisma } = this.deps;
    this.scheduling = Promise.all([
      prisma.delivery.findFirst({ where: { status: "PENDING" }, orderBy: [{ nextAttemptAt: "asc" }], select: { nextAttemptAt: true } }),
      prisma.delivery.count({ where: { status: "RUNNING", id: { notIn: [...this.inFlight.keys()] } } }),
    ])
      .then(([next, runningElsewhere]) => {
        if (this.timer) clearTimeout(this.timer);
        if (this.closed || (!next && runningElsewhere === 0)) return;
        const dueIn = next?.nextAttemptAt ? next.nextAttemptAt.getTime() - Date.now() : this.options.pollMs;
        this.timer = setTimeout(() => this.wake(), Math.min(Math.max(dueIn, 0), this.options.pollMs));
        this.timer.unref();
      })
      .catch((error: unknown) => this.deps.logger.error({ err: error }, "delivery runner: scheduling failed"));
  }

  private launch(id: string): void {
    const controller = new AbortController();
    const done = this.attempt(id, controller.signal)
      .catch((error: unknown) => this.deps.logger.error({ err: error, deliveryId: id }, "delivery runner: recording an attempt failed"))
      .finally(() => {
        this.inFlight.delete(id);
        this.wake();
      });
    this.inFlight.set(id, { controller, done });
  }

  private async attempt(id: string, signal: AbortSignal): Promise<void> {
    const delivery = await this.deps.prisma.delivery.findUniqueOrThrow({ where: { id } });
    let outcome: DeliveryResult | DeliveryFailure;
    try {
      outcome = await this.deps.execute(delivery, signal);
    } catch (error) {
      if (error instanceof DeliveryInterrupted) return this.putBack(delivery);
      if (!(error instanceof DeliveryFailure)) this.deps.logger.error({ err: error, deliveryId: id }, "delivery attempt failed unexpectedly");
      // what went wrong inside is for the server log, not for the delivery's readers
      outcome = error instanceof DeliveryFailure ? error : new DeliveryFailure("an internal error stopped the delivery; the server log has the details", false);
    }
    await this.settle(delivery, outcome);
  }

  /** Records an attempt's outcome: SUCCEEDED, PENDING again after a backoff, or FAILED, with its activity event. */
  private async settle(delivery: Delivery, outcome: DeliveryResult | DeliveryFailure): Promise<void> {
    const now = new Date();
    if (!(outcome instanceof DeliveryFailure)) {
      const result = { ...outcome, history: readResult(delivery.result)?.history ?? [] };
      await this.finish(delivery, { status: "SUCCEEDED", result, error: null, finishedAt: now }, "DELIVERY_SUCCEEDED", "succeeded");
      return;
    }
    const history = [...(readResult(delivery.result)?.history ?? []), { attempt: delivery.attempts, at: now.toISOString(), error: outcome.message }];
    const result = { ...(outcome.result ?? { durationMs: 0 }), history };
    if (outcome.transient && delivery.attempts < delivery.maxAttempts) {
      const delay = backoffMs(delivery.attempts, this.options, outcome.retryAfterMs);
      await this.deps.prisma.delivery.update({
        where: { id: delivery.id },
        data: { status: "PENDING", nextAttemptAt: new Date(now.getTime() + delay), error: outcome.message, result },
      });
      this.deps.changed(delivery.id);
      this.deps.logger.info({ deliveryId: delivery.id, attempt: delivery.attempts, retryInMs: delay }, `delivery attempt failed, retrying: ${outcome.message}`);
      return;
    }
    const why = outcome.transient ? `${outcome.message} (after ${delivery.attempts} of ${delivery.maxAttempts} attempts)` : outcome.message;
    await this.finish(delivery, { status: "FAILED", result, error: why, finishedAt: now }, "DELIVERY_FAILED", `failed: ${why}`);
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

  private async putBack(delivery: Delivery): Promise<void> {
    const putBack = await this.deps.prisma.delivery.updateMany({
      where: { id: delivery.id, status: "RUNNING" },
      data: { status: "PENDING", attempts: { decrement: 1 }, nextAttemptAt: new Date() },
    });
    if (putBack.count > 0) this.deps.changed(delivery.id);
  }
}
