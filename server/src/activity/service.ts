import type { ActivityEvent, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { EventBus } from "../pubsub/pubsub.js";

export interface ActivityInput {
  type: string;
  message: string;
  subjectType: string;
  subjectId: string;
  data?: Prisma.InputJsonObject;
}

export class ActivityService {
  constructor(private readonly events: EventBus) {}

  /** Records the event inside the caller's transaction; publish() it once that commits. */
  record(tx: Prisma.TransactionClient | PrismaClient, input: ActivityInput): Promise<ActivityEvent> {
    return tx.activityEvent.create({ data: { ...input, data: input.data ?? {} } });
  }

  publish(event: ActivityEvent): void {
    this.events.publish("activity", { id: event.id });
  }
}
