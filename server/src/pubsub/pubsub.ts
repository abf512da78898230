import { setMaxListeners } from "node:events";
import { createPubSub, filter, pipe, Repeater, type PubSub } from "graphql-yoga";
import type { PubSubEvents } from "../contracts/events.js";
import { stoppable } from "./channel.js";

/**
 * What a stream that reads stored state and then follows a topic needs from the bus so that it misses nothing: in one
 * process both are immediate; across replicas (Redis) a subscription takes a round trip to start, and a connection lost
 * and regained may have lost events on the way.
 */
export interface TopicSync {
  /** resolves once every topic subscribed to so far hears what any process publishes */
  listening(): Promise<void>;
  /** an event each time events may have been lost (the bus reconnected): what a stream follows should be read again */
  resyncs(): AsyncIterable<unknown>;
}

export interface EventBus extends TopicSync {
  publish: PubSub<PubSubEvents>["publish"];
  subscribe: PubSub<PubSubEvents>["subscribe"];
  close(): Promise<void>;
}

/** Events within this process: the embedded default. */
export function createEventBus(): EventBus {
  const eventTarget = new EventTarget();
  // a run's log may have hundreds of subscribers: one listener each on its topic
  setMaxListeners(0, eventTarget);
  const bus = createPubSub<PubSubEvents>({ eventTarget });
  return {
    publish: bus.publish,
    subscribe: bus.subscribe,
    listening: async () => undefined,
    resyncs: () => new Repeater<unknown>(() => undefined),
    close: async () => undefined,
  };
}

/** The events of several streams as they come; returning it stops them all. */
export function merged(...streams: AsyncIterable<unknown>[]): AsyncIterable<unknown> {
  return Repeater.merge(streams);
}

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
  /** the bus the topic is on: the first load waits until it listens, and each resync counts as a change */
  sync?: TopicSync;
}

/**
 * A subject's state now, then after each change, until it is final (a run's or a job's status stream). The topic is
 * listened to before the first load, so no change falls between them; return() ends the stream at once.
 */
export function followState<T>(followed: FollowedState<T>): AsyncGenerator<T> {
  const sources = followed.sync ? [followed.changes, followed.sync.resyncs()] : [followed.changes];
  const changes = Repeater.merge(sources)[Symbol.asyncIterator]();
  return stoppable(stateChanges(followed, changes), () => void changes.return?.());
}

async function* stateChanges<T>({ load, isFinal, same, sync }: FollowedState<T>, changes: AsyncIterator<unknown>): AsyncGenerator<T> {
  let change = changes.next();
  try {
    await sync?.listening();
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
