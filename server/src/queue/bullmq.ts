import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Queue as BullQueue, Worker, type Job as BullJob } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ZodType } from "zod";
import type { EventBus } from "../pubsub/pubsub.js";
import { generationTask, trainingJob } from "../contracts/queue.js";
import { generationTaskIdentity, trainingJobIdentity, type JobIdentity, type Queue, type Queues, type Taken, type TakeOptions } from "./queue.js";

/*
 * The queue between replicas (REDIS_URL), on BullMQ. One BullMQ queue per key (`runs.<trainer>`,
 * `generation.<base model>`), so a connection only ever takes jobs its sidecar can run, whichever replica it is on.
 * Jobs are taken by hand (Worker.getNextJob) for a connection with a free slot and completed once the database says
 * whose they are: a replica that dies in between leaves an active job whose lock runs out, and BullMQ's stalled-job
 * check puts it back in the queue. A job is added under its own id, so one still waiting is not queued twice (two
 * replicas recovering at once). Takers wake when any replica queues a job of their key (the bus's jobQueued), and look
 * again every POLL_MS besides, for a wake-up lost with a Redis restart or a job the stalled check put back.
 */

const POLL_MS = 2000;
/** far longer than a hand-over takes (a database update) */
const LOCK_MS = 30_000;
/** a job whose taker died is put back at most this many times, then dropped (the next start queues it again) */
const MAX_STALLED = 10;

interface BullQueueOptions<Job> {
  /** also the queues' name prefix: runs, generation */
  name: string;
  connection: Redis;
  /** REDIS_PREFIX: the Redis keys of one studio */
  prefix: string;
  identity: JobIdentity<Job>;
  contract: ZodType<Job>;
  events: EventBus;
  logger: Logger;
  /** how long a taken job stays locked before the stalled-job check may put it back (BullMQ's lockDuration) */
  lockMs?: number;
}

interface Lane {
  queue: BullQueue;
  /** made the first time a taker looks at this key: a replica only counting the queue needs none */
  worker: Worker | null;
}

interface Waiter {
  keys: readonly string[];
  wake(): void;
}

function createBullQueue<Job>(options: BullQueueOptions<Job>): Queue<Job> {
  return new BullJobQueue(options);
}

class BullJobQueue<Job> implements Queue<Job> {
  private readonly lanes = new Map<string, Lane>();
  private readonly waiters = new Set<Waiter>();
  private readonly stopListening: () => void;
  private closed = false;

  constructor(private readonly options: BullQueueOptions<Job>) {
    const queued = options.events.subscribe("jobQueued");
    this.stopListening = () => void queued.return();
    void (async () => {
      for await (const { queue, key } of queued) if (queue === options.name) this.wake(key);
    })();
  }

  private get keySet(): string {
    return `${this.options.prefix}:${this.options.name}:keys`;
  }

  private queueName(key: string): string {
    return `${this.options.name}.${encodeURIComponent(key)}`;
  }

  /** The BullMQ queue of one key. */
  private lane(key: string): Lane {
    const known = this.lanes.get(key);
    if (known) return known;
    const { connection, prefix } = this.options;
    const queue = new BullQueue(this.queueName(key), { connection, prefix });
    this.logErrors(queue, key);
    const lane = { queue, worker: null };
    this.lanes.set(key, lane);
    return lane;
  }

  /** The worker that takes one key's jobs by hand, with the stalled-job check that puts back what a dead taker held. */
  private workerOf(key: string): Worker {
    const lane = this.lane(key);
    if (lane.worker) return lane.worker;
    const { connection, prefix } = this.options;
    const { lockMs = LOCK_MS } = this.options;
    lane.worker = new Worker(this.queueName(key), null, { connection, prefix, maxStalledCount: MAX_STALLED, lockDuration: lockMs, stalledInterval: lockMs });
    this.logErrors(lane.worker, key);
    void lane.worker.startStalledCheckTimer();
    return lane.worker;
  }

  private logErrors(emitter: { on(event: "error", listener: (error: Error) => void): unknown }, key: string): void {
    emitter.on("error", (error) => this.options.logger.warn({ err: error, queue: this.queueName(key) }, "queue error"));
  }

  async add(job: Job): Promise<void> {
    const { identity, contract, connection, events, name } = this.options;
    const checked = contract.parse(job);
    const key = identity.keyOf(checked);
    await connection.sadd(this.keySet, key);
    await this.lane(key).queue.add(name, checked, { jobId: identity.idOf(checked), removeOnComplete: true, removeOnFail: true });
    events.publish("jobQueued", { queue: name, key });
  }

  async remove(job: Job): Promise<boolean> {
    const { queue } = this.lane(this.options.identity.keyOf(job));
    const id = this.options.identity.idOf(job);
    const waiting = await queue.getJob(id);
    if (!waiting || !(await waiting.isWaiting())) return false;
    // 0 when a taker locked it meanwhile
    return (await queue.remove(id)) === 1;
  }

  async next(keys: readonly string[], signal: AbortSignal, { minAgeMs = 0 }: TakeOptions = {}): Promise<Taken<Job> | null> {
    while (!signal.aborted && !this.closed) {
      const wakeUp = this.wakeUp(keys, signal);
      const found = await this.takeAny(keys, minAgeMs).catch((error: unknown) => {
        this.options.logger.warn({ err: error, queue: this.options.name }, "could not take a job from the queue; trying again");
        return { retryInMs: POLL_MS };
      });
      if ("taken" in found) {
        wakeUp.cancel();
        return found.taken;
      }
      await wakeUp.after(Math.min(POLL_MS, found.retryInMs));
    }
    return null;
  }

  /** The oldest job of the first key that has one old enough; else when to look again. */
  private async takeAny(keys: readonly string[], minAgeMs: number): Promise<{ taken: Taken<Job> } | { retryInMs: number }> {
    let retryInMs = POLL_MS;
    for (const key of keys) {
      const { queue } = this.lane(key);
      if (minAgeMs > 0) {
        const [oldest] = await queue.getJobs(["wait"], 0, 0, true);
        if (!oldest) continue;
        const age = Date.now() - oldest.timestamp;
        if (age < minAgeMs) {
          retryInMs = Math.min(retryInMs, minAgeMs - age);
          continue;
        }
      }
      const token = randomUUID();
      const job = await this.workerOf(key).getNextJob(token, { block: false });
      if (!job) continue;
      const taken = await this.taken(job, token);
      if (taken) return { taken };
    }
    return { retryInMs };
  }

  private async taken(job: BullJob, token: string): Promise<Taken<Job> | null> {
    const { contract, logger, name } = this.options;
    const done = () =>
      job.moveToCompleted(null, token, false).then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error, queue: name, jobId: job.id }, "could not complete a job taken from the queue"),
      );
    const parsed = contract.safeParse(job.data);
    if (parsed.success) return { job: parsed.data, queuedAt: job.timestamp, done };
    logger.error({ queue: name, jobId: job.id, problem: parsed.error.message }, "dropped a queued job that breaks its contract");
    await done();
    return null;
  }

  /** Resolves after `ms`, on a wake-up for one of `keys`, or once `signal` aborts. */
  private wakeUp(keys: readonly string[], signal: AbortSignal) {
    let timer: NodeJS.Timeout | undefined;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const waiter: Waiter = { keys, wake };
    this.waiters.add(waiter);
    signal.addEventListener("abort", wake, { once: true });
    const cancel = () => {
      clearTimeout(timer);
      this.waiters.delete(waiter);
      signal.removeEventListener("abort", wake);
    };
    return {
      cancel,
      after: async (ms: number) => {
        timer = setTimeout(wake, ms);
        await woken;
        cancel();
      },
    };
  }

  private wake(key: string): void {
    for (const waiter of this.waiters) if (waiter.keys.includes(key)) waiter.wake();
  }

  async depth(): Promise<number> {
    const keys = await this.options.connection.smembers(this.keySet);
    const counts = await Promise.all(keys.map((key) => this.lane(key).queue.getWaitingCount()));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    for (const waiter of this.waiters) waiter.wake();
    await Promise.all([...this.lanes.values()].map(async ({ queue, worker }) => Promise.allSettled([worker?.close(), queue.close()])));
  }
}

/** The queues between replicas on one Redis connection (its commands wait for Redis, as BullMQ requires), which they close. */
export function createBullQueues(connection: Redis, prefix: string, events: EventBus, logger: Logger, lockMs?: number): Queues {
  const shared = { connection, prefix, events, logger, lockMs };
  const runs = createBullQueue({ ...shared, name: "runs", identity: trainingJobIdentity, contract: trainingJob });
  const generation = createBullQueue({ ...shared, name: "generation", identity: generationTaskIdentity, contract: generationTask });
  const claimKey = (task: string) => `${prefix}:claim:${task}`;
  return {
    runs,
    generation,
    claim: async (task, forMs) => (await connection.set(claimKey(task), `${hostname()}:${process.pid}`, "PX", forMs, "NX")) === "OK",
    release: async (task) => void (await connection.del(claimKey(task))),
    close: async () => {
      await Promise.all([runs.close(), generation.close()]);
      await connection.quit();
    },
  };
}
