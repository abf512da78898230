import type { InputFieldBuilder } from "@pothos/core";
import { GraphQLError } from "graphql";
import { AdapterRef } from "../adapters/types.js";
import { BaseModelRef } from "../base-models/types.js";
import { DEFAULT_METER, type Melody, type Meter, type Note } from "../ml/melody.js";
import { builder, type AppSchemaTypes } from "../schema/builder.js";
import { COMMON_ERRORS, GENERATION_ERRORS, IncompatibleAdapterErrorRef } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { GENERATION_STATUSES, MAX_ADAPTERS, MAX_SAMPLES, MAX_WEIGHT, MIN_WEIGHT, type GenerationJobFilter, type ImageParams } from "./inputs.js";
import type { SampleFile } from "./sample-files.js";
import { scoreSample, type SampleScores } from "./sample-scores.js";
import { imageParamsOf, melodyParamsOf, paramsOf, raterOf, type BackendStatus } from "./service.js";
import { VISIBLE_JOB } from "../ab-tests/visibility.js";

export const GenerationStatusEnum = builder.enumType("GenerationStatus", { values: GENERATION_STATUSES });
export const SampleKindEnum = builder.enumType("SampleKind", {
  values: {
    AUDIO: { description: "a melody of a built-in model: WAV, MIDI and its notes" },
    IMAGE: { description: "an image from a generation backend: a PNG" },
  } as const,
});
const ReferenceKindEnum = builder.enumType("ScoreReferenceKind", {
  values: {
    STYLE: { description: "the reference set of the generator's style the prompt names" },
    DATASET: { description: "the dataset the job's first trained adapter learnt from" },
    NONE: { description: "no reference: only the scores that need none" },
  } as const,
});

builder.objectField(IncompatibleAdapterErrorRef, "compatibleAdapters", (t) =>
  t.field({
    type: [AdapterRef],
    description: "live, active adapters that fit the base model asked for, to pick instead",
    resolve: (error) => error.compatibleAdapters,
  }),
);

export const NoteRef = builder.objectRef<Note>("Note").implement({
  description: "one note of a monophonic melody; start and duration count 16th-note steps",
  fields: (t) => ({ pitch: t.exposeInt("pitch", { description: "MIDI pitch (60 = middle C)" }), start: t.exposeInt("start"), duration: t.exposeInt("duration") }),
});

export const MeterRef = builder.objectRef<Meter>("Meter").implement({
  fields: (t) => ({ beatsPerBar: t.exposeInt("beatsPerBar"), stepsPerBeat: t.exposeInt("stepsPerBeat") }),
});

const SampleFileRef = builder.objectRef<SampleFile>("SampleFile").implement({
  fields: (t) => ({
    url: t.string({
      description: "relative to the API and signed for the caller (valid for SIGNED_URL_TTL_SECONDS); GET it (byte ranges supported)",
      resolve: (file, _args, ctx) => ctx.signUrl(file.url),
    }),
    contentType: t.exposeString("contentType"),
    sizeBytes: t.exposeInt("sizeBytes"),
  }),
});

const SampleScoresRef = builder.objectRef<SampleScores>("SampleScores").implement({
  description: "objective scores (DESIGN §7); those comparing with a reference are null when there is none",
  fields: (t) => ({
    referenceKind: t.expose("referenceKind", { type: ReferenceKindEnum }),
    referenceId: t.exposeString("referenceId", { nullable: true, description: "the style id or dataset id" }),
    referenceName: t.exposeString("referenceName", { nullable: true }),
    noteCount: t.exposeInt("noteCount"),
    rhythmDensity: t.exposeFloat("rhythmDensity", { description: "notes per bar" }),
    score: t.exposeFloat("score", { nullable: true, description: "0 to 1, higher is closer to the reference" }),
    pitchClassDistance: t.exposeFloat("pitchClassDistance", { nullable: true, description: "Jensen–Shannon divergence of the pitch-class histograms, 0 (same) to 1" }),
    inScaleRatio: t.exposeFloat("inScaleRatio", { nullable: true, description: "the share of notes in the reference's dominant scale" }),
    referenceRhythmDensity: t.exposeFloat("referenceRhythmDensity", { nullable: true }),
    rhythmDensityDifference: t.exposeFloat("rhythmDensityDifference", { nullable: true, description: "0 (same) to 1" }),
  }),
});

const RatingRef = builder.prismaObject("Rating", {
  fields: (t) => ({ id: t.exposeID("id"), score: t.exposeInt("score"), createdAt: t.expose("createdAt", { type: "DateTime" }) }),
});

/** What an image sample's melody fields answer (they stay non-null for melody clients): no notes, no length. */
const NO_MELODY: Melody = { notes: [], lengthSteps: 0, meter: DEFAULT_METER };
export const melodyOf = (sample: { notes: unknown }) => (sample.notes as Melody | null) ?? NO_MELODY;
const imageJob = (job: { backend: string | null }) => job.backend !== null;

export const SampleRef = builder.prismaObject("Sample", {
  fields: (t) => ({
    id: t.exposeID("id"),
    index: t.exposeInt("index", { description: "0-based; sample i was drawn with seed + i" }),
    kind: t.expose("kind", { type: SampleKindEnum }),
    seed: t.int({
      description: "the seed this sample was drawn with (the job's seed + index): a job of one sample with it draws this melody (or image) again",
      select: { job: { select: { params: true } } },
      resolve: (sample) => sample.seed ?? paramsOf(sample.job).seed + sample.index,
    }),
    job: t.relation("job"),
    notes: t.field({ type: [NoteRef], description: "none for an image", resolve: (sample) => melodyOf(sample).notes }),
    lengthSteps: t.int({ description: "0 for an image", resolve: (sample) => melodyOf(sample).lengthSteps }),
    meter: t.field({ type: MeterRef, resolve: (sample) => melodyOf(sample).meter }),
    durationSeconds: t.float({ description: "0 for an image", resolve: (sample) => sample.durationSeconds ?? 0 }),
    scores: t.field({
      type: SampleScoresRef,
      description: "an image's have no reference and count no notes",
      resolve: (sample) => (sample.kind === "IMAGE" ? scoreSample(NO_MELODY, null) : (sample.scores as unknown as SampleScores)),
    }),
    audio: t.field({ type: SampleFileRef, nullable: true, description: "WAV, 16-bit mono", resolve: (sample, _args, ctx) => ctx.services.generation.files.describe(sample, "audio") }),
    midi: t.field({ type: SampleFileRef, nullable: true, description: "a Standard MIDI File", resolve: (sample, _args, ctx) => ctx.services.generation.files.describe(sample, "midi") }),
    imageUrl: t.string({
      nullable: true,
      description: "an image's PNG as its backend made it (its parameters text included), relative to the API and signed for the caller; null for a melody",
      resolve: async (sample, _args, ctx) => {
        const file = sample.kind === "IMAGE" ? await ctx.services.generation.files.describe(sample, "image") : null;
        return file && ctx.signUrl(file.url);
      },
    }),
    width: t.exposeInt("width", { nullable: true, description: "an image's, in pixels" }),
    height: t.exposeInt("height", { nullable: true, description: "an image's, in pixels" }),
    parameters: t.exposeString("parameters", { nullable: true, description: "an image's generation parameters as AUTOMATIC1111 writes them (its PNG's parameters text, with Lora hashes)" }),
    ratingCount: t.relationCount("ratings", { description: "raters who rated it (each rater's current rating counts once)" }),
    myRating: t.int({
      nullable: true,
      description: "the caller's own rating (by the API key presented, else by raterId); null before they rate it",
      args: { raterId: t.arg.string({ description: "without an API key: the id the browser rated with" }) },
      resolve: async (sample, args, ctx) => {
        const rater = raterOf(ctx.principal.keyId, args.raterId);
        if (!rater) return null;
        const rating = await ctx.prisma.rating.findUnique({ where: { sampleId_rater: { sampleId: sample.id, rater } }, select: { score: true } });
        return rating?.score ?? null;
      },
    }),
    averageRating: t.float({
      nullable: true,
      select: { ratings: { select: { score: true } } },
      resolve: (sample) => (sample.ratings.length ? sample.ratings.reduce((sum, rating) => sum + rating.score, 0) / sample.ratings.length : null),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const ImageSettingsRef = builder.objectRef<ImageParams>("ImageSettings").implement({
  description: "what an image job asked its backend for (AUTOMATIC1111's names)",
  fields: (t) => ({
    negativePrompt: t.exposeString("negativePrompt"),
    steps: t.exposeInt("steps"),
    sampler: t.exposeString("sampler"),
    cfgScale: t.exposeFloat("cfgScale"),
    width: t.exposeInt("width"),
    height: t.exposeInt("height"),
  }),
});

const GenerationJobAdapterRef = builder.prismaObject("GenerationJobAdapter", {
  description: "an adapter a job used, with its weight; kept (and readable) when the adapter is deleted later",
  fields: (t) => ({
    position: t.exposeInt("position"),
    weight: t.exposeFloat("weight"),
    adapter: t.relation("adapter", { description: "the adapter as it is now, deleted ones included" }),
    deleted: t.boolean({
      description: "the adapter was deleted since: the dashboard shows it as \"Deleted Adapter\"",
      select: { adapter: { select: { deletedAt: true } } },
      resolve: (entry) => entry.adapter.deletedAt !== null,
    }),
  }),
});

export const GenerationJobRef = builder.prismaObject("GenerationJob", {
  fields: (t) => ({
    id: t.exposeID("id"),
    prompt: t.exposeString("prompt"),
    baseModel: t.relation("baseModel", { type: BaseModelRef }),
    status: t.expose("status", { type: GenerationStatusEnum }),
    progress: t.exposeFloat("progress", { description: "0 to 1 while running; 1 once done" }),
    error: t.exposeString("error", { nullable: true }),
    loraHashes: t.exposeString("loraHashes", { nullable: true, description: "A1111-style provenance: Lora hashes: \"name: autov2, ...\"" }),
    durationSeconds: t.float({ description: "0 for an image job", resolve: (job) => (imageJob(job) ? 0 : melodyParamsOf(job).durationSeconds) }),
    sampleCount: t.int({ description: "samples asked for", resolve: (job) => paramsOf(job).samples }),
    temperature: t.float({ description: "0 for an image job", resolve: (job) => (imageJob(job) ? 0 : melodyParamsOf(job).temperature) }),
    topK: t.int({ nullable: true, resolve: (job) => (imageJob(job) ? null : melodyParamsOf(job).topK) }),
    seed: t.int({ resolve: (job) => paramsOf(job).seed }),
    kind: t.field({ type: SampleKindEnum, description: "what its samples are", resolve: (job) => (imageJob(job) ? "IMAGE" : "AUDIO") }),
    backend: t.exposeString("backend", { nullable: true, description: "the GENERATION_BACKENDS entry making its images; null for a built-in model's job" }),
    imageSettings: t.field({ type: ImageSettingsRef, nullable: true, description: "an image job's settings, the backend's defaults filled in", resolve: (job) => (imageJob(job) ? imageParamsOf(job) : null) }),
    adapters: t.relation("adapters", { type: GenerationJobAdapterRef, query: { orderBy: { position: "asc" } } }),
    samples: t.relation("samples", { type: SampleRef, query: { orderBy: { index: "asc" } } }),
    sidecarId: t.exposeID("sidecarId", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
  }),
});

const GenerationBackendRef = builder.objectRef<BackendStatus>("GenerationBackend").implement({
  description: "an image generator of GENERATION_BACKENDS, as configured, and whether it answered just now",
  fields: (t) => ({
    name: t.string({ resolve: ({ config }) => config.name }),
    kind: t.string({ description: "a1111 (AUTOMATIC1111 or SD.Next) or comfyui", resolve: ({ config }) => config.kind }),
    url: t.string({ resolve: ({ config }) => config.url }),
    baseModels: t.stringList({ description: "the image base models it makes images for", resolve: ({ config }) => config.baseModels }),
    healthy: t.boolean({ description: "it answered its health check within a few seconds", resolve: ({ health }) => health.ok }),
    version: t.string({ nullable: true, description: "the version it reports, when it does (ComfyUI)", resolve: ({ health }) => (health.ok ? health.version : null) }),
    problem: t.string({ nullable: true, description: "why it is not healthy", resolve: ({ health }) => (health.ok ? null : health.reason) }),
  }),
});

const GenerationJobFilterInput = builder.inputType("GenerationJobFilter", {
  fields: (t) => ({
    status: t.field({ type: GenerationStatusEnum }),
    baseModelId: t.id(),
    adapterId: t.id({ description: "jobs that used this adapter, deleted or not" }),
    promptContains: t.string({ description: "jobs whose prompt contains this text, in any case" }),
    createdAfter: t.field({ type: "DateTime", description: "jobs created at or after this time" }),
    createdBefore: t.field({ type: "DateTime", description: "jobs created before this time" }),
  }),
});

const toFilter = (filter: typeof GenerationJobFilterInput.$inferInput | null | undefined): GenerationJobFilter => ({
  status: filter?.status,
  baseModelId: filter?.baseModelId == null ? null : String(filter.baseModelId),
  adapterId: filter?.adapterId == null ? null : String(filter.adapterId),
  promptContains: filter?.promptContains,
  createdAfter: filter?.createdAfter,
  createdBefore: filter?.createdBefore,
});

builder.queryFields((t) => ({
  generationJobs: t.prismaConnection({
    authScopes: { read: true },
    type: "GenerationJob",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    description: "newest first",
    args: { filter: t.arg({ type: GenerationJobFilterInput }) },
    totalCount: (_connection, args, ctx) => ctx.prisma.generationJob.count({ where: ctx.services.generation.listWhere(toFilter(args.filter)) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.generationJob.findMany({
        ...query,
        where: ctx.services.generation.listWhere(toFilter(args.filter)),
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      }),
  }),
  generationJob: t.prismaField({
    authScopes: { read: true },
    type: GenerationJobRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    description: "null for a missing job, and for one making samples for an open A/B test",
    resolve: (query, _root, args, ctx) => ctx.prisma.generationJob.findFirst({ ...query, where: { id: String(args.id), AND: [VISIBLE_JOB] } }),
  }),
  generationBackends: t.field({
    authScopes: { read: true },
    type: [GenerationBackendRef],
    description: "the configured image generators, each asked at once whether it answers now",
    resolve: (_root, _args, ctx) => ctx.services.generation.backendStatuses(),
  }),
  sample: t.prismaField({
    authScopes: { read: true },
    type: SampleRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    description: "null for a missing sample, and for one of an open A/B test",
    resolve: (query, _root, args, ctx) => ctx.prisma.sample.findFirst({ ...query, where: { id: String(args.id), job: VISIBLE_JOB } }),
  }),
}));

const GenerationAdapterInput = builder.inputType("GenerationAdapterInput", {
  fields: (t) => ({
    adapterId: t.id({ required: true }),
    weight: t.float({ required: true, description: `${MIN_WEIGHT.toFixed(1)} to ${MAX_WEIGHT.toFixed(1)}` }),
  }),
});

/** What a generation job and a grid of them take alike, besides the prompt, the adapters and the seed. */
export const generationSettingFields = (t: InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<AppSchemaTypes>, "InputObject">) => ({
  baseModelId: t.id({ required: true, description: "a built-in base model (our sidecar serves it), or an image base model a GENERATION_BACKENDS entry serves" }),
  durationSeconds: t.float({ description: "melody models only: at most the base model's capabilities.maxDurationSeconds; 10 s (or that maximum) when omitted" }),
  samples: t.int({ description: `1 to ${MAX_SAMPLES} melodies or images; 1 when omitted` }),
  temperature: t.float({ description: "melody models only: 0.05 to 5; 1 when omitted" }),
  topK: t.int({ description: "melody models only: draw among the k most likely tokens; all when omitted" }),
  negativePrompt: t.string({ description: "image models only; empty when omitted" }),
  steps: t.int({ description: "image models only: 1 to 150; the backend's default when omitted" }),
  sampler: t.string({ description: "image models only: an AUTOMATIC1111 sampler name such as 'DPM++ 2M Karras'; the backend's default when omitted" }),
  cfgScale: t.float({ description: "image models only: 1 to 30; the backend's default when omitted" }),
  width: t.int({ description: "image models only: 64 to 2048, a multiple of 8; the backend's default, else the base model's resolution, when omitted" }),
  height: t.int({ description: "image models only: as width" }),
});

const CreateGenerationJobInput = builder.inputType("CreateGenerationJobInput", {
  fields: (t) => ({
    prompt: t.string({ required: true, description: "<lora:name:weight> tags are kept in the job but do not condition the model" }),
    adapters: t.field({ type: [GenerationAdapterInput], description: `0 to ${MAX_ADAPTERS} live, active adapters that fit the base model, each once` }),
    seed: t.int({ description: "the same seed and inputs give the same melodies (or images); random (and stored) when omitted" }),
    ...generationSettingFields(t),
  }),
});

const RateSampleSuccess = builder.objectRef<{ rating: { id: string }; sample: { id: string } }>("RateSampleSuccess").implement({
  fields: (t) => ({
    rating: t.prismaField({ type: RatingRef, resolve: (query, payload, _args, ctx) => ctx.prisma.rating.findUniqueOrThrow({ ...query, where: { id: payload.rating.id } }) }),
    sample: t.prismaField({ type: SampleRef, resolve: (query, payload, _args, ctx) => ctx.prisma.sample.findUniqueOrThrow({ ...query, where: { id: payload.sample.id } }) }),
  }),
});

builder.mutationFields((t) => ({
  createGenerationJob: t.field({
    authScopes: { write: true },
    type: successPayload("CreateGenerationJob", "job", GenerationJobRef),
    errors: { types: GENERATION_ERRORS },
    description:
      "queues melodies from a built-in base model, or images from a generation backend, with 0–5 weighted adapters; refused, with nothing stored, when an adapter cannot be used or nothing serves the base model",
    args: { input: t.arg({ type: CreateGenerationJobInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ job: await ctx.services.generation.create(input) }),
  }),
  cancelGenerationJob: t.field({
    authScopes: { write: true },
    type: successPayload("CancelGenerationJob", "job", GenerationJobRef),
    errors: { types: COMMON_ERRORS },
    description:
      "a queued job never runs; a running image job's backend is interrupted and its LoRA files removed; the job ends FAILED, its error \"cancelled\". A melody job running on a sidecar cannot be cancelled (BAD_USER_INPUT), nor a job that has ended (CONFLICT)",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ({ job: await ctx.services.generation.cancel(String(args.id)) }),
  }),
  rateSample: t.field({
    authScopes: { write: true },
    type: RateSampleSuccess,
    errors: { types: COMMON_ERRORS },
    description:
      "1 to 5 stars, one rating per sample and rater (the API key presented, else raterId): rating again changes it. Counts for an adapter only when the sample's job used that adapter alone",
    args: {
      sampleId: t.arg.id({ required: true }),
      score: t.arg.int({ required: true }),
      raterId: t.arg.string({ description: "without an API key: an id the browser keeps for itself (8 to 100 letters, digits, '-' or '_'); ignored with a key" }),
    },
    resolve: (_root, args, ctx) => ctx.services.generation.rate({ sampleId: String(args.sampleId), score: args.score, raterId: args.raterId }, ctx.principal.keyId),
  }),
}));

builder.subscriptionField("generationProgress", (t) =>
  t.prismaField({
    authScopes: { read: true },
    type: GenerationJobRef,
    description: "the job now (queued, running with its progress, done or failed), then after each change; ends once the job has ended",
    args: { jobId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const jobId = String(args.jobId);
      if (!(await ctx.prisma.generationJob.count({ where: { id: jobId, AND: [VISIBLE_JOB] } }))) {
        throw new GraphQLError(`generation job '${jobId}' does not exist`, { extensions: { code: "NOT_FOUND" } });
      }
      return ctx.services.generation.progressStream(jobId);
    },
    resolve: (query, job, _args, ctx) => ctx.prisma.generationJob.findUniqueOrThrow({ ...query, where: { id: job.id } }),
  }),
);

builder.subscriptionField("generationJobUpdates", (t) =>
  t.prismaField({
    authScopes: { read: true },
    type: GenerationJobRef,
    description: "every listed generation job as it is queued, starts, progresses and ends (an open A/B test's are not listed: follow abTestUpdates)",
    subscribe: (_root, _args, ctx) => ctx.services.generation.updates(),
    resolve: (query, job, _args, ctx) => ctx.prisma.generationJob.findUniqueOrThrow({ ...query, where: { id: job.id } }),
  }),
);
