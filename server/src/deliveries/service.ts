import type { Readable } from "node:stream";
import type { Logger } from "pino";
import type { ActivityService } from "../activity/service.js";
import { checkTarget, type AllowedHost, type DeliveryCommand } from "../config/deliveries.js";
import { BadUserInputError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { LORA_SYNTAX_CODES } from "../formats/a1111-prompt.js";
import { autoV2 } from "../formats/hash.js";
import type { Delivery, DeliveryStatus, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { PromptProblemCode, PromptReading, PromptService } from "../prompts/service.js";
import { followState, type EventBus } from "../pubsub/pubsub.js";
import { executeDelivery, imageFileName } from "./execute.js";
import { createDeliveryInput, DEFAULTS, MAX_TIMEOUT_SECONDS, SDNEXT_DEFAULTS, storedParams, type CreateDeliveryInput, type StoredParams } from "./inputs.js";
import { readResult } from "./outcome.js";
import { DeliveryAttempts, isOrphaned, type RetryOptions } from "./attempts.js";
import { DeliveryRunner, type RunnerOptions } from "./runner.js";
import type { DeliveryScheduler } from "./scheduler.js";
import type { FileArea } from "../storage/storage.js";

export interface DeliveryServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  events: EventBus;
  prompts: PromptService;
  logger: Logger;
  /** the deliveries area of storage */
  files: FileArea;
  allowedHosts: AllowedHost[];
  commands: DeliveryCommand[];
  /** DELIVERY_CONCURRENCY and the retry timing */
  runner?: Partial<DeliveryOptions>;
  /** between replicas (REDIS_URL): a BullMQ queue runs the attempts instead of the in-process runner */
  queue?: (attempts: DeliveryAttempts, concurrency: number) => DeliveryScheduler;
}

export type DeliveryOptions = RetryOptions & RunnerOptions;

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = { concurrency: 4, retryBaseMs: 1000, retryMaxMs: 5 * 60_000, pollMs: 30_000 };


export const DELIVERY_ORDER: Prisma.DeliveryOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "asc" }];

/**
 * Prompt problems that refuse a delivery: tags a backend would misread, more adapters or heavier weights than
 * allowed, and deleted adapters. An unknown name passes: the backend may have a LoRA we do not.
 */
const REFUSING = new Set<PromptProblemCode>([...LORA_SYNTAX_CODES, "WEIGHT_OUT_OF_RANGE", "TOO_MANY_ADAPTERS", "ADAPTER_DELETED"]);

/** Prompts sent to external backends (SD.Next / A1111, webhooks, commands) as background jobs with retries. */
export class DeliveryService {
  private readonly scheduler: DeliveryScheduler;

  constructor(private readonly deps: DeliveryServiceDeps) {
    const executorDeps = { allowedHosts: deps.allowedHosts, commands: deps.commands, files: deps.files };
    const options = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.runner };
    const attempts = new DeliveryAttempts({
      prisma: deps.prisma,
      activity: deps.activity,
      logger: deps.logger,
      execute: (delivery, signal) => executeDelivery(delivery, executorDeps, signal),
      changed: (id) => this.publishChange(id),
      retry: options,
    });
    this.scheduler = deps.queue
      ? deps.queue(attempts, options.concurrency)
      : new DeliveryRunner({ prisma: deps.prisma, attempts, logger: deps.logger, attemptDeadlineMs: (delivery) => this.attemptDeadlineMs(delivery), options });
  }

  private get prisma() {
    return this.deps.prisma;
  }

  /** Starts the background attempts: deliveries left PENDING (or orphaned RUNNING) by stopped processes go first. */
  async start(): Promise<void> {
    this.scheduler.start();
    // the in-process runner finds due and orphaned rows itself; a queue must be told what the rows say waits
    if (this.deps.queue) await this.requeue();
  }

  /**
   * Schedules what the database says waits: after a start, and after a Redis that may have lost its queues came back.
   * A delivery scheduled twice runs once (its queue job is keyed by the delivery).
   */
  async requeue(): Promise<void> {
    const waiting = await this.prisma.delivery.findMany({
      where: { status: { in: ["PENDING", "RUNNING"] } },
      select: { id: true, status: true, nextAttemptAt: true, startedAt: true, createdAt: true, mode: true, target: true, params: true },
    });
    for (const delivery of waiting) {
      if (delivery.status === "PENDING" || isOrphaned(delivery, this.attemptDeadlineMs(delivery))) this.scheduler.schedule(delivery.id, delivery.nextAttemptAt);
    }
  }

  close(): Promise<void> {
    return this.scheduler.close();
  }

  listWhere(filter: { status?: DeliveryStatus | null }): Prisma.DeliveryWhereInput {
    return filter.status ? { status: filter.status } : {};
  }

  /** Checks everything first, so a refused request stores nothing; then queues the delivery. */
  async create(rawInput: unknown): Promise<Delivery> {
    const input = parseInput(createDeliveryInput, rawInput);
    const { target, timeoutSeconds } = this.resolveTarget(input);
    const reading = await this.deps.prompts.parse({ prompt: input.prompt });
    const refusals = reading.problems.filter((p) => REFUSING.has(p.code));
    if (refusals.length > 0) {
      const fieldErrors = refusals.map((p) => ({ field: "prompt", message: `${reading.tags[p.tagIndex!]?.raw ?? ""} at ${p.start}–${p.end}: ${p.message}` }));
      throw new BadUserInputError(fieldErrors.map((e) => e.message).join("; "), fieldErrors);
    }
    const params = paramsOf(input, timeoutSeconds, reading);
    const delivery = await this.deps.activity.transaction(this.prisma, async (tx) => {
      const created = await tx.delivery.create({
        data: {
          mode: input.mode,
          target,
          prompt: input.prompt,
          params: params as Prisma.InputJsonObject,
          maxAttempts: input.maxAttempts ?? DEFAULTS.maxAttempts,
          nextAttemptAt: new Date(),
        },
      });
      return {
        result: created,
        event: { type: "DELIVERY_CREATED", message: `${input.mode} delivery to ${target} queued`, subjectType: "Delivery", subjectId: created.id },
      };
    });
    this.publishChange(delivery.id);
    this.scheduler.schedule(delivery.id);
    return delivery;
  }

  /** The delivery now, then after each change (claimed, retried, put back), until it has succeeded or failed. */
  statusStream(id: string): AsyncGenerator<Delivery> {
    return followState({
      changes: this.deps.events.subscribe("deliveryStatus", id),
      load: () => this.prisma.delivery.findUniqueOrThrow({ where: { id } }),
      isFinal: (delivery) => delivery.status === "SUCCEEDED" || delivery.status === "FAILED",
      same: (previous, next) => previous.status === next.status && previous.attempts === next.attempts && previous.nextAttemptAt?.getTime() === next.nextAttemptAt?.getTime(),
      sync: this.deps.events,
    });
  }

  /** Every delivery's changes from now on, for lists that show them. */
  updates(): AsyncIterable<{ id: string }> {
    return this.deps.events.subscribe("deliveryUpdated");
  }

  private publishChange(id: string): void {
    this.deps.events.publish("deliveryStatus", id, { id });
    this.deps.events.publish("deliveryUpdated", { id });
  }

  /** The stored PNG of a delivery's image as it is read, or null when the delivery has no such image. */
  async readImage(id: string, index: number): Promise<Readable | null> {
    const delivery = await this.prisma.delivery.findUnique({ where: { id }, select: { result: true } });
    const image = readResult(delivery?.result)?.images?.find((i) => i.index === index);
    return image ? this.deps.files.read(id, imageFileName(index)) : null;
  }

  /** The command templates CLI deliveries may name. */
  commandTemplates(): { name: string; timeoutSeconds: number }[] {
    return this.deps.commands.map(({ name, timeoutSeconds }) => ({ name, timeoutSeconds }));
  }

  allowedHosts(): string[] {
    return this.deps.allowedHosts.map((h) => (h.port === null ? h.hostname : `${h.hostname}:${h.port}`));
  }

  private resolveTarget(input: CreateDeliveryInput): { target: string; timeoutSeconds: number } {
    if (input.mode === "CLI") {
      const command = this.deps.commands.find((c) => c.name === input.command);
      if (!command) {
        const known = this.deps.commands.map((c) => c.name);
        const hint = known.length > 0 ? `configured: ${known.join(", ")}` : "none is configured (DELIVERY_COMMANDS)";
        throw BadUserInputError.forField("command", `unknown command template '${input.command}'; ${hint}`);
      }
      return { target: command.name, timeoutSeconds: command.timeoutSeconds };
    }
    const check = checkTarget(input.url!, this.deps.allowedHosts);
    if (!check.ok) throw BadUserInputError.forField("url", check.message);
    return { target: check.url.href, timeoutSeconds: input.timeoutSeconds ?? DEFAULTS.timeoutSeconds };
  }

  private attemptDeadlineMs(delivery: Pick<Delivery, "mode" | "target" | "params">): number {
    const stored = storedParams.safeParse(delivery.params);
    const template = delivery.mode === "CLI" ? this.deps.commands.find((c) => c.name === delivery.target)?.timeoutSeconds ?? 0 : 0;
    return Math.max(stored.success ? stored.data.timeoutSeconds : MAX_TIMEOUT_SECONDS, template) * 1000;
  }
}

function paramsOf(input: CreateDeliveryInput, timeoutSeconds: number, reading: PromptReading): StoredParams {
  const given = input.params ?? {};
  const fallback = input.mode === "SDNEXT" ? SDNEXT_DEFAULTS : null;
  return {
    negativePrompt: given.negativePrompt ?? null,
    steps: given.steps ?? fallback?.steps ?? null,
    cfgScale: given.cfgScale ?? fallback?.cfgScale ?? null,
    sampler: given.sampler ?? fallback?.sampler ?? null,
    width: given.width ?? fallback?.width ?? null,
    height: given.height ?? fallback?.height ?? null,
    seed: given.seed ?? fallback?.seed ?? null,
    timeoutSeconds,
    loraTokens: reading.tags.map((tag) => tag.raw),
    loras: reading.tags.filter((tag) => tag.name).map((tag) => {
      const live = tag.adapter && !tag.adapter.deletedAt ? tag.adapter : null;
      return { name: tag.name, weight: tag.weight, adapterId: live?.id ?? null, version: live?.version ?? null, autoV2: live ? autoV2(live.sha256) : null };
    }),
    loraHashes: reading.loraHashes,
  };
}
