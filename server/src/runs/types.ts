import { GraphQLError } from "graphql";
import { AdapterRef } from "../adapters/types.js";
import { ExperimentRef } from "../experiments/types.js";
import type { LogChunkEvent, MetricPointEvent } from "../contracts/events.js";
import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { LOG_STREAM_LIMITS } from "./streams.js";

export const RunStatusEnum = builder.enumType("RunStatus", { values: ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const });
export const LogStreamEnum = builder.enumType("LogStream", { values: ["STDOUT", "STDERR"] as const });

export const RunLogChunkRef = builder.objectRef<LogChunkEvent>("RunLogChunk").implement({
  description: "raw trainer output, carriage returns and ANSI escapes kept; seq counts from 1 without gaps",
  fields: (t) => ({
    seq: t.exposeInt("seq"),
    stream: t.expose("stream", { type: LogStreamEnum }),
    data: t.exposeString("data"),
    time: t.expose("time", { type: "DateTime" }),
  }),
});

export const MetricPointRef = builder.objectRef<MetricPointEvent>("MetricPoint").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    step: t.exposeInt("step"),
    value: t.exposeFloat("value"),
    time: t.expose("time", { type: "DateTime" }),
  }),
});

interface MetricSeriesShape {
  name: string;
  totalPoints: number;
  points: MetricPointEvent[];
}

const MetricSeriesRef = builder.objectRef<MetricSeriesShape>("MetricSeries").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    totalPoints: t.exposeInt("totalPoints", { description: "points in the step range before downsampling" }),
    downsampled: t.boolean({ resolve: (series) => series.points.length < series.totalPoints }),
    points: t.field({ type: [MetricPointRef], resolve: (series) => series.points }),
  }),
});

export const RunRef = builder.prismaObject("Run", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    status: t.expose("status", { type: RunStatusEnum }),
    experiment: t.relation("experiment", { type: ExperimentRef }),
    configOverride: t.expose("configOverride", { type: "JSON", nullable: true, description: "only the keys this run overrode; null when none" }),
    effectiveConfig: t.expose("effectiveConfig", { type: "JSON", description: "the experiment's config merged with the override" }),
    trainer: t.exposeString("trainer"),
    sidecarId: t.exposeID("sidecarId", { nullable: true }),
    cancelRequested: t.exposeBoolean("cancelRequested"),
    exitCode: t.exposeInt("exitCode", { nullable: true }),
    error: t.exposeString("error", { nullable: true }),
    finalLoss: t.exposeFloat("finalLoss", { nullable: true, description: "the last eval loss, else the last training loss" }),
    adapter: t.relation("adapter", { type: AdapterRef, nullable: true, description: "the adapter {experiment}-{run} it produced" }),
    isBest: t.boolean({ select: { bestOf: { select: { id: true } } }, resolve: (run) => run.bestOf !== null }),
    lastSeq: t.exposeInt("lastSeq", { description: "the seq of the last stored log chunk" }),
    logBytes: t.exposeInt("logBytes"),
    logUrl: t.string({ description: "the full log as a file download, signed for the caller", resolve: (run, _args, ctx) => ctx.signUrl(`/runs/${run.id}/log`) }),
    logs: t.field({
      type: [RunLogChunkRef],
      description: "raw chunks after afterSeq, in order",
      args: { afterSeq: t.arg.int({ defaultValue: 0 }), first: t.arg.int({ defaultValue: 1000 }) },
      resolve: (run, args, ctx) => ctx.services.runs.logs(run.id, Math.max(0, args.afterSeq ?? 0), Math.min(Math.max(1, args.first ?? 1000), 5000)),
    }),
    metricNames: t.stringList({ resolve: (run, _args, ctx) => ctx.services.runs.metricNames(run.id) }),
    metrics: t.field({
      type: [MetricSeriesRef],
      description: "each series (all when names is omitted) in a step range, downsampled to at most maxPoints keeping each bucket's minimum and maximum",
      args: {
        names: t.arg.stringList(),
        maxPoints: t.arg.int({ defaultValue: 1000 }),
        fromStep: t.arg.int(),
        toStep: t.arg.int(),
      },
      resolve: async (run, args, ctx) =>
        (await ctx.services.runs.metrics(run.id, args)).map(({ name, totalPoints, series }) => ({
          name,
          totalPoints,
          points: Array.from(series.steps, (step, index) => ({ name, step, value: series.values[index]!, time: new Date(series.times[index]!) })),
        })),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
  }),
});

const MAX_RUNS_BY_ID = 20;

builder.queryFields((t) => ({
  run: t.prismaField({
    authScopes: { read: true },
    type: RunRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.run.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
  runs: t.prismaField({
    authScopes: { read: true },
    type: [RunRef],
    description: `up to ${MAX_RUNS_BY_ID} runs by id, in the order asked (missing ones left out), e.g. to compare them`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      if (args.ids.length > MAX_RUNS_BY_ID) {
        throw new GraphQLError(`at most ${MAX_RUNS_BY_ID} ids`, { extensions: { code: "BAD_USER_INPUT" } });
      }
      const ids = args.ids.map(String);
      const runs = await ctx.prisma.run.findMany({ ...query, where: { id: { in: ids } } });
      return ids.flatMap((id) => runs.filter((run) => run.id === id));
    },
  }),
}));

const StartRunInput = builder.inputType("StartRunInput", {
  fields: (t) => ({
    name: t.string({ description: "1–39 characters, unique in the experiment; default run-<n>" }),
    configOverride: t.field({ type: "JSON", description: "keys that differ from the experiment's config for this run only" }),
  }),
});

const deletedRunsPayload = (operation: string) =>
  builder.objectRef<{ deletedRunIds: string[] }>(`${operation}Success`).implement({
    fields: (t) => ({ deletedRunIds: t.exposeIDList("deletedRunIds") }),
  });

builder.mutationFields((t) => ({
  startRun: t.field({
    authScopes: { write: true },
    type: successPayload("StartRun", "run", RunRef),
    errors: { types: COMMON_ERRORS },
    description: "queues a run of the experiment; refused, with no run stored, when the experiment has no dataset",
    args: { experimentId: t.arg.id({ required: true }), input: t.arg({ type: StartRunInput }) },
    resolve: async (_root, { experimentId, input }, ctx) => ({ run: await ctx.services.runs.start(String(experimentId), input) }),
  }),
  cancelRun: t.field({
    authScopes: { write: true },
    type: successPayload("CancelRun", "run", RunRef),
    errors: { types: COMMON_ERRORS },
    description: "a pending run is cancelled at once; a running one when its trainer has stopped (SIGTERM)",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ run: await ctx.services.runs.cancel(String(id)) }),
  }),
  deleteRun: t.field({
    authScopes: { write: true },
    type: deletedRunsPayload("DeleteRun"),
    errors: { types: COMMON_ERRORS },
    description: "only a COMPLETED, FAILED or CANCELLED run; its logs, metrics and files go, an adapter it produced stays",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ deletedRunIds: await ctx.services.runs.delete(null, [String(id)]) }),
  }),
  deleteRuns: t.field({
    authScopes: { write: true },
    type: deletedRunsPayload("DeleteRuns"),
    errors: { types: COMMON_ERRORS },
    description: "several finished runs of one experiment in one call; nothing is deleted if any is missing or still live",
    args: { experimentId: t.arg.id({ required: true }), runIds: t.arg.idList({ required: true }) },
    resolve: async (_root, { experimentId, runIds }, ctx) => ({ deletedRunIds: await ctx.services.runs.delete(String(experimentId), runIds.map(String)) }),
  }),
}));

builder.subscriptionFields((t) => ({
  runLogs: t.field({
    authScopes: { read: true },
    type: RunLogChunkRef,
    description: `every chunk after afterSeq exactly once, in order: the stored ones, then live ones. A reader more than ${LOG_STREAM_LIMITS.maxBufferedBytes / 2 ** 20} MiB behind the trainer gets instead of the chunks it missed one marker chunk (STDERR, at the seq of the last one missed) whose data is a line such as '[lora-studio] 120 lines skipped (chunks 41–95, 81234 bytes): … reconnect with afterSeq 40 to catch up'; then the stream goes on live`,
    args: { runId: t.arg.id({ required: true }), afterSeq: t.arg.int({ defaultValue: 0 }) },
    subscribe: (_root, args, ctx) => ctx.services.runs.logStream(String(args.runId), Math.max(0, args.afterSeq ?? 0)),
    resolve: (chunk) => chunk,
  }),
  runMetrics: t.field({
    authScopes: { read: true },
    type: [MetricPointRef],
    description: "batches of points with a step above afterStep: the stored ones, then live ones, each point once",
    args: { runId: t.arg.id({ required: true }), afterStep: t.arg.int({ defaultValue: -1 }) },
    subscribe: (_root, args, ctx) => ctx.services.runs.metricStream(String(args.runId), args.afterStep ?? -1),
    resolve: (points) => points,
  }),
  runStatus: t.prismaField({
    authScopes: { read: true },
    type: RunRef,
    description: "the run now, then after each change; ends once the run has ended",
    args: { runId: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => ctx.services.runs.statusStream(String(args.runId)),
    resolve: (query, run, _args, ctx) => ctx.prisma.run.findUniqueOrThrow({ ...query, where: { id: run.id } }),
  }),
}));
