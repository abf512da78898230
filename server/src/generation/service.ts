import { randomInt, randomUUID } from "node:crypto";
import { Prisma, type Adapter, type BaseModel, type GenerationJob, type GenerationStatus, type PrismaClient, type Rating, type Sample } from "../generated/prisma/client.js";
import type { ActivityService } from "../activity/service.js";
import { COMPOSITION_ORDER } from "../adapters/service.js";
import { storedFilesOf, type StoredAdapterFile } from "../adapters/stored-files.js";
import type { BaseModelCapabilities } from "../base-models/catalogue.js";
import { compatibilityOf, type BaseModelService } from "../base-models/service.js";
import { AdapterDeletedError, BadUserInputError, BaseModelNotServedError, ConflictError, IncompatibleAdapterError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import type { PromptProblemCode, PromptService } from "../prompts/service.js";
import { loraHashesLine, parseLoraTags } from "../formats/a1111-prompt.js";
import { DEFAULT_METER, STEP_SECONDS, type Melody } from "../ml/melody.js";
import { sampledMelodySchema, type SampledMelody } from "../contracts/melody.js";
import { styleForPrompt } from "../ml/prompt-style.js";
import { generationProgressReport, type GenerationCommand, type SidecarCommand } from "../contracts/sidecar.js";
import { followState, only, type EventBus } from "../pubsub/pubsub.js";
import { generationTaskOf, type GenerationQueue } from "../queue/queue.js";
import { VISIBLE_JOB } from "../ab-tests/visibility.js";
import { recountAdapterRatings } from "../evaluation/attribution.js";
import type { GenerationBackendConfig } from "../config/generation-backends.js";
import type { BackendHealth, ImageRequest } from "./backends/backend.js";
import type { ImageBackend } from "./backends/registry.js";
import { placedLoraName } from "./lora-placement.js";
import {
  createGenerationJobInput, DEFAULT_DURATION_SECONDS, finishGenerationInput, generationParams, IMAGE_SETTINGS, isImageParams, MAX_ADAPTERS, MAX_SEED, MELODY_SETTINGS,
  imageParams, melodyParams, rateSampleInput, type CreateGenerationJobInput, type GenerationJobFilter, type GenerationParams, type ImageParams, type MelodyParams,
} from "./inputs.js";
import { askedAdapters, mergeTags } from "./prompt-tags.js";
import { sampleStorageKey, type SampleFiles } from "./sample-files.js";
import { scoreSample, styleReference, type ScoreReference } from "./sample-scores.js";

type Tx = Prisma.TransactionClient;

/** How a job ends. */
interface JobEnd {
  status: "DONE" | "FAILED";
  error: string | null;
  progress?: number;
}

/** A sample about to be stored: its row, and what writes its files. */
interface NewSample {
  row: Prisma.SampleCreateManyInput;
  write(): Promise<void>;
}

/** One image as a job's sample keeps it: the PNG to store and what its row says. */
export interface ImageSampleInput {
  png: Buffer;
  seed: number;
  width: number;
  height: number;
  /** the PNG's `parameters` text */
  parameters: string;
  info: Record<string, unknown>;
}

export interface BackendStatus {
  config: GenerationBackendConfig;
  health: BackendHealth;
}

/** A claimed image job, as its runner needs it: the request for the backend and the adapters' stored files to place. */
export interface ImageJobWork {
  job: GenerationJob;
  request: ImageRequest;
  adapters: { id: string; storageKey: string; weights: StoredAdapterFile | undefined }[];
}

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
  /** GENERATION_BACKENDS: the image generators, each for its base models */
  backends: ImageBackend[];
}

/** the A/B test a job generates samples for, and the side */
export interface AbTestSide {
  abTestId: string;
  abSide: "A" | "B";
}

/** the grid cell a job fills: its one adapter's weight and its seed */
export interface GridCell {
  gridId: string;
  gridWeight: number;
  gridSeed: number;
}

const TERMINAL: GenerationStatus[] = ["DONE", "FAILED"];
const COMPATIBLE_SUGGESTIONS = 20;
/** a dataset's items scored against, at most */
const DATASET_REFERENCE_ITEMS = 500;
const DEFAULT_SAMPLE_RATE = 22_050;
/** an image job's width and height where neither the request, the backend nor the base model says */
const DEFAULT_IMAGE_SIZE = 512;

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
  async create(rawInput: unknown, partOf?: AbTestSide | GridCell): Promise<GenerationJob> {
    const { input, baseModel, backend, adapters, params } = await this.checked(rawInput);
    const job = await this.deps.activity.transaction(this.prisma, async (tx) => {
      const created = await tx.generationJob.create({
        data: {
          ...partOf,
          prompt: input.prompt,
          baseModelId: baseModel.id,
          backend: backend?.config.name ?? null,
          params,
          loraHashes: loraHashesLine(adapters),
          adapters: { create: input.adapters.map(({ adapterId, weight }, position) => ({ adapterId, weight, position })) },
        },
      });
      // an open A/B test's jobs are counted when the test reveals them (AbTestService)
      if (!partOf || !("abTestId" in partOf)) await countUse(tx, adapters);
      const using = adapters.length === 0 ? "no adapter" : adapters.map((adapter, index) => `${adapter.name} ${adapter.version} at ${input.adapters[index]!.weight}`).join(", ");
      const made = isImageParams(params) ? plural(params.samples, "image", "images") : plural(params.samples, "melody", "melodies");
      const message = `generation of ${made} with ${baseModel.displayName} and ${using} queued${backend ? ` for backend '${backend.config.name}'` : ""}`;
      return { result: created, event: { type: "GENERATION_QUEUED", message, subjectType: "GenerationJob", subjectId: created.id } };
    });
    // An image job waits in its row for its backend's runner, which the status published below wakes.
    if (!backend) await this.deps.queue.add(generationTaskOf(job));
    this.publishStatus(job);
    return job;
  }

  /** create()'s checks alone, with the same errors, storing nothing: an A/B test checks all its jobs before making any. */
  async check(rawInput: unknown): Promise<void> {
    await this.checked(rawInput);
  }

  private async checked(rawInput: unknown) {
    const input = parseInput(createGenerationJobInput, await this.withPromptAdapters(rawInput));
    const { baseModel, backend } = await this.servedBaseModel(input.baseModelId);
    refuseSettingsOfTheOtherKind(input, baseModel, backend !== null);
    const params: GenerationParams = backend ? imageParamsFor(input, baseModel, backend) : this.melodyParamsFor(input, baseModel);
    const adapters = await this.usableAdapters(baseModel, input.adapters.map((entry) => entry.adapterId));
    return { input, baseModel, backend, adapters, params };
  }

  /** A built-in model (our sidecar's), or an image model with the first backend in GENERATION_BACKENDS that lists it. */
  private async servedBaseModel(id: string): Promise<{ baseModel: BaseModel; backend: ImageBackend | null }> {
    const model = await this.deps.baseModels.findById(id);
    if (!model) throw BadUserInputError.forField("baseModelId", `base model '${id}' does not exist; see the baseModels query for the catalogue`);
    if (model.builtin) return { baseModel: model, backend: null };
    const backend = model.modality === "IMAGE" ? this.deps.backends.find((candidate) => candidate.config.baseModels.includes(model.id)) : undefined;
    if (!backend) {
      throw new BaseModelNotServedError(
        `${model.displayName} is not built in and no generation backend serves it: an operator lists '${model.id}' in a backend's baseModels in GENERATION_BACKENDS` +
          " (or deliver the prompt to an external backend with createDelivery)",
        model.id,
      );
    }
    return { baseModel: model, backend };
  }

  private melodyParamsFor(input: CreateGenerationJobInput, baseModel: BaseModel): MelodyParams {
    const durationSeconds = this.duration(baseModel, input.durationSeconds);
    return { durationSeconds, samples: input.samples, temperature: input.temperature ?? 1, topK: input.topK ?? null, seed: input.seed ?? randomInt(0, MAX_SEED) };
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
    return { kind: "GENERATE", generation: commandOf(job, melodyParamsOf(job)) };
  }

  /** A sidecar's report of a running job's fraction done; returns the stored fraction. */
  async reportProgress(rawInput: unknown): Promise<number> {
    const { jobId, progress } = parseInput(generationProgressReport, rawInput);
    return this.advance(jobId, progress);
  }

  /** A running job's fraction done; only forward, so a late report cannot move it back. Returns the stored fraction. */
  async advance(jobId: string, progress: number): Promise<number> {
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
    const params = melodyParamsOf(job);
    if (input.melodies.length !== params.samples) {
      throw BadUserInputError.forField("melodies", `the job asked for ${plural(params.samples, "melody", "melodies")}, the report has ${input.melodies.length}`);
    }
    return this.complete(job, input.melodies);
  }

  private async complete(job: GenerationJob, melodies: SampledMelody[]): Promise<GenerationJob> {
    const reference = await this.scoreReference(job);
    const sampleRate = await this.sampleRate(job.baseModelId);
    const samples = melodies.map((melody, index): NewSample => {
      const id = randomUUID();
      const storageKey = sampleStorageKey(id);
      return {
        row: {
          id, jobId: job.id, index, storageKey,
          notes: melody as unknown as Prisma.InputJsonObject,
          scores: scoreSample(melody, reference) as unknown as Prisma.InputJsonObject,
          durationSeconds: melody.lengthSteps * STEP_SECONDS,
        },
        write: () => this.deps.files.write(storageKey, melody, { sampleRate, name: `${job.prompt} #${index + 1}` }),
      };
    });
    return (await this.storeSamples(job, samples, "WAV and MIDI files")) ?? this.find(job.id);
  }

  /**
   * Writes every sample's files at once (a melody's across the worker pool's threads), then stores the rows and ends
   * the job DONE in one transaction. A failed write ends it FAILED; null, with nothing kept, when the job left its
   * status meanwhile (cancelled). The files are removed whenever their rows are not stored.
   */
  private async storeSamples(job: GenerationJob, samples: NewSample[], files: string): Promise<GenerationJob | null> {
    // Best effort: a folder that cannot be removed (the disk's fault, as a failed write may be) must not keep the job from ending.
    const removeFiles = () => Promise.allSettled(samples.map(({ row }) => this.deps.files.remove(row.storageKey)));
    // every write has settled before a failure removes what was written
    const written = await Promise.allSettled(samples.map((sample) => sample.write()));
    const failed = written.find((result) => result.status === "rejected");
    if (failed) {
      await removeFiles();
      const code = (failed.reason as NodeJS.ErrnoException).code;
      return this.endIfStill(job, { status: "FAILED", error: `the API could not write the samples' ${files}${code ? ` (${code})` : ""}` });
    }
    const inTransaction = async (tx: Tx) => void (await tx.sample.createMany({ data: samples.map((sample) => sample.row) }));
    try {
      const ended = await this.endIfStill(job, { status: "DONE", progress: 1, error: null }, { inTransaction });
      if (!ended) await removeFiles();
      return ended;
    } catch (error) {
      // The database failed: nothing was stored, so a retry of this report starts over.
      await removeFiles();
      throw error;
    }
  }

  // ---- the image runner's side -----------------------------------------------------------------

  /** The oldest job waiting for this backend, QUEUED -> RUNNING here; null when none waits. */
  async claimImageJob(backend: string): Promise<ImageJobWork | null> {
    for (;;) {
      const next = await this.prisma.generationJob.findFirst({ where: { backend, status: "QUEUED" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } });
      if (!next) return null;
      const claimed = await this.prisma.generationJob.updateMany({
        where: { id: next.id, status: "QUEUED" },
        data: { status: "RUNNING", startedAt: new Date(), progress: 0, attempts: { increment: 1 } },
      });
      const work = claimed.count === 1 ? await this.startedImageJob(next.id) : null;
      if (work) return work;
    }
  }

  /** A claimed job's work; null when an adapter was deleted since the job was made, which fails it. */
  private async startedImageJob(jobId: string): Promise<ImageJobWork | null> {
    const job = await this.prisma.generationJob.findUniqueOrThrow({ where: { id: jobId }, include: { adapters: { include: { adapter: true }, orderBy: { position: "asc" } } } });
    const deleted = job.adapters.find(({ adapter }) => adapter.deletedAt);
    if (deleted) {
      await this.end(job, { status: "FAILED", error: `adapter ${adapterLabel(deleted.adapter)} was deleted before the job started` });
      return null;
    }
    this.publishStatus(job);
    const params = imageParamsOf(job);
    const { adapters, ...plain } = job;
    return {
      job: plain,
      request: {
        prompt: conditioningText(job.prompt),
        negativePrompt: params.negativePrompt,
        loras: adapters.map(({ adapterId, weight }) => ({ name: placedLoraName(adapterId), weight })),
        seed: params.seed,
        count: params.samples,
        steps: params.steps,
        sampler: params.sampler,
        cfgScale: params.cfgScale,
        width: params.width,
        height: params.height,
      },
      adapters: adapters.map(({ adapter }) => ({ id: adapter.id, storageKey: adapter.storageKey, weights: storedFilesOf(adapter).find((file) => file.role === "weights") })),
    };
  }

  /** An image job's images become its samples, the job DONE; null, nothing kept, when it ended meanwhile (cancelled). */
  async completeImages(job: GenerationJob, images: ImageSampleInput[]): Promise<GenerationJob | null> {
    const samples = images.map((image, index): NewSample => {
      const id = randomUUID();
      const storageKey = sampleStorageKey(id);
      const { png, info, ...described } = image;
      return {
        row: { id, jobId: job.id, index, storageKey, kind: "IMAGE", ...described, info: info as Prisma.InputJsonObject },
        write: () => this.deps.files.writeImage(storageKey, png),
      };
    });
    return this.storeSamples(job, samples, "PNG files");
  }

  /** A running image job ends FAILED with the reason, unless it ended meanwhile. */
  async failImageJob(job: GenerationJob, reason: string): Promise<void> {
    await this.endIfStill(job, { status: "FAILED", error: reason });
  }

  /** RUNNING -> QUEUED, its attempt not counted: the API is stopping, and a later start runs it again from the start. */
  async putBackImageJob(job: GenerationJob): Promise<void> {
    const putBack = await this.prisma.generationJob.updateMany({
      where: { id: job.id, status: "RUNNING" },
      data: { status: "QUEUED", startedAt: null, progress: 0, attempts: { decrement: 1 } },
    });
    if (putBack.count > 0) this.publishStatus(job);
  }

  /**
   * Image jobs of these backends RUNNING since before `startedBefore`, whose API stopped without putting them back:
   * FAILED with the reason. Returns them with their adapters' ids, whose placed files are to be removed.
   */
  async failAbandonedImageJobs(backends: string[], startedBefore: Date): Promise<{ backend: string; adapterIds: string[] }[]> {
    const abandoned = await this.prisma.generationJob.findMany({
      where: { status: "RUNNING", backend: { in: backends }, startedAt: { lt: startedBefore } },
      include: { adapters: { select: { adapterId: true } } },
    });
    for (const { adapters: _adapters, ...job } of abandoned) {
      await this.failImageJob(job, `the API stopped while backend '${job.backend}' was generating; the LoRA files it had placed are removed`);
    }
    return abandoned.map((job) => ({ backend: job.backend!, adapterIds: job.adapters.map((adapter) => adapter.adapterId) }));
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
    await this.deps.queue.add(generationTaskOf(job));
  }

  /**
   * At start: sidecar jobs left RUNNING by a previous API process (whose embedded sidecar died with it) are lost as that
   * sidecar's would be; QUEUED ones are queued again (a queue that kept them takes each once). Image jobs are their
   * runner's (ImageJobRunner).
   */
  async recover(loseRunning: boolean): Promise<void> {
    if (loseRunning) await this.loseRunning({ backend: null }, "the API stopped while the job was executing");
    await this.requeue();
  }

  /** Every QUEUED sidecar job on the queue (again): a queue that kept them (or took one meanwhile) takes each once. */
  async requeue(): Promise<void> {
    for (const job of await this.prisma.generationJob.findMany({ where: { status: "QUEUED", backend: null }, orderBy: { createdAt: "asc" } })) {
      await this.deps.queue.add(generationTaskOf(job));
    }
  }

  private async end(
    job: GenerationJob,
    data: JobEnd,
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

  /** end(), unless the job has left the status it had when read (a cancel, another replica): then null, nothing changed. */
  private async endIfStill(job: GenerationJob, data: JobEnd, options: { inTransaction?: (tx: Tx) => Promise<void> } = {}): Promise<GenerationJob | null> {
    const inTransaction = async (tx: Tx) => {
      const still = await tx.generationJob.updateMany({ where: { id: job.id, status: job.status }, data: { status: data.status } });
      if (still.count === 0) throw new JobMovedOn();
      await options.inTransaction?.(tx);
    };
    try {
      return await this.end(job, data, { inTransaction });
    } catch (error) {
      if (error instanceof JobMovedOn) return null;
      throw error;
    }
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

  /**
   * A job that has not ended ends FAILED as cancelled: a queued one never runs, and a running image job's runner hears
   * the end and interrupts its backend. A melody job running on a sidecar cannot be stopped midway.
   */
  async cancel(id: string): Promise<GenerationJob> {
    const job = await this.prisma.generationJob.findFirst({ where: { id, AND: [VISIBLE_JOB] } });
    if (!job) throw new NotFoundError(`generation job '${id}' does not exist`);
    if (isFinished(job.status)) throw new ConflictError(`generation job '${id}' has already ${job.status === "DONE" ? "finished" : "failed"}; only a queued or running job can be cancelled`);
    if (job.status === "RUNNING" && !job.backend) {
      throw BadUserInputError.forField("id", `generation job '${id}' runs on a sidecar, which cannot stop a melody midway; it ends within seconds`);
    }
    // A job that moved on meanwhile (started, or ended) is looked at again as it is now.
    return (await this.endIfStill(job, { status: "FAILED", error: "cancelled" })) ?? this.cancel(id);
  }

  /** Each configured backend and whether it answers now: every one asked at once, each within its short health timeout. */
  backendStatuses(): Promise<BackendStatus[]> {
    return Promise.all(
      this.deps.backends.map(async ({ config, clientFor }) => ({ config, health: await clientFor(config.baseModels[0]!).health() })),
    );
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

/** A melody model's settings on an image job, or an image's on a melody job, are refused: they would be silently ignored. */
function refuseSettingsOfTheOtherKind(input: CreateGenerationJobInput, baseModel: BaseModel, makesImages: boolean): void {
  const foreign = (makesImages ? MELODY_SETTINGS : IMAGE_SETTINGS).filter((field) => input[field] != null);
  if (foreign.length === 0) return;
  const makes = makesImages ? "images" : "melodies";
  throw new BadUserInputError(
    `${baseModel.displayName} makes ${makes}, which take no ${foreign.join(", ")}; leave ${foreign.length === 1 ? "it" : "them"} out`,
    foreign.map((field) => ({ field, message: `${baseModel.displayName} makes ${makes}; ${field} does not apply` })),
  );
}

/** An image job's settings: the request's, else the backend's defaults, its size else the base model's resolution. */
function imageParamsFor(input: CreateGenerationJobInput, baseModel: BaseModel, backend: ImageBackend): ImageParams {
  const defaults = backend.config.defaults;
  const resolution = (baseModel.capabilities as BaseModelCapabilities).resolution ?? DEFAULT_IMAGE_SIZE;
  return {
    samples: input.samples,
    seed: input.seed ?? randomInt(0, MAX_SEED),
    negativePrompt: input.negativePrompt ?? "",
    steps: input.steps ?? defaults.steps,
    sampler: input.sampler ?? defaults.sampler,
    cfgScale: input.cfgScale ?? defaults.cfgScale,
    width: input.width ?? defaults.width ?? resolution,
    height: input.height ?? defaults.height ?? resolution,
  };
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

export function melodyParamsOf(job: Pick<GenerationJob, "params">): MelodyParams {
  return melodyParams.parse(job.params);
}

export function imageParamsOf(job: Pick<GenerationJob, "params">): ImageParams {
  return imageParams.parse(job.params);
}

type JobWithAdapters = GenerationJob & { adapters: { adapterId: string; weight: number; adapter: Adapter }[] };

function commandOf(job: JobWithAdapters, params: MelodyParams): GenerationCommand {
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
