import { z } from "zod";
import { LOG_STREAMS, sidecarCommand } from "./sidecar.js";
import { metricName, metricStep } from "./trainer.js";

/*
 * The events the API publishes (DESIGN §2): through memory in one process, and as JSON through Redis between replicas
 * (REDIS_URL). What arrives from Redis is checked against these schemas, which also turn its times back into Dates.
 */

const subject = z.object({ id: z.string().min(1) });
const generationJobRef = z.object({ id: z.string().min(1), abTestId: z.string().nullable() });

export const logChunkEvent = z.object({ seq: z.number().int().min(1), stream: z.enum(LOG_STREAMS), data: z.string(), time: z.coerce.date() });
export type LogChunkEvent = z.infer<typeof logChunkEvent>;

export const metricPointEvent = z.object({ name: metricName, step: metricStep, value: z.number(), time: z.coerce.date() });
export type MetricPointEvent = z.infer<typeof metricPointEvent>;

/** Each topic's payload. */
export const eventPayloads = {
  activity: subject,
  runLog: z.array(logChunkEvent),
  runMetrics: z.array(metricPointEvent),
  runStatus: subject,
  sidecarCommand,
  sidecarRunEnded: subject,
  generationStatus: subject,
  sidecarGenerationEnded: subject,
  generationEnded: generationJobRef,
  generationUpdated: generationJobRef,
  deliveryStatus: subject,
  deliveryUpdated: subject,
  /** a job was queued for takers with this key: they look again at once instead of at their next poll */
  jobQueued: z.object({ queue: z.string().min(1), key: z.string().min(1) }),
};

type EventTopic = keyof typeof eventPayloads;
type Payload<T extends EventTopic> = z.infer<(typeof eventPayloads)[T]>;

/** The topics with an id are per run (run*), per generation job (generation*), per sidecar (sidecar*) or per delivery. */
export type PubSubEvents = {
  activity: [Payload<"activity">];
  runLog: [runId: string, chunks: Payload<"runLog">];
  runMetrics: [runId: string, points: Payload<"runMetrics">];
  runStatus: [runId: string, run: Payload<"runStatus">];
  sidecarCommand: [sidecarId: string, command: Payload<"sidecarCommand">];
  sidecarRunEnded: [sidecarId: string, run: Payload<"sidecarRunEnded">];
  generationStatus: [jobId: string, job: Payload<"generationStatus">];
  sidecarGenerationEnded: [sidecarId: string, job: Payload<"sidecarGenerationEnded">];
  /** every job's end, DONE or FAILED, for what reacts to it (an A/B test whose samples it made) */
  generationEnded: [job: Payload<"generationEnded">];
  /** every job's every change (queued, started, progress, ended), for what lists jobs */
  generationUpdated: [job: Payload<"generationUpdated">];
  /** a delivery claimed, retried, put back or finished: per delivery, and once more for everything that lists them */
  deliveryStatus: [deliveryId: string, delivery: Payload<"deliveryStatus">];
  deliveryUpdated: [delivery: Payload<"deliveryUpdated">];
  jobQueued: [job: Payload<"jobQueued">];
};

/**
 * An event as it arrived from another process: its channel ("runLog:<runId>", or the topic alone) and its parsed JSON.
 * The payload as the topic's schema reads it, or an error naming what was wrong.
 */
export function decodeEvent(channel: string, detail: unknown): { ok: true; payload: unknown } | { ok: false; error: string } {
  const topic = channel.split(":", 1)[0]!;
  if (!Object.hasOwn(eventPayloads, topic)) return { ok: false, error: `unknown topic '${topic}'` };
  const parsed = eventPayloads[topic as EventTopic].safeParse(detail);
  if (parsed.success) return { ok: true, payload: parsed.data };
  return { ok: false, error: parsed.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`).join("; ") };
}
