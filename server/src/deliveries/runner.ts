import type { Logger } from "pino";
import type { Delivery, PrismaClient } from "../generated/prisma/client.js";
import { isOrphaned, type DeliveryAttempts } from "./attempts.js";
import type { DeliveryScheduler } from "./scheduler.js";

/*
 * The deliveries' background jobs in one process (no REDIS_URL), found in the Delivery rows themselves (status,
 * nextAttemptAt), so a restarted API picks up where the last one stopped. An attempt a crashed process left RUNNING
 * past its deadline is put back without counting.
 */

export interface RunnerOptions {
  concurrency: number;
  /** the longest sleep while retries are pending or another process holds RUNNING rows */
  pollMs: number;
}

export interface DeliveryRunnerDeps {
  prisma: PrismaClient;
  attempts: DeliveryAttempts;
  logger: Logger;
  /** how long one attempt of this delivery may take at most: a RUNNING row older than that (and a grace) was orphaned */
  attemptDeadlineMs(delivery: Pick<Delivery, "mode" | "target" | "params">): number;
  options: RunnerOptions;
}

export class DeliveryRunner implements DeliveryScheduler {
  private readonly options: RunnerOptions;
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> | null = null;
  private scheduling: Promise<void> | null = null;
  private pumpAgain = false;
  private started = false;
  private closed = false;

  constructor(private readonly deps: DeliveryRunnerDeps) {
    this.options = deps.options;
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

  /** The rows say when each delivery is due: any change is a reason to look at them now. */
  schedule(): void {
    this.wake();
  }

  /** Looks for due deliveries now (after a creation, a finished attempt, or a timer). */
  private wake(): void {
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
        if (await this.deps.attempts.claim(due.id)) this.launch(due.id);
      }
    } while (this.pumpAgain && !this.closed);
  }

  /** RUNNING rows no runner here holds, older than their deadline: a process stopped without putting them back. */
  private async reclaimOrphans(): Promise<void> {
    const running = await this.deps.prisma.delivery.findMany({ where: { status: "RUNNING", id: { notIn: [...this.inFlight.keys()] } } });
    for (const delivery of running) if (isOrphaned(delivery, this.deps.attemptDeadlineMs(delivery))) await this.deps.attempts.putBack(delivery);
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
    const done = this.deps.attempts
      .run(id, controller.signal)
      .catch((error: unknown) => this.deps.logger.error({ err: error, deliveryId: id }, "delivery runner: recording an attempt failed"))
      .finally(() => {
        this.inFlight.delete(id);
        this.wake();
      });
    this.inFlight.set(id, { controller, done });
  }
}
