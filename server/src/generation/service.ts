import { randomInt, randomUUID } from "node:crypto";
import { Prisma, type Adapter, type BaseModel, type GenerationJob, type GenerationStatus, type PrismaClient, type Rating, type Sample } from "../generated/prisma/client.js";
import type { ActivityService } from "../activity/service.js";
import { COMPOSITION_ORDER } from "../adapters/service.js";
import type { BaseModelCapabilities } from "../base-models/catalogue.js";
import { compatibilityOf, type BaseModelService } from "../base-models/service.js";
import { AdapterDeletedError, BadUserInputError, IncompatibleAdapterError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import type { PromptProblemCode, PromptService } from "../prompts/service.js";
import { loraHashesLine, parseLoraTags } from "../formats/a1111-prompt.js";
import { DEFAULT_METER, STEP_SECONDS, type Melody } from "../ml/melody.js";
import { sampledMelodySchema, type SampledMelody } from "../contracts/melody.js";
import { styleForPrompt } from "../ml/prompt-style.js";
import { generationProgressReport, type GenerationCommand, type SidecarCommand } from "../contracts/sidecar.js";
import { followState, only, type EventBus } from "../pubsub/pubsub.js";
import type { GenerationQueue } from "../queue/queue.js";
import { VISIBLE_JOB } from "../ab-tests/visibility.js";
import { recountAdapterRatings } from "../evaluation/attribution.js";
import {
  createGenerationJobInput, DEFAULT_DURATION_SECONDS, finishGenerationInput, generationParams, MAX_ADAPTERS, MAX_SEED, rateSampleInput,
  type GenerationJobFilter, type GenerationParams,
} from "./inputs.js";
import { askedAdapters, mergeTags } from "./prompt-tags.js";
import { sampleStorageKey, type SampleFiles } from "./sample-files.js";
import { scoreSample, styleReference, type ScoreReference } from "./sample-scores.js";

type Tx = Prisma.TransactionClient;

/**
 * Problems of a prompt's tags that a job's other checks report with their own codes: the adapter checks, the count
 * once tags and picked adapters are merged, and the base model's.
 */
const DECIDED_ELSEWHERE: PromptProblemCode[] = ["ADAPTER_DELETED", "INCOMPATIBLE_ADAPTER", "INACTIVE_ADAPTER", "TOO_MANY_ADAPTERS", "UNKNOWN_BASE_MODEL"];

export interface GenerationServiceDeps {
  prompts: PromptService;
  prisma: PrismaClient;
  activity: ActivityService;
  events: EventBus;
  queue: GenerationQueue;
  baseModels: BaseModelService;
  files: SampleFiles;
  /** GENERATION_RETRIES: times a job whose sidecar was lost is queued again before it fails */
  retries: number;
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
      // an open A/B test's jobs are counted when the test reveals them (AbTestService)
      if (!abTestSide) await countUse(tx, adapters);
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
   * The prompt's <lora:name:weight> tags join the adapters asked for, as AUTOMATIC1111 applies every tag it reads: a tag
   * naming an asked-for adapter's name is that adapter (so a version other than the latest can be asked for) and must
   * carry its weight; any other tag adds the adapter its name reads as. One adapter at two weights, or more than five
   * in all, refuses the job: no tag of a stored prompt goes unused. Tags that cannot be read (syntax, unknown names,
   * weights out of range) refuse it with their positions; deleted, incompatible or inactive adapters are refused below
   * with their own codes.
   */
  private async withPromptAdapters(rawInput: unknown): Promise<unknown> {
    const input = rawInput as { prompt?: unknown; baseModelId?: unknown; adapters?: unknown } | null;
    if (!input || typeof input.prompt !== "string" || !input.prompt.includes("<lora:")) return rawInput;
    const reading = await this.deps.prompts.parse({ prompt: input.prompt, baseModelId: input.baseModelId });
    const unreadable = reading.problems.filter((problem) => problem.severity === "ERROR" && !DECIDED_ELSEWHERE.includes(problem.code));
    if (unreadable.length > 0) throw promptError(unreadable.map((problem) => (problem.start === null ? problem.message : `at ${problem.start}: ${problem.message}`)));
    const asked = askedAdapters(input.adapters);
    const askedNames = await this.prisma.adapter.findMany({ where: { id: { in: asked.map((entry) => entry.adapterId) } }, select: { id: true, name: true } });
    const merged = mergeTags(asked, reading.tags, (name) => askedNames.find((adapter) => adapter.name === name)?.id ?? null);
    if (merged.conflicts.length > 0) throw promptError(merged.conflicts);
    if (merged.adapters.length > MAX_ADAPTERS) {
      throw BadUserInputError.forField(
        "adapters",
        `at most ${MAX_ADAPTERS} adapters per generation, the prompt's <lora:…> tags and the adapters picked together; these name ${merged.adapters.length}: remove some`,
      );
    }
    return { ...input, adapters: merged.adapters };
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
      orderBy: COMPOSITION_ORDER,
      take: COMPATIBLE_SUGGESTIONS,
    });
  }

  // ---- the sidecar's side ----------------------------------------------------------------------

  /** QUEUED -> RUNNING on this sidecar; null when the job is gone, no longer queued, or lost an adapter meanwhile. */
  async dispatch(jobId: string, sidecarId: string): Promise<SidecarCommand | null> {
    const claimed = await this.prisma.generationJob.updateMany({
      where: { id: jobId, status: "QUEUED" },
      data: { status: "RUNNING", sidecarId, startedAt: new Date(), progress: 0, attempts: { increment: 1 } },
    });
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
    const { jobId, progress } = parseInput(generationProgressReport, rawInput);
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
   * Every job still running on a sidecar that went away is queued again for another sidecar while it has retries left
   * (GENERATION_RETRIES), else ends FAILED with the reason. Their slots are not given back: the connection they
   * belonged to is gone, and a freed slot there would hand a queued job to the dead sidecar. Returns how many there were.
   */
  async sidecarLost(sidecarId: string, reason: string): Promise<number> {
    return this.loseRunning({ sidecarId }, reason);
  }

  private async loseRunning(where: Prisma.GenerationJobWhereInput, reason: string): Promise<number> {
    const jobs = await this.prisma.generationJob.findMany({ where: { ...where, status: "RUNNING" } });
    for (const job of jobs) {
      if (job.attempts <= this.deps.retries) await this.retry(job, reason);
      else await this.end(job, { status: "FAILED", error: job.attempts > 1 ? `${reason} (after ${job.attempts} attempts)` : reason }, { releaseSlot: false });
    }
    return jobs.length;
  }

  /** Back to QUEUED and the queue; nothing happens when the job has moved on meanwhile (another replica did it). */
  private async retry(job: GenerationJob, reason: string): Promise<void> {
    const message = `generation job ${job.id.slice(0, 8)} queued again (attempt ${job.attempts + 1} of ${this.deps.retries + 1}): ${reason}`;
    try {
      await this.deps.activity.transaction(this.prisma, async (tx) => {
        const moved = await tx.generationJob.updateMany({
          where: { id: job.id, status: "RUNNING", sidecarId: job.sidecarId, attempts: job.attempts },
          data: { status: "QUEUED", sidecarId: null, startedAt: null, progress: 0 },
        });
        if (moved.count === 0) throw new JobMovedOn();
        return { result: null, event: { type: "GENERATION_RETRIED", message, subjectType: "GenerationJob", subjectId: job.id } };
      });
    } catch (error) {
      if (error instanceof JobMovedOn) return;
      throw error;
    }
    this.publishStatus(job);
    await this.deps.queue.add({ jobId: job.id, baseModelId: job.baseModelId });
  }

  /**
   * At start: jobs left RUNNING by a previous API process (whose embedded sidecar died with it) are lost as that
   * sidecar's would be; QUEUED ones are queued again (a queue that kept them takes each once).
   */
  async recover(loseRunning: boolean): Promise<void> {
    if (loseRunning) await this.loseRunning({}, "the API stopped while the job was executing");
    await this.requeue();
  }

  /** Every QUEUED job on the queue (again): a queue that kept them (or took one meanwhile) takes each once. */
  async requeue(): Promise<void> {
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

  /** The changes of listed jobs from now on: an A/B test's jobs change only while the test is open, so never. */
  updates(): AsyncIterable<{ id: string }> {
    return only(this.deps.events.subscribe("generationUpdated"), (job) => job.abTestId === null);
  }

  /** Which of one A/B test's jobs changed, from now on (its page follows the test, never the jobs). */
  abTestJobUpdates(abTestId: string): AsyncIterable<{ id: string }> {
    return only(this.deps.events.subscribe("generationUpdated"), (job) => job.abTestId === abTestId);
  }

  // ---- ratings -------------------------------------------------------------------------------

  /**
   * The rater's rating of a sample, given or changed: one per sample and rater, who is the API key presented, else the
   * browser's own raterId. An adapter's aggregates are recounted when the sample's job used it alone (see attribution).
   */
  async rate(rawInput: unknown, keyId: string | null): Promise<{ rating: Rating; sample: Sample }> {
    const { sampleId, score, raterId } = parseInput(rateSampleInput, rawInput);
    const rater = raterOf(keyId, raterId);
    if (!rater) throw BadUserInputError.forField("raterId", "say who rates: present an API key, or pass the raterId your browser keeps, so rating again changes the rating");
    const sample = await this.prisma.sample.findFirst({ where: { id: sampleId, job: VISIBLE_JOB }, include: { job: { select: { adapters: { select: { adapterId: true } } } } } });
    if (!sample) throw new NotFoundError(`sample '${sampleId}' does not exist`);
    const soleAdapter = sample.job.adapters.length === 1 ? sample.job.adapters[0]!.adapterId : null;
    const rating = await this.deps.activity.transaction(this.prisma, async (tx) => {
      const given = await tx.rating.upsert({ where: { sampleId_rater: { sampleId, rater } }, create: { sampleId, rater, score }, update: { score } });
      if (soleAdapter) await recountAdapterRatings(tx, soleAdapter);
      return { result: given, event: { type: "SAMPLE_RATED", message: `sample ${sample.index + 1} of job ${sample.jobId.slice(0, 8)} rated ${score}/5`, subjectType: "Sample", subjectId: sampleId, data: { score } } };
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
      AND: [VISIBLE_JOB],
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.baseModelId ? { baseModelId: filter.baseModelId } : {}),
      ...(filter.adapterId ? { adapters: { some: { adapterId: filter.adapterId } } } : {}),
      ...(filter.promptContains?.trim() ? { prompt: { contains: filter.promptContains.trim(), mode: "insensitive" as const } } : {}),
      ...(filter.createdAfter || filter.createdBefore ? { createdAt: { gte: filter.createdAfter ?? undefined, lt: filter.createdBefore ?? undefined } } : {}),
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
      sync: this.deps.events,
    });
  }
}

/** The prompt's tags refused, each message under the prompt field. */
function promptError(messages: string[]): BadUserInputError {
  return new BadUserInputError(messages.join("; "), messages.map((message) => ({ field: "prompt", message })));
}

/** A job a retry was about to move back to the queue had moved on meanwhile. */
class JobMovedOn extends Error {}

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

/** Who rates: the API key presented, else the id the browser keeps; null with neither. */
export function raterOf(keyId: string | null, raterId: string | null | undefined): string | null {
  if (keyId) return `key:${keyId}`;
  return raterId ? `browser:${raterId}` : null;
}

export function paramsOf(job: Pick<GenerationJob, "params">): GenerationParams {
  return generationParams.parse(job.params);
}

type JobWithAdapters = GenerationJob & { adapters: { adapterId: string; weight: number; adapter: Adapter }[] };

function commandOf(job: JobWithAdapters, params: GenerationParams): GenerationCommand {
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
