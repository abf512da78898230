import { createPubSub } from "graphql-yoga";

export interface ActivityPayload {
  id: string;
}

export type PubSubEvents = {
  activity: [ActivityPayload];
};

export function createEventBus() {
  return createPubSub<PubSubEvents>();
}

export type EventBus = ReturnType<typeof createEventBus>;
