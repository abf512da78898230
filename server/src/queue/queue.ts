/*
 * The hand-off of work from the API to sidecars (DESIGN §2): training runs, and generation jobs. A sidecar never sees a
 * queue: the API takes jobs from it on behalf of each connected sidecar and pushes them down that sidecar's GraphQL
 * subscription. In-process by default; a BullMQ queue on Redis can implement the same interface for several API
 * replicas without the sidecar changing.
 */

export interface TrainingJob {
  runId: string;
  /** the trainer that runs it: a sidecar only receives jobs for trainers it has */
  trainer: string;
}

export interface GenerationTask {
  jobId: string;
  /** a sidecar only receives jobs for base models it serves */
  baseModelId: string;
}

/** Jobs, each with an id and a key (what a sidecar must have to take it). */
export interface Queue<Job> {
  add(job: Job): Promise<void>;
  /** Takes a waiting job out; true when it was still waiting (a cancel before any sidecar got it). */
  remove(id: string): Promise<boolean>;
  /** The next job whose key is one of `keys`, oldest first; null once `signal` aborts. */
  next(keys: readonly string[], signal: AbortSignal): Promise<Job | null>;
  depth(): Promise<number>;
}

export type JobQueue = Queue<TrainingJob>;
export type GenerationQueue = Queue<GenerationTask>;

interface Waiter<Job> {
  keys: readonly string[];
  /** hands it a job (or null once its signal aborted) and stops listening to that signal */
  resolve(job: Job | null): void;
}

function inProcessQueue<Job>(idOf: (job: Job) => string, keyOf: (job: Job) => string): Queue<Job> {
  const jobs: Job[] = [];
  const waiters: Waiter<Job>[] = [];

  const hand = (job: Job): boolean => {
    const index = waiters.findIndex((waiter) => waiter.keys.includes(keyOf(job)));
    if (index < 0) return false;
    waiters.splice(index, 1)[0]!.resolve(job);
    return true;
  };

  return {
    async add(job) {
      if (!hand(job)) jobs.push(job);
    },
    async remove(id) {
      const index = jobs.findIndex((job) => idOf(job) === id);
      if (index >= 0) jobs.splice(index, 1);
      return index >= 0;
    },
    next(keys, signal) {
      if (signal.aborted) return Promise.resolve(null);
      const index = jobs.findIndex((job) => keys.includes(keyOf(job)));
      if (index >= 0) return Promise.resolve(jobs.splice(index, 1)[0]!);
      return new Promise((resolve) => {
        const aborted = () => {
          const at = waiters.indexOf(waiter);
          if (at >= 0) waiters.splice(at, 1);
          resolve(null);
        };
        const waiter: Waiter<Job> = {
          keys,
          resolve: (job) => {
            signal.removeEventListener("abort", aborted);
            resolve(job);
          },
        };
        waiters.push(waiter);
        signal.addEventListener("abort", aborted, { once: true });
      });
    },
    async depth() {
      return jobs.length;
    },
  };
}

/** Training runs, keyed by trainer. */
export function createInProcessQueue(): JobQueue {
  return inProcessQueue<TrainingJob>((job) => job.runId, (job) => job.trainer);
}

/** Generation jobs, keyed by base model. */
export function createGenerationQueue(): GenerationQueue {
  return inProcessQueue<GenerationTask>((job) => job.jobId, (job) => job.baseModelId);
}
