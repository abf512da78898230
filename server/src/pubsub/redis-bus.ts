import { setTimeout as sleep } from "node:timers/promises";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub, type PubSubEventTarget } from "graphql-yoga";
import type { Logger } from "pino";
import { decodeEvent, type PubSubEvents } from "../contracts/events.js";
import type { EventBus } from "./pubsub.js";
import { connectRedis } from "./redis.js";

/*
 * Events between replicas (REDIS_URL): every topic goes through Redis pub/sub, so a subscriber on any replica hears
 * what any replica published, its own included. Payloads travel as JSON and are read back through their contracts
 * (times become Dates again; a malformed message is logged and dropped). Channels carry a prefix, so several studios
 * (or test files) can share one Redis.
 *
 * Redis keeps nothing for a subscriber that is away: what is published while the subscribing connection is down is
 * lost. Each time that connection comes back the bus announces a resync, and what follows stored state (logs,
 * metrics, statuses) reads it again; stored state is never lost, since the API stores before it publishes.
 */

const LISTENING_TIMEOUT_MS = 2000;

type Listener = (event: CustomEvent) => void;
type ListenerArg = Listener | { handleEvent: Listener } | null;

export function createRedisEventBus(url: string, prefix: string, logger: Logger): EventBus {
  const publisher = connectRedis(url, logger, "events: publish");
  // Its commands wait for Redis however long it is away: the library does not handle a SUBSCRIBE that fails.
  const subscriber = connectRedis(url, logger, "events: subscribe", { maxRetriesPerRequest: null });
  const redisTarget = createRedisEventTarget<CustomEvent>({ publishClient: publisher, subscribeClient: subscriber });
  const channelPrefix = `${prefix}:`;
  const decoders = new Map<ListenerArg, Listener>();

  const eventTarget = {
    addEventListener(topic: string, listener: ListenerArg) {
      if (!listener) return;
      const deliver = "handleEvent" in listener ? listener.handleEvent : listener;
      const decoder: Listener = (event) => {
        const topicName = event.type.slice(channelPrefix.length);
        const decoded = decodeEvent(topicName, event.detail);
        if (decoded.ok) deliver(new CustomEvent(topicName, { detail: decoded.payload }));
        else logger.warn({ topic: topicName, problem: decoded.error }, "dropped an event from Redis that breaks its contract");
      };
      decoders.set(listener, decoder);
      redisTarget.addEventListener(channelPrefix + topic, decoder);
    },
    removeEventListener(topic: string, listener: ListenerArg) {
      const decoder = decoders.get(listener);
      if (!decoder) return;
      decoders.delete(listener);
      redisTarget.removeEventListener(channelPrefix + topic, decoder);
    },
    dispatchEvent(event: CustomEvent) {
      // Published here rather than by the library, so that Redis being away costs a warning, not an unhandled rejection.
      publisher.publish(channelPrefix + event.type, JSON.stringify(event.detail)).catch((error: unknown) => logger.warn({ err: error, topic: event.type }, "an event could not be published to Redis"));
      return true;
    },
  };
  const bus = createPubSub<PubSubEvents>({ eventTarget: eventTarget as unknown as PubSubEventTarget<PubSubEvents> });

  const local = createPubSub<{ resync: [true] }>();
  let lost = false;
  subscriber.on("close", () => (lost = true));
  subscriber.on("ready", () => {
    if (!lost) return;
    lost = false;
    // after ioredis has subscribed again to every channel it had (the ping answers once those are through)
    void subscriber.ping().then(
      () => local.publish("resync", true),
      () => undefined,
    );
  });

  return {
    publish: bus.publish,
    subscribe: bus.subscribe,
    listening: async () => {
      // subscriptions opened in this turn send their SUBSCRIBE first; Redis answers in order
      await new Promise((resolve) => setImmediate(resolve));
      // While Redis is away this gives up after a while; the resync when it is back reads everything again.
      await Promise.race([subscriber.ping(), sleep(LISTENING_TIMEOUT_MS)]);
    },
    resyncs: () => local.subscribe("resync"),
    close: async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
