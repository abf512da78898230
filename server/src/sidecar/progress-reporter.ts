import type { Logger } from "pino";
import { ApiError, describe } from "./api-client.js";

/*
 * A running job's progress, sent to the API as it moves: the first fraction at once, then at most one report every
 * `intervalMs`, one request in flight. Only the latest fraction matters: a lost report is followed an interval later by
 * the latest fraction (not by a retry of the lost one), and a refused one ends the reports.
 */
export class ProgressReporter {
  private latest = 0;
  private sent = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly send: (fraction: number) => Promise<unknown>, private readonly intervalMs: number, private readonly logger: Logger) {}

  set(fraction: number): void {
    this.latest = Math.max(this.latest, Math.min(1, fraction));
    this.schedule();
  }

  /** Stops reporting; resolves once a report in flight has been answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
  }

  private schedule(): void {
    if (this.stopped || this.timer || this.inFlight || this.latest <= this.sent) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.report();
    }, wait);
  }

  private report(): void {
    if (this.stopped) return;
    const fraction = this.latest;
    this.lastSentAt = performance.now();
    this.inFlight = this.send(fraction)
      .then(
        () => void (this.sent = fraction),
        (error: unknown) => {
          const refused = error instanceof ApiError && !error.transient;
          if (refused) this.stopped = true;
          this.logger.debug(`progress report ${refused ? "refused" : "lost"}: ${describe(error)}`);
        },
      )
      .finally(() => {
        this.inFlight = null;
        this.schedule();
      });
  }
}
