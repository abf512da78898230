import type { ActivityEvent, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { EventBus } from "../pubsub/pubsub.js";
import { currentActor } from "../auth/actor.js";

export interface ActivityInput {
  type: string;
  message: string;
  subjectType: string;
  subjectId: string;
  data?: Prisma.InputJsonObject;
}

export interface RecordedChange<T> {
  result: T;
  event: ActivityInput;
}

export class ActivityService {
  constructor(private readonly events: EventBus) {}

  /**
   * Runs a change and records the activity event describing it in one transaction, then publishes
   * the event once that has committed: a change that rolls back is never announced.
   */
  async transaction<T>(
    prisma: PrismaClient,
    change: (tx: Prisma.TransactionClient) => Promise<RecordedChange<T>>,
    options?: { maxWait?: number; timeout?: number },
  ): Promise<T> {
    const [result, event] = await prisma.$transaction(async (tx) => {
      const { result, event } = await change(tx);
      return [result, await tx.activityEvent.create({ data: { ...event, data: event.data ?? {}, actor: currentActor() } })] as const;
    }, options);
    this.publish(event);
    return result;
  }

  private publish(event: ActivityEvent): void {
    this.events.publish("activity", { id: event.id });
  }
}
