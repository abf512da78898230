import { z } from "zod";

/*
 * The jobs the API hands to sidecars through its queues (DESIGN §2): in memory in one process, as BullMQ jobs on Redis
 * between replicas. Each has an id (a job is queued once per attempt) and a key: what a sidecar must have to take it.
 */

/**
 * How often a sidecar started the run or job before this queueing (its row's attempts). A retry is queued under a new
 * id: a replica that died while handing the earlier attempt over leaves that entry held until its lock runs out, and
 * a queue would take the same id for that entry and drop the retry.
 */
const attempt = z.number().int().min(0).default(0);

export const trainingJob = z.object({
  runId: z.string().min(1),
  /** the trainer that runs it: a sidecar only receives jobs for trainers it has */
  trainer: z.string().min(1),
  attempt,
});
export type TrainingJob = z.infer<typeof trainingJob>;

export const generationTask = z.object({
  jobId: z.string().min(1),
  /** a sidecar only receives jobs for base models it serves */
  baseModelId: z.string().min(1),
  attempt,
});
export type GenerationTask = z.infer<typeof generationTask>;

/** A delivery attempt to make (between replicas: a BullMQ job keyed by the delivery, so it is queued once). */
export const deliveryJob = z.object({
  deliveryId: z.string().min(1),
});
export type DeliveryJob = z.infer<typeof deliveryJob>;
