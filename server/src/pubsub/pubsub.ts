import { createPubSub, filter, pipe } from "graphql-yoga";
import { stoppable } from "./channel.js";

export interface ActivityPayload {
  id: string;
}

export interface LogChunkPayload {
  seq: number;
  stream: "STDOUT" | "STDERR";
  data: string;
  time: Date;
}

export interface MetricPointPayload {
  name: string;
  step: number;
  value: number;
  time: Date;
}

export interface SidecarCommandPayload {
  kind: "START_RUN" | "CANCEL_RUN" | "GENERATE";
  runId?: string;
  trainer?: string;
  config?: Record<string, unknown>;
  datasetUrl?: string;
  generation?: GenerationCommandPayload;
}

/** A generation job as a sidecar receives it: adapters by database id, with their names for its logs and their files' URLs. */
export interface GenerationCommandPayload {
  jobId: string;
  baseModelId: string;
  /** the prompt without its <lora:...> tags: what conditions the model */
  prompt: string;
  meter: { beatsPerBar: number; stepsPerBeat: number };
  maxSteps: number;
  samples: number;
  temperature: number;
  topK: number | null;
  seed: number;
  adapters: GenerationCommandAdapter[];
}

export interface GenerationCommandAdapter {
  adapterId: string;
  name: string;
  version: string;
  weight: number;
  /** used when the adapter has no adapter_config.json */
  alpha: number;
  useRslora: boolean;
  files: { name: string; role: string; sha256: string; sizeBytes: number; url: string }[];
}

/** Topics with an id are per run (run*), per generation job (generation*) or per sidecar (sidecar*); generationEnded has none. */
export type PubSubEvents = {
  activity: [ActivityPayload];
  runLog: [runId: string, chunks: LogChunkPayload[]];
  runMetrics: [runId: string, points: MetricPointPayload[]];
  runStatus: [runId: string, run: { id: string }];
  sidecarCommand: [sidecarId: string, command: SidecarCommandPayload];
  sidecarRunEnded: [sidecarId: string, run: { id: string }];
  generationStatus: [jobId: string, job: { id: string }];
  sidecarGenerationEnded: [sidecarId: string, job: { id: string }];
  /** every job's end, DONE or FAILED, for what reacts to it (an A/B test whose samples it made) */
  generationEnded: [job: { id: string; abTestId: string | null }];
  /** every job's every change (queued, started, progress, ended), for what lists jobs */
  generationUpdated: [job: { id: string; abTestId: string | null }];
  /** a delivery claimed, retried, put back or finished: per delivery, and once more for everything that lists them */
  deliveryStatus: [deliveryId: string, delivery: { id: string }];
  deliveryUpdated: [delivery: { id: string }];
};

export function createEventBus() {
  return createPubSub<PubSubEvents>();
}

export type EventBus = ReturnType<typeof createEventBus>;

/** A topic's events that `keep` accepts; returning it stops the topic's stream too. */
export function only<T>(events: AsyncIterable<T>, keep: (event: T) => boolean): AsyncIterable<T> {
  return pipe(events, filter(keep));
}

export interface FollowedState<T> {
  /** a topic's events about one subject, each a sign that its state may have changed */
  changes: AsyncIterable<unknown>;
  load(): Promise<T>;
  /** the stream ends after a final state */
  isFinal(state: T): boolean;
  /** a state the same as the one sent last is not sent again */
  same?(previous: T, next: T): boolean;
}

/**
 * A subject's state now, then after each change, until it is final (a run's or a job's status stream). The topic is
 * listened to before the first load, so no change falls between them; return() ends the stream at once.
 */
export function followState<T>(followed: FollowedState<T>): AsyncGenerator<T> {
  const changes = followed.changes[Symbol.asyncIterator]();
  return stoppable(stateChanges(followed, changes), () => void changes.return?.());
}

async function* stateChanges<T>({ load, isFinal, same }: FollowedState<T>, changes: AsyncIterator<unknown>): AsyncGenerator<T> {
  let change = changes.next();
  try {
    let state = await load();
    yield state;
    while (!isFinal(state)) {
      if ((await change).done) return;
      change = changes.next();
      const next = await load();
      if (same?.(state, next)) continue;
      state = next;
      yield state;
    }
  } finally {
    await changes.return?.();
  }
}
