import { randomInt, randomUUID } from "node:crypto";
import { Prisma, type Adapter, type BaseModel, type GenerationJob, type GenerationStatus, type PrismaClient, type Rating, type Sample } from "../generated/prisma/client.js";
import type { ActivityService } from "../activity/service.js";
import type { BaseModelCapabilities } from "../base-models/catalogue.js";
import { compatibilityOf, type BaseModelService } from "../base-models/service.js";
import { AdapterDeletedError, BadUserInputError, IncompatibleAdapterError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import type { PromptProblemCode, PromptService } from "../prompts/service.js";
import { loraHashesLine, parseLoraTags } from "../formats/a1111-prompt.js";
import { DEFAULT_METER, STEP_SECONDS, type Melody } from "../ml/melody.js";
import { sampledMelodySchema, type SampledMelody } from "../ml/melody-schema.js";
import { styleForPrompt } from "../ml/prompt-style.js";
import { followState, only, type EventBus, type GenerationCommandPayload, type SidecarCommandPayload } from "../pubsub/pubsub.js";
import type { GenerationQueue } from "../queue/queue.js";
import {
  createGenerationJobInput, DEFAULT_DURATION_SECONDS, finishGenerationInput, generationParams, generationProgressInput, rateSampleInput,
  type GenerationJobFilter, type GenerationParams,
} from "./inputs.js";
import { sampleStorageKey, type SampleFiles } from "./sample-files.js";
import { scoreSample, styleReference, type ScoreReference } from "./sample-scores.js";

type Tx = Prisma.TransactionClient;

/** Problems of a prompt's tags that the adapter checks of a job report with their own codes. */
const DECIDED_BY_ADAPTER_CHECKS: PromptProblemCode[] = ["ADAPTER_DELETED", "INCOMPATIBLE_ADAPTER", "INACTIVE_ADAPTER"];

export interface GenerationServiceDeps {
  prompts: PromptService;
  prisma: PrismaClient;
  activity: ActivityService;
  events: EventBus;
  queue: GenerationQueue;
  baseModels: BaseModelService;
  files: SampleFiles;
}

/** the A/B test a job generates samples for, and the side */
export interface AbTestSide {
  abTestId: string;
  abSide: "A" | "B";
}

const TERMINAL: GenerationStatus[] = ["DONE", "FAILED"];
const COMPATIBLE_SUGGESTIONS = 20;
/** a dataset's items scored against, at most */
const DATASET_REFERENCE_ITEMS = 500;
const MAX_SEED = 2 ** 31 - 1;
const DEFAULT_SAMPLE_RATE = 22_050;

const isFinished = (status: GenerationStatus) => TERMINAL.includes(status);

const adapterLabel = (adapter: Pick<Adapter, "name" | "version">) => `'${adapter.name}' ${adapter.version}`;
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The words that condition the model: the prompt without its <lora:name:weight> tags. */
function conditioningText(prompt: string): string {
  return parseLoraTags(prompt).text;
}

export class GenerationService {
  constructor(private readonly deps: GenerationServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  /** where samples' WAV and MIDI files are, for the routes that serve them */
  get files(): SampleFiles {
    return this.deps.files;
  }

  // ---- creating a job ------------------------------------------------------------------------

  /**
   * Refused with nothing stored when an adapter is deleted (ADAPTER_DELETED), made for another base model
   * (INCOMPATIBLE_ADAPTER, with adapters that fit), inactive, or when a bound is broken (BAD_USER_INPUT). Stores the job
   * with its adapters in order and the "Lora hashes" provenance, counts a use of each adapter, then queues it.
   */
  async create(rawInput: unknown, abTestSide?: AbTestSide): Promise<GenerationJob> {
    const { input, baseModel, adapters, params } = await this.checked(rawInput);
    const job = await this.deps.activity.transaction(this.prisma, async (tx) => {
      const created = await tx.generationJob.create({
        data: {
          ...abTestSide,
          prompt: input.prompt,
          baseModelId: baseModel.id,
          params,
          loraHashes: loraHashesLine(adapters),
          adapters: { create: input.adapters.map(({ adapterId, weight }, position) => ({ adapterId, weight, position })) },
        },
      });
      await countUse(tx, adapters);
      const using = adapters.length === 0 ? "no adapter" : adapters.map((adapter, index) => `${adapter.name} ${adapter.version} at ${input.adapters[index]!.weight}`).join(", ");
      const message = `generation of ${plural(params.samples, "melody", "melodies")} with ${baseModel.displayName} and ${using} queued`;
      return { result: created, event: { type: "GENERATION_QUEUED", message, subjectType: "GenerationJob", subjectId: created.id } };
    });
    await this.deps.queue.add({ jobId: job.id, baseModelId: job.baseModelId });
    this.publishStatus(job);
    return job;
  }

  /** create()'s checks alone, with the same errors, storing nothing: an A/B test checks all its jobs before making any. */
  async check(rawInput: unknown): Promise<void> {
    await this.checked(rawInput);
  }

  private async checked(rawInput: unknown) {
    const input = parseInput(createGenerationJobInput, await this.withPromptAdapters(rawInput));
    const baseModel = await this.servedBaseModel(input.baseModelId);
    const durationSeconds = this.duration(baseModel, input.durationSeconds);
    const adapters = await this.usableAdapters(baseModel, input.adapters.map((entry) => entry.adapterId));
    const params: GenerationParams = { durationSeconds, samples: input.samples, temperature: input.temperature, topK: input.topK, seed: input.seed ?? randomInt(0, MAX_SEED) };
    return { input, baseModel, adapters, params };
  }

  private async servedBaseModel(id: string): Promise<BaseModel> {
    const model = await this.deps.baseModels.findById(id);
    if (!model) throw BadUserInputError.forField("baseModelId", `base model '${id}' does not exist; see the baseModels query for the catalogue`);
    if (!model.builtin) {
      throw BadUserInputError.forField("baseModelId", `${model.displayName} is not served by our sidecar; deliver the prompt to an external backend (createDelivery) instead`);
    }
    return model;
  }

  private duration(baseModel: BaseModel, asked: number | null | undefined): number {
    const max = (baseModel.capabilities as BaseModelCapabilities).maxDurationSeconds ?? DEFAULT_DURATION_SECONDS;
    const duration = asked ?? Math.min(DEFAULT_DURATION_SECONDS, max);
    if (duration > max) throw BadUserInputError.forField("durationSeconds", `${baseModel.displayName} makes melodies of at most ${max} s; got ${duration} s`);
    if (duration < STEP_SECONDS) throw BadUserInputError.forField("durationSeconds", `a melody lasts at least one step (${STEP_SECONDS} s); got ${duration} s`);
    return duration;
  }

  /**
   * A job may be created from an A1111-style prompt: without an `adapters` list, the prompt's <lora:name:weight>
   * tags choose them. Tags that cannot be read (syntax, unknown names, too many) refuse the job with their positions;
   * deleted, incompatible or inactive adapters are refused below with their own codes.
   */
  private async withPromptAdapters(rawInput: unknown): Promise<unknown> {
    const input = rawInput as { prompt?: unknown; baseModelId?: unknown; adapters?: unknown } | null;
    if (!input || input.adapters != null || typeof input.prompt !== "string" || !input.prompt.includes("<lora:")) return rawInput;
    const reading = await this.deps.prompts.parse({ prompt: input.prompt, baseModelId: input.baseModelId });
    const unreadable = reading.problems.filter((problem) => problem.severity === "ERROR" && !DECIDED_BY_ADAPTER_CHECKS.includes(problem.code));
    if (unreadable.length > 0) {
      const fieldErrors = unreadable.map((problem) => ({ field: "prompt", message: problem.start === null ? problem.message : `at ${problem.start}: ${problem.message}` }));
      throw new BadUserInputError(fieldErrors.map((error) => error.message).join("; "), fieldErrors);
    }
    const adapters = reading.tags.flatMap((tag) => (tag.adapter ? [{ adapterId: tag.adapter.id, weight: tag.weight }] : []));
    return { ...input, adapters };
  }

  /** The adapters in the order asked, each live, made for (or accepted by) the base model, and active. */
  private async usableAdapters(baseModel: BaseModel, ids: string[]): Promise<Adapter[]> {
    if (ids.length === 0) return [];
    const found = await this.prisma.adapter.findMany({ where: { id: { in: ids } }, include: { baseModel: true } });
    const missing = ids.filter((id) => !found.some((adapter) => adapter.id === id));
    if (missing.length > 0) throw new NotFoundError(`adapter(s) ${missing.map((id) => `'${id}'`).join(", ")} do not exist`);
    const adapters = ids.map((id) => found.find((adapter) => adapter.id === id)!);
    const deleted = adapters.find((adapter) => adapter.deletedAt);
    if (deleted) {
      throw new AdapterDeletedError(`adapter ${adapterLabel(deleted)} was deleted on ${deleted.deletedAt!.toISOString()} and cannot be used; pick another adapter`, deleted.id);
    }
    const fits = await this.deps.baseModels.compatibleIds(baseModel.id);
    const misfit = adapters.find((adapter) => !fits.includes(adapter.baseModelId) || !fitsArchitecture(adapter, baseModel));
    if (misfit) {
      const reason = fits.includes(misfit.baseModelId)
        ? `targets modules ${misfit.targetModules.join(", ")}, which ${baseModel.displayName} does not have`
        : compatibilityOf(misfit.baseModel, baseModel, baseModel.id).reason;
      const suggestions = await this.compatibleAdapters(fits, ids);
      throw new IncompatibleAdapterError(`adapter ${adapterLabel(misfit)} does not fit: ${reason}`, misfit.id, suggestions);
    }
    const field = (adapter: Adapter) => `adapters.${ids.indexOf(adapter.id)}.adapterId`;
    const inactive = adapters.find((adapter) => !adapter.active);
    if (inactive) throw BadUserInputError.forField(field(inactive), `adapter ${adapterLabel(inactive)} is inactive; activate it to generate with it`);
    const pickled = adapters.find((adapter) => adapter.pickledWeights);
    if (pickled) throw BadUserInputError.forField(field(pickled), `adapter ${adapterLabel(pickled)} has pickled weights, which are never loaded; convert them to safetensors`);
    return adapters;
  }

  private compatibleAdapters(baseModelIds: string[], exclude: string[]): Promise<Adapter[]> {
    return this.prisma.adapter.findMany({
      where: { deletedAt: null, active: true, pickledWeights: false, baseModelId: { in: baseModelIds }, id: { notIn: exclude } },
      orderBy: [{ ordinal: "asc" }, { name: "asc" }, { createdAt: "desc" }],
      take: COMPATIBLE_SUGGESTIONS,
    });
  }

  // ---- the sidecar's side ----------------------------------------------------------------------

  /** QUEUED -> RUNNING on this sidecar; null when the job is gone, no longer queued, or lost an adapter meanwhile. */
  async dispatch(jobId: string, sidecarId: string): Promise<SidecarCommandPayload | null> {
    const claimed = await this.prisma.generationJob.updateMany({ where: { id: jobId, status: "QUEUED" }, data: { status: "RUNNING", sidecarId, startedAt: new Date(), progress: 0 } });
    if (claimed.count === 0) return null;
    const job = await this.prisma.generationJob.findUniqueOrThrow({
      where: { id: jobId },
      include: { adapters: { include: { adapter: true }, orderBy: { position: "asc" } } },
    });
    const deleted = job.adapters.find(({ adapter }) => adapter.deletedAt);
    if (deleted) {
      await this.end(job, { status: "FAILED", error: `adapter ${adapterLabel(deleted.adapter)} was deleted before the job started` });
      return null;
    }
    this.publishStatus(job);
    return { kind: "GENERATE", generation: commandOf(job, paramsOf(job)) };
  }

  /** A running job's fraction done; only forward, so a late report cannot move it back. Returns the stored fraction. */
  async reportProgress(rawInput: unknown): Promise<number> {
    const { jobId, progress } = parseInput(generationProgressInput, rawInput);
    const job = await this.findRunning(jobId);
    if (progress <= job.progress) return job.progress;
    const updated = await this.prisma.generationJob.updateMany({ where: { id: jobId, status: "RUNNING", progress: { lt: progress } }, data: { progress } });
    if (updated.count > 0) this.publishStatus(job);
    return progress;
  }

  /**
   * The sidecar's result: the melodies (one per sample, in order), rendered here to WAV and MIDI and scored, the job
   * DONE; or its error, the job FAILED. A report for a job that has already ended changes nothing.
   */
  async finish(rawInput: unknown): Promise<GenerationJob> {
    const input = parseInput(finishGenerationInput, rawInput);
    const job = await this.find(input.jobId);
    if (isFinished(job.status)) return job;
    if (job.status !== "RUNNING") throw BadUserInputError.forField("jobId", `generation job '${job.id}' is ${job.status.toLowerCase()}, not running`);
    if (!input.melodies) return this.end(job, { status: "FAILED", error: input.error! });
    const params = paramsOf(job);
    if (input.melodies.length !== params.samples) {
      throw BadUserInputError.forField("melodies", `the job asked for ${plural(params.samples, "melody", "melodies")}, the report has ${input.melodies.length}`);
    }
    return this.complete(job, input.melodies);
  }

  private async complete(job: GenerationJob, melodies: SampledMelody[]): Promise<GenerationJob> {
    const reference = await this.scoreReference(job);
    const sampleRate = await this.sampleRate(job.baseModelId);
    const samples = melodies.map((melody, index) => {
      const id = randomUUID();
      return { id, jobId: job.id, index, melody, storageKey: sampleStorageKey(id) };
    });
    // Best effort: a folder that cannot be removed (the disk's fault, as a failed write may be) must not keep the job from ending.
    const removeFiles = () => Promise.allSettled(samples.map((sample) => this.deps.files.remove(sample.storageKey)));
    // All at once across the worker pool's threads; every write has settled before a failure removes what was written.
    const written = await Promise.allSettled(samples.map((sample) => this.deps.files.write(sample.storageKey, sample.melody, { sampleRate, name: `${job.prompt} #${sample.index + 1}` })));
    const failed = written.find((result) => result.status === "rejected");
    if (failed) {
      await removeFiles();
      const code = (failed.reason as NodeJS.ErrnoException).code;
      return this.end(job, { status: "FAILED", error: `the API could not write the samples' WAV and MIDI files${code ? ` (${code})` : ""}` });
    }
    const inTransaction = async (tx: Tx) => {
      await tx.sample.createMany({
        data: samples.map(({ melody, ...sample }) => ({
          ...sample,
          notes: melody as unknown as Prisma.InputJsonObject,
          scores: scoreSample(melody, reference) as unknown as Prisma.InputJsonObject,
          durationSeconds: melody.lengthSteps * STEP_SECONDS,
        })),
      });
    };
    try {
      return await this.end(job, { status: "DONE", progress: 1, error: null }, { inTransaction });
    } catch (error) {
      // The database failed: nothing was stored, so the sidecar's retry of this report starts over.
      await removeFiles();
      throw error;
    }
  }

  private async sampleRate(baseModelId: string): Promise<number> {
    const model = await this.deps.baseModels.findById(baseModelId);
    return (model?.capabilities as BaseModelCapabilities | undefined)?.sampleRate ?? DEFAULT_SAMPLE_RATE;
  }

  /** The style the prompt names; else the dataset that trained the job's first trained adapter; else none. */
  private async scoreReference(job: GenerationJob): Promise<ScoreReference | null> {
    const style = styleForPrompt(conditioningText(job.prompt));
    if (style) return styleReference(style);
    const trained = await this.prisma.generationJobAdapter.findMany({
      where: { jobId: job.id, adapter: { run: { experiment: { datasetId: { not: null } } } } },
      orderBy: { position: "asc" },
      take: 1,
      select: { adapter: { select: { run: { select: { experiment: { select: { dataset: { select: { id: true, name: true } } } } } } } } },
    });
    const dataset = trained[0]?.adapter.run?.experiment.dataset;
    if (!dataset) return null;
    const items = await this.prisma.datasetItem.findMany({ where: { datasetId: dataset.id }, orderBy: { position: "asc" }, take: DATASET_REFERENCE_ITEMS, select: { notes: true } });
    const melodies = items.flatMap(({ notes }) => {
      const parsed = sampledMelodySchema.safeParse(notes);
      return parsed.success ? [parsed.data as Melody] : [];
    });
    return { kind: "DATASET", id: dataset.id, name: dataset.name, melodies };
  }

  /**
   * Every job still running on a sidecar that went away ends FAILED with the reason. Their slots are not given back:
   * the connection they belonged to is gone, and a freed slot there would hand a queued job to the dead sidecar.
   */
  async failJobsOfSidecar(sidecarId: string, reason: string): Promise<number> {
    const jobs = await this.prisma.generationJob.findMany({ where: { sidecarId, status: "RUNNING" } });
    for (const job of jobs) await this.end(job, { status: "FAILED", error: reason }, { releaseSlot: false });
    return jobs.length;
  }

  /** At start: jobs left RUNNING by a previous API process (whose embedded sidecar died with it) fail; QUEUED ones are queued again. */
  async recover(failRunning: boolean): Promise<void> {
    if (failRunning) {
      for (const job of await this.prisma.generationJob.findMany({ where: { status: "RUNNING" } })) {
        await this.end(job, { status: "FAILED", error: "the API stopped while the job was executing" });
      }
    }
    for (const job of await this.prisma.generationJob.findMany({ where: { status: "QUEUED" }, orderBy: { createdAt: "asc" } })) {
      await this.deps.queue.add({ jobId: job.id, baseModelId: job.baseModelId });
    }
  }

  private async end(
    job: GenerationJob,
    data: { status: "DONE" | "FAILED"; error: string | null; progress?: number },
    { inTransaction, releaseSlot = true }: { inTransaction?: (tx: Tx) => Promise<void>; releaseSlot?: boolean } = {},
  ): Promise<GenerationJob> {
    const ended = await this.deps.activity.transaction(this.prisma, async (tx) => {
      await inTransaction?.(tx);
      const updated = await tx.generationJob.update({ where: { id: job.id }, data: { ...data, finishedAt: new Date() } });
      const how = data.status === "DONE" ? "finished" : `failed: ${data.error}`;
      return { result: updated, event: { type: `GENERATION_${data.status}`, message: `generation job ${job.id.slice(0, 8)} ${how}`, subjectType: "GenerationJob", subjectId: job.id } };
    });
    this.publishStatus(ended);
    this.deps.events.publish("generationEnded", { id: ended.id, abTestId: ended.abTestId });
    if (ended.sidecarId && releaseSlot) this.deps.events.publish("sidecarGenerationEnded", ended.sidecarId, { id: ended.id });
    return ended;
  }

  private publishStatus({ id, abTestId }: Pick<GenerationJob, "id" | "abTestId">): void {
    this.deps.events.publish("generationStatus", id, { id });
    this.deps.events.publish("generationUpdated", { id, abTestId });
  }

  /** Every job's changes from now on, or only those of one A/B test's jobs. */
  updates(abTestId: string | null): AsyncIterable<{ id: string }> {
    const all = this.deps.events.subscribe("generationUpdated");
    return abTestId === null ? all : only(all, (job) => job.abTestId === abTestId);
  }

  // ---- ratings -------------------------------------------------------------------------------

  /** Stores the rating and adds it to the rating sum and count of every adapter the sample's job used. */
  async rate(rawInput: unknown): Promise<{ rating: Rating; sample: Sample }> {
    const { sampleId, score } = parseInput(rateSampleInput, rawInput);
    const sample = await this.prisma.sample.findUnique({ where: { id: sampleId }, include: { job: { select: { adapters: { select: { adapterId: true } } } } } });
    if (!sample) throw new NotFoundError(`sample '${sampleId}' does not exist`);
    const adapterIds = sample.job.adapters.map((entry) => entry.adapterId);
    const rating = await this.deps.activity.transaction(this.prisma, async (tx) => {
      const created = await tx.rating.create({ data: { sampleId, score } });
      if (adapterIds.length > 0) {
        await tx.$executeRaw`UPDATE "Adapter" SET "ratingSum" = "ratingSum" + ${score}, "ratingCount" = "ratingCount" + 1 WHERE "id" IN (${Prisma.join(adapterIds)})`;
      }
      return { result: created, event: { type: "SAMPLE_RATED", message: `sample ${sample.index + 1} of job ${sample.jobId.slice(0, 8)} rated ${score}/5`, subjectType: "Sample", subjectId: sampleId, data: { score } } };
    });
    const { job: _job, ...plain } = sample;
    return { rating, sample: plain };
  }

  // ---- reads ---------------------------------------------------------------------------------

  async find(id: string): Promise<GenerationJob> {
    const job = await this.prisma.generationJob.findUnique({ where: { id } });
    if (!job) throw new NotFoundError(`generation job '${id}' does not exist`);
    return job;
  }

  private async findRunning(id: string): Promise<GenerationJob> {
    const job = await this.find(id);
    if (job.status !== "RUNNING") throw BadUserInputError.forField("jobId", `generation job '${id}' is ${job.status.toLowerCase()}, not running`);
    return job;
  }

  listWhere(filter: GenerationJobFilter): Prisma.GenerationJobWhereInput {
    return {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.baseModelId ? { baseModelId: filter.baseModelId } : {}),
      ...(filter.adapterId ? { adapters: { some: { adapterId: filter.adapterId } } } : {}),
    };
  }

  // ---- subscriptions -------------------------------------------------------------------------

  /** The job now, then after every change (progress included), until it has ended. */
  progressStream(jobId: string): AsyncGenerator<GenerationJob> {
    return followState({
      changes: this.deps.events.subscribe("generationStatus", jobId),
      load: () => this.find(jobId),
      isFinal: (job) => isFinished(job.status),
      same: (previous, next) => previous.status === next.status && previous.progress === next.progress,
    });
  }
}

/** The adapter's layers are the base model's (its architecture fingerprint lists them); a model without one is not checked. */
function fitsArchitecture(adapter: Adapter, baseModel: BaseModel): boolean {
  const architecture = baseModel.architecture as Record<string, unknown> | null;
  return !architecture || adapter.targetModules.every((module) => module in architecture);
}

/** Adds one use to each adapter without touching updatedAt, which says when the adapter itself last changed. */
async function countUse(tx: Tx, adapters: Adapter[]): Promise<void> {
  if (adapters.length === 0) return;
  await tx.$executeRaw`UPDATE "Adapter" SET "usageCount" = "usageCount" + 1 WHERE "id" IN (${Prisma.join(adapters.map((adapter) => adapter.id))})`;
}

export function paramsOf(job: GenerationJob): GenerationParams {
  return generationParams.parse(job.params);
}

type JobWithAdapters = GenerationJob & { adapters: { adapterId: string; weight: number; adapter: Adapter }[] };

function commandOf(job: JobWithAdapters, params: GenerationParams): GenerationCommandPayload {
  const prompt = conditioningText(job.prompt);
  return {
    jobId: job.id,
    baseModelId: job.baseModelId,
    prompt,
    meter: styleForPrompt(prompt)?.meter ?? DEFAULT_METER,
    maxSteps: Math.max(1, Math.round(params.durationSeconds / STEP_SECONDS)),
    samples: params.samples,
    temperature: params.temperature,
    topK: params.topK,
    seed: params.seed,
    adapters: job.adapters.map(({ adapter, weight }) => ({
      adapterId: adapter.id,
      name: adapter.name,
      version: adapter.version,
      weight,
      alpha: adapter.alpha,
      useRslora: adapter.useRslora,
      files: (adapter.files as { name: string; role: string; sha256: string; sizeBytes: number }[]).map((file) => ({
        ...file,
        url: `/sidecar/adapters/${adapter.id}/${file.name}`,
      })),
    })),
  };
}
