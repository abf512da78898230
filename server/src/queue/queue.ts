import type { GenerationTask, TrainingJob } from "../contracts/queue.js";

/*
 * The hand-off of work from the API to sidecars (DESIGN §2): training runs, and generation jobs. A sidecar never sees a
 * queue: the API takes jobs from it on behalf of each connected sidecar and pushes them down that sidecar's GraphQL
 * subscription. In-process by default; with REDIS_URL a BullMQ queue (bullmq.ts) implements the same interface, so a
 * job queued through any replica goes to a sidecar connected to any replica. The database stays the record of each
 * job's state: a queue only says who takes it next.
 */

export interface TakeOptions {
  /** only jobs that have waited at least this long (a CPU sidecar leaves a new run to a CUDA one for a while) */
  minAgeMs?: number;
}

/** A job taken out of the queue; done() once it has been handed to a sidecar (or was no longer there to hand). */
export interface Taken<Job> {
  job: Job;
  /** when it was queued (ms since the epoch) */
  queuedAt: number;
  done(): Promise<void>;
}

/** Jobs, each with an id and a key (what a sidecar must have to take it). */
export interface Queue<Job> {
  /** Queues a job; a job whose id is still waiting is not queued twice. */
  add(job: Job): Promise<void>;
  /** Takes a waiting job out; true when it was still waiting (a cancel before any sidecar got it). */
  remove(job: Job): Promise<boolean>;
  /** The next job whose key is one of `keys`, oldest first; null once `signal` aborts. */
  next(keys: readonly string[], signal: AbortSignal, options?: TakeOptions): Promise<Taken<Job> | null>;
  depth(): Promise<number>;
  close(): Promise<void>;
}

export type JobQueue = Queue<TrainingJob>;
export type GenerationQueue = Queue<GenerationTask>;

/** How a queue tells one job from another, and which takers may have it. */
export interface JobIdentity<Job> {
  idOf(job: Job): string;
  keyOf(job: Job): string;
}

export const trainingJobIdentity: JobIdentity<TrainingJob> = { idOf: (job) => `${job.runId}#${job.attempt}`, keyOf: (job) => job.trainer };
export const generationTaskIdentity: JobIdentity<GenerationTask> = { idOf: (task) => `${task.jobId}#${task.attempt}`, keyOf: (task) => task.baseModelId };

/** The queue entry of a run's next attempt. */
export const trainingJobOf = (run: { id: string; trainer: string; attempts: number }): TrainingJob => ({ runId: run.id, trainer: run.trainer, attempt: run.attempts });

/** The queue entry of a sidecar generation job's next attempt. */
export const generationTaskOf = (job: { id: string; baseModelId: string; attempts: number }): GenerationTask => ({ jobId: job.id, baseModelId: job.baseModelId, attempt: job.attempts });

interface Waiting<Job> {
  job: Job;
  queuedAt: number;
}

interface Waiter<Job> {
  keys: readonly string[];
  minAgeMs: number;
  /** hands it a job, or looks again (null: a job arrived that it may take once old enough, or its signal aborted) */
  settle(job: Waiting<Job> | null): void;
}

const untaken = async () => undefined;

function inProcessQueue<Job>({ idOf, keyOf }: JobIdentity<Job>): Queue<Job> {
  const jobs: Waiting<Job>[] = [];
  const waiters: Waiter<Job>[] = [];

  /** A new job goes to the first waiter that takes any job of its key; those that want older jobs look again. */
  const offer = (job: Waiting<Job>): boolean => {
    const matching = waiters.filter((waiter) => waiter.keys.includes(keyOf(job.job)));
    const taker = matching.find((waiter) => waiter.minAgeMs === 0);
    if (taker) taker.settle(job);
    else for (const waiter of matching) waiter.settle(null);
    return taker !== undefined;
  };

  const oldest = (keys: readonly string[]) => jobs.findIndex((waiting) => keys.includes(keyOf(waiting.job)));

  const next = (keys: readonly string[], signal: AbortSignal, minAgeMs: number): Promise<Waiting<Job> | null> => {
    if (signal.aborted) return Promise.resolve(null);
    const index = oldest(keys);
    const age = index >= 0 ? Date.now() - jobs[index]!.queuedAt : -1;
    if (index >= 0 && age >= minAgeMs) return Promise.resolve(jobs.splice(index, 1)[0]!);
    return new Promise((resolve) => {
      const settle = (job: Waiting<Job> | null) => {
        const at = waiters.indexOf(waiter);
        if (at < 0) return;
        waiters.splice(at, 1);
        clearTimeout(timer);
        signal.removeEventListener("abort", aborted);
        resolve(job ?? next(keys, signal, minAgeMs));
      };
      const aborted = () => settle(null);
      const timer = index >= 0 ? setTimeout(() => settle(null), minAgeMs - age) : undefined;
      const waiter: Waiter<Job> = { keys, minAgeMs, settle };
      waiters.push(waiter);
      signal.addEventListener("abort", aborted, { once: true });
    });
  };

  return {
    async add(job) {
      if (jobs.some((waiting) => idOf(waiting.job) === idOf(job))) return;
      const waiting = { job, queuedAt: Date.now() };
      jobs.push(waiting);
      if (offer(waiting)) jobs.pop();
    },
    async remove(job) {
      const index = jobs.findIndex((waiting) => idOf(waiting.job) === idOf(job));
      if (index >= 0) jobs.splice(index, 1);
      return index >= 0;
    },
    async next(keys, signal, { minAgeMs = 0 } = {}) {
      const taken = await next(keys, signal, minAgeMs);
      return taken && { ...taken, done: untaken };
    },
    async depth() {
      return jobs.length;
    },
    close: untaken,
  };
}

/** Training runs, keyed by trainer. */
export function createInProcessQueue(): JobQueue {
  return inProcessQueue(trainingJobIdentity);
}

/** Generation jobs, keyed by base model. */
export function createGenerationQueue(): GenerationQueue {
  return inProcessQueue(generationTaskIdentity);
}

/** The queues an API process hands work to sidecars from, and what replicas agree on about them. */
export interface Queues {
  runs: JobQueue;
  generation: GenerationQueue;
  /** Claims a task (recovery at start) for this replica for `forMs`: false when another replica holds it. */
  claim(task: string, forMs: number): Promise<boolean>;
  release(task: string): Promise<void>;
  close(): Promise<void>;
}

export function createInProcessQueues(): Queues {
  return { runs: createInProcessQueue(), generation: createGenerationQueue(), claim: async () => true, release: untaken, close: untaken };
}
