import { GraphQLError } from "graphql";
import type { Context } from "../context.js";
import { DomainError } from "../errors/domain-errors.js";
import type { Prisma, Sidecar } from "../generated/prisma/client.js";
import { codedGraphQLError } from "../errors/graphql-errors.js";
import { GenerationJobRef, MeterRef } from "../generation/types.js";
import { SIDECAR_COMMAND_KINDS, type GenerationCommand, type GenerationCommandAdapter, type SidecarCommand } from "../contracts/sidecar.js";
import { LogStreamEnum, RunRef } from "../runs/types.js";
import { builder } from "../schema/builder.js";

/*
 * The sidecar's side of the API (DESIGN §6), callable only with the sidecar token: it registers, receives
 * commands on a subscription, and reports log chunks, metric points and the trainer's exit, and the progress and
 * melodies of generation jobs, by mutation.
 * Domain failures are GraphQL errors with the code, since a sidecar retries or gives up rather than
 * showing them to a person.
 */

export const SidecarRef = builder.prismaObject("Sidecar", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    executionProviders: t.exposeStringList("executionProviders", { description: "ONNX Runtime execution providers it found: CUDA when a GPU is usable, CPU always" }),
    baseModels: t.exposeStringList("baseModels"),
    trainers: t.exposeStringList("trainers"),
    concurrency: t.exposeInt("concurrency"),
    version: t.exposeString("version"),
    connected: t.exposeBoolean("connected"),
    registeredAt: t.expose("registeredAt", { type: "DateTime" }),
    lastSeenAt: t.expose("lastSeenAt", { type: "DateTime" }),
  }),
});

const SidecarCommandKindEnum = builder.enumType("SidecarCommandKind", { values: SIDECAR_COMMAND_KINDS });

type CommandFile = GenerationCommandAdapter["files"][number];

const GenerationCommandFileRef = builder.objectRef<CommandFile>("GenerationCommandFile").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    role: t.exposeString("role", { description: "weights or config" }),
    sha256: t.exposeString("sha256", { description: "what the downloaded bytes must hash to" }),
    sizeBytes: t.exposeFloat("sizeBytes"),
    url: t.exposeString("url", { description: "relative to the API, fetched with the sidecar token" }),
  }),
});

const GenerationCommandAdapterRef = builder.objectRef<GenerationCommandAdapter>("GenerationCommandAdapter").implement({
  fields: (t) => ({
    adapterId: t.exposeID("adapterId"),
    name: t.exposeString("name", { description: "for the sidecar's logs; the adapter is known by its id" }),
    version: t.exposeString("version"),
    weight: t.exposeFloat("weight"),
    alpha: t.exposeFloat("alpha", { description: "the registry's lora_alpha, for an adapter without adapter_config.json" }),
    useRslora: t.exposeBoolean("useRslora"),
    files: t.field({ type: [GenerationCommandFileRef], resolve: (adapter) => adapter.files }),
  }),
});

const GenerationCommandRef = builder.objectRef<GenerationCommand>("GenerationCommand").implement({
  fields: (t) => ({
    jobId: t.exposeID("jobId"),
    baseModelId: t.exposeID("baseModelId"),
    prompt: t.exposeString("prompt", { description: "the words that condition the model: the job's prompt without <lora:...> tags" }),
    meter: t.field({ type: MeterRef, resolve: (command) => command.meter }),
    maxSteps: t.exposeInt("maxSteps", { description: "16th-note steps: the duration asked for" }),
    samples: t.exposeInt("samples"),
    temperature: t.exposeFloat("temperature"),
    topK: t.exposeInt("topK", { nullable: true }),
    seed: t.exposeInt("seed"),
    adapters: t.field({ type: [GenerationCommandAdapterRef], description: "in the job's order, to be rank-concatenated", resolve: (command) => command.adapters }),
  }),
});

const SidecarCommandRef = builder.objectRef<SidecarCommand>("SidecarCommand").implement({
  fields: (t) => ({
    kind: t.expose("kind", { type: SidecarCommandKindEnum }),
    runId: t.exposeID("runId", { nullable: true, description: "START_RUN and CANCEL_RUN" }),
    trainer: t.exposeString("trainer", { nullable: true }),
    config: t.expose("config", { type: "JSON", nullable: true, description: "the trainer's config.json" }),
    datasetUrl: t.exposeString("datasetUrl", { nullable: true, description: "the dataset as JSONL, relative to the API, fetched with the sidecar token" }),
    generation: t.expose("generation", { type: GenerationCommandRef, nullable: true, description: "GENERATE: the job to run" }),
  }),
});

const RegisterSidecarInput = builder.inputType("RegisterSidecarInput", {
  fields: (t) => ({
    id: t.id({ description: "keeps one record across restarts" }),
    name: t.string({ required: true }),
    executionProviders: t.stringList({ required: true }),
    baseModels: t.stringList({ required: true }),
    trainers: t.stringList({ required: true }),
    concurrency: t.int({ required: true }),
    version: t.string(),
  }),
});

const LogChunkInput = builder.inputType("LogChunkInput", {
  fields: (t) => ({
    seq: t.int({ required: true, description: "1, 2, 3, ... per run, so a retried report is stored once" }),
    stream: t.field({ type: LogStreamEnum, required: true }),
    data: t.string({ required: true }),
    time: t.field({ type: "DateTime" }),
  }),
});

const MetricPointInput = builder.inputType("MetricPointInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    step: t.int({ required: true }),
    value: t.float({ required: true }),
    time: t.field({ type: "DateTime" }),
  }),
});

const FinishRunInput = builder.inputType("FinishRunInput", {
  fields: (t) => ({
    runId: t.id({ required: true }),
    exitCode: t.int(),
    signal: t.string(),
    error: t.string({ description: "the last lines of stderr" }),
  }),
});

const FinishGenerationInput = builder.inputType("FinishGenerationInput", {
  fields: (t) => ({
    jobId: t.id({ required: true }),
    melodies: t.field({ type: ["JSON"], description: "one per sample, in order: { notes: [{ pitch, start, duration }], lengthSteps, meter }" }),
    error: t.string({ description: "why the job failed, instead of the melodies" }),
  }),
});

/** Turns domain failures into coded GraphQL errors (the sidecar scope is checked by the field's authScopes). */
async function asSidecar<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw codedGraphQLError(error);
    throw error;
  }
}

/** The sidecars to show, connected ones first: live ones, and those gone within the hour that no restart replaced. */
export async function listedSidecars(query: { include?: Prisma.SidecarInclude; select?: Prisma.SidecarSelect }, ctx: Context): Promise<Sidecar[]> {
  const ids = await ctx.services.sidecars.listedIds();
  return ctx.prisma.sidecar.findMany({ ...query, where: { id: { in: ids } }, orderBy: [{ connected: "desc" }, { lastSeenAt: "desc" }] });
}

builder.queryField("sidecars", (t) =>
  t.prismaField({
    authScopes: { read: true },
    type: [SidecarRef],
    description: "every connected sidecar, and those that went away within the last hour (one per name), connected ones first",
    resolve: (query, _root, _args, ctx) => listedSidecars(query, ctx),
  }),
);

builder.mutationFields((t) => ({
  registerSidecar: t.prismaField({
    authScopes: { sidecar: true },
    type: SidecarRef,
    description: "sidecar only: announces its capabilities",
    args: { input: t.arg({ type: RegisterSidecarInput, required: true }) },
    resolve: (_query, _root, { input }, ctx) => asSidecar(() => ctx.services.sidecars.register(input)),
  }),
  reportRunLogs: t.int({
    authScopes: { sidecar: true },
    description: "sidecar only: raw output chunks of a running run, in seq order; returns the last stored seq",
    args: { runId: t.arg.id({ required: true }), chunks: t.arg({ type: [LogChunkInput], required: true }) },
    resolve: (_root, args, ctx) => asSidecar(() => ctx.services.runs.appendLogs({ runId: String(args.runId), chunks: args.chunks })),
  }),
  reportRunMetrics: t.int({
    authScopes: { sidecar: true },
    description: "sidecar only: metric points of a running run; returns how many were new",
    args: { runId: t.arg.id({ required: true }), points: t.arg({ type: [MetricPointInput], required: true }) },
    resolve: (_root, args, ctx) => asSidecar(() => ctx.services.runs.appendMetrics({ runId: String(args.runId), points: args.points })),
  }),
  reportGenerationProgress: t.float({
    authScopes: { sidecar: true },
    description: "sidecar only: the fraction of a running generation job done; returns the stored fraction",
    args: { jobId: t.arg.id({ required: true }), progress: t.arg.float({ required: true }) },
    resolve: (_root, args, ctx) => asSidecar(() => ctx.services.generation.reportProgress({ jobId: String(args.jobId), progress: args.progress })),
  }),
  finishGeneration: t.prismaField({
    authScopes: { sidecar: true },
    type: GenerationJobRef,
    description: "sidecar only: a generation job's melodies (the API renders and scores them), or why it failed",
    args: { input: t.arg({ type: FinishGenerationInput, required: true }) },
    resolve: (_query, _root, { input }, ctx) => asSidecar(() => ctx.services.generation.finish(input)),
  }),
  finishRun: t.prismaField({
    authScopes: { sidecar: true },
    type: RunRef,
    description: "sidecar only: the trainer's exit, with the adapter files (adapter_config.json, adapter_model.safetensors) on success",
    args: { input: t.arg({ type: FinishRunInput, required: true }), files: t.arg({ type: ["File"] }) },
    resolve: (_query, _root, { input, files }, ctx) => asSidecar(() => ctx.services.runs.finish(input, files ?? [])),
  }),
}));

builder.subscriptionField("sidecarCommands", (t) =>
  t.field({
    authScopes: { sidecar: true },
    type: SidecarCommandRef,
    description: "sidecar only: runs to start (while it has a free slot), runs to cancel, and generation jobs (while it has a free generation slot)",
    args: {
      sidecarId: t.arg.id({ required: true }),
      generationSlots: t.arg.int({ defaultValue: 0, description: "how many generation jobs it runs at once, beside its runs; 0 takes none" }),
    },
    subscribe: async (_root, args, ctx) => {
      if (!ctx.services.sidecars.accepting) throw new GraphQLError("this API replica is shutting down: subscribe through another", { extensions: { code: "SHUTTING_DOWN" } });
      return asSidecar(async () => ctx.services.sidecars.commands(await ctx.services.sidecars.find(String(args.sidecarId)), args.generationSlots ?? 0));
    },
    resolve: (command) => command,
  }),
);
