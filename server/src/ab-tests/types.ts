import type { Adapter } from "../generated/prisma/client.js";
import { AdapterRef } from "../adapters/types.js";
import { BaseModelRef } from "../base-models/types.js";
import { NotFoundError } from "../errors/domain-errors.js";
import { codedGraphQLError } from "../errors/graphql-errors.js";
import { MAX_WEIGHT, MIN_WEIGHT } from "../generation/inputs.js";
import { melodyOf, MeterRef, NoteRef, SampleKindEnum } from "../generation/types.js";
import { builder } from "../schema/builder.js";
import { COMMON_ERRORS, GENERATION_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { blindSampleUrl } from "./http.js";
import { AB_CHOICES, MAX_PROMPTS, MAX_TRIALS_PER_PROMPT } from "./inputs.js";
import { abResult, type AbResult } from "./result.js";
import { expectedJobs, type AbTrialPair, type DisplayedSide } from "./service.js";

const AbTestStatusEnum = builder.enumType("AbTestStatus", {
  values: {
    GENERATING: { description: "its samples are being generated" },
    READY: { description: "its trials can be judged" },
    COMPLETED: { description: "closed: the result counts the trials judged" },
    FAILED: { description: "a generation job failed; see error" },
  } as const,
});

const AbChoiceEnum = builder.enumType("AbChoice", { values: AB_CHOICES, description: "the displayed side the judge prefers, or TIE" });

interface AbTestProgress {
  judged: number;
  total: number;
  jobsDone: number;
  jobsTotal: number;
  generation: number;
}

const AbTestProgressRef = builder.objectRef<AbTestProgress>("AbTestProgress").implement({
  fields: (t) => ({
    judged: t.exposeInt("judged", { description: "trials judged" }),
    total: t.exposeInt("total", { description: "trials in the test (prompts × trials per prompt)" }),
    jobsDone: t.exposeInt("jobsDone", { description: "generation jobs done" }),
    jobsTotal: t.exposeInt("jobsTotal"),
    generation: t.exposeFloat("generation", { description: "0 to 1: how far the generation of the samples has come" }),
  }),
});

const AbWinRateIntervalRef = builder.objectRef<NonNullable<AbResult["interval"]>>("AbWinRateInterval").implement({
  description: "95% Wilson score interval of adapter A's win rate",
  fields: (t) => ({ lower: t.exposeFloat("lower"), upper: t.exposeFloat("upper") }),
});

const AbTestResultRef = builder.objectRef<AbResult>("AbTestResult").implement({
  description: "the judged trials so far; ties are left out of the win rate, its interval and the test",
  fields: (t) => ({
    wins: t.exposeInt("wins", { description: "trials adapter A won" }),
    losses: t.exposeInt("losses", { description: "trials adapter B (or the base model) won" }),
    ties: t.exposeInt("ties"),
    judged: t.exposeInt("judged"),
    decisive: t.exposeInt("decisive", { description: "wins + losses" }),
    winRate: t.exposeFloat("winRate", { nullable: true, description: "adapter A's share of the decisive trials; null without any" }),
    interval: t.expose("interval", { type: AbWinRateIntervalRef, nullable: true }),
    pValue: t.exposeFloat("pValue", { nullable: true, description: "exact two-sided binomial test of the decisive trials against 50%" }),
    significant: t.exposeBoolean("significant", { description: "pValue < 0.05" }),
    verdict: t.exposeString("verdict", { description: "the result in one plain sentence" }),
  }),
});

const sideName = (adapter: Pick<Adapter, "name" | "version">, weight: number) => `${adapter.name} ${adapter.version} at weight ${weight}`;

export const AbTestRef = builder.prismaObject("AbTest", {
  description: "a blind pairwise test of adapter A against adapter B (or the same adapter at another weight), or against the base model",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    adapterA: t.relation("adapterA", { type: AdapterRef }),
    adapterB: t.relation("adapterB", { type: AdapterRef, nullable: true, description: "null: the base model itself is side B" }),
    weightA: t.exposeFloat("weightA", { description: "the weight side A's samples apply adapter A with" }),
    weightB: t.exposeFloat("weightB", { nullable: true, description: "the weight side B's samples apply adapter B with; null when side B is the base model" }),
    baseModel: t.field({ type: BaseModelRef, nullable: true, resolve: (test, _args, ctx) => ctx.loadBaseModel(test.baseModelId) }),
    prompts: t.exposeStringList("prompts"),
    trialsPerPrompt: t.exposeInt("trialsPerPrompt"),
    seed: t.exposeInt("seed", { description: "both sides' samples for a prompt use it, so only the adapter (or its weight) differs" }),
    status: t.expose("status", { type: AbTestStatusEnum }),
    error: t.exposeString("error", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    progress: t.field({
      type: AbTestProgressRef,
      select: { trials: { select: { choice: true } }, jobs: { select: { status: true, progress: true } } },
      resolve: (test) => {
        const jobsTotal = expectedJobs(test);
        return {
          judged: test.trials.filter((trial) => trial.choice !== null).length,
          total: test.prompts.length * test.trialsPerPrompt,
          jobsDone: test.jobs.filter((job) => job.status === "DONE").length,
          jobsTotal,
          generation: test.jobs.reduce((sum, job) => sum + job.progress, 0) / jobsTotal,
        };
      },
    }),
    result: t.field({
      type: AbTestResultRef,
      select: { trials: { select: { choice: true } }, adapterA: { select: { name: true, version: true } }, adapterB: { select: { name: true, version: true } } },
      resolve: (test) =>
        abResult(
          test.trials.flatMap((trial) => (trial.choice ? [trial.choice] : [])),
          {
            a: `adapter A (${sideName(test.adapterA, test.weightA)})`,
            b: test.adapterB ? `adapter B (${sideName(test.adapterB, test.weightB!)})` : `the base model (${test.baseModelId})`,
            final: test.status === "COMPLETED",
          },
        ),
    }),
  }),
});

interface BlindSample {
  trialId: string;
  side: DisplayedSide;
  sample: { notes: unknown; kind: "AUDIO" | "IMAGE" };
  /** the trial's: the longer side's, served to both */
  durationSeconds: number;
  lengthSteps: number;
}

const BlindSampleRef = builder.objectRef<BlindSample>("BlindSample").implement({
  description: "one sample of a trial as the judge gets it: its displayed side and its music, nothing that names its adapter",
  fields: (t) => ({
    side: t.string({ description: "\"A\" or \"B\", as displayed", resolve: (blind) => blind.side }),
    kind: t.field({ type: SampleKindEnum, resolve: (blind) => blind.sample.kind }),
    imageUrl: t.string({
      nullable: true,
      description: "an image trial's PNG, relative to the API, without the text that would name its LoRA; null for a melody",
      resolve: (blind, _args, ctx) => (blind.sample.kind === "IMAGE" ? ctx.signUrl(blindSampleUrl(blind.trialId, blind.side, "image")) : null),
    }),
    audioUrl: t.string({ description: "WAV, relative to the API (byte ranges supported)", resolve: (blind, _args, ctx) => ctx.signUrl(blindSampleUrl(blind.trialId, blind.side, "audio")) }),
    midiUrl: t.string({ description: "Standard MIDI File, relative to the API", resolve: (blind, _args, ctx) => ctx.signUrl(blindSampleUrl(blind.trialId, blind.side, "midi")) }),
    durationSeconds: t.float({ description: "the same for both sides: the longer one's (the shorter is padded with silence)", resolve: (blind) => blind.durationSeconds }),
    lengthSteps: t.exposeInt("lengthSteps", { description: "the same for both sides: the longer melody's" }),
    meter: t.field({ type: MeterRef, resolve: (blind) => melodyOf(blind.sample).meter }),
    notes: t.field({ type: [NoteRef], resolve: (blind) => melodyOf(blind.sample).notes }),
  }),
});

function blindSample(pair: AbTrialPair, side: DisplayedSide): BlindSample {
  const lengthSteps = Math.max(melodyOf(pair.first).lengthSteps, melodyOf(pair.second).lengthSteps);
  return { trialId: pair.trial.id, side, sample: side === "A" ? pair.first : pair.second, durationSeconds: pair.durationSeconds, lengthSteps };
}

const AbTrialPairRef = builder.objectRef<AbTrialPair>("AbTrialPair").implement({
  description: "the next trial to judge: two samples labelled only A and B, their order drawn and kept server-side",
  fields: (t) => ({
    trialId: t.id({ resolve: (pair) => pair.trial.id }),
    prompt: t.string({ resolve: (pair) => pair.trial.prompt }),
    index: t.int({ description: "0-based position of the trial in its test", resolve: (pair) => pair.trial.index }),
    total: t.exposeInt("total", { description: "trials in the test" }),
    first: t.field({ type: BlindSampleRef, description: "shown as \"A\"", resolve: (pair) => blindSample(pair, "A") }),
    second: t.field({ type: BlindSampleRef, description: "shown as \"B\"", resolve: (pair) => blindSample(pair, "B") }),
  }),
});

builder.queryFields((t) => ({
  abTests: t.prismaConnection({
    authScopes: { read: true },
    type: "AbTest",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    description: "newest first",
    totalCount: (_connection, _args, ctx) => ctx.prisma.abTest.count(),
    resolve: (query, _root, _args, ctx) => ctx.prisma.abTest.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  abTest: t.prismaField({
    authScopes: { read: true },
    type: AbTestRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.abTest.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
  nextAbTrial: t.field({
    authScopes: { read: true },
    type: AbTrialPairRef,
    nullable: true,
    description: "the next unjudged trial of a ready test, marked served; null when every trial is judged or the test is not ready (or missing)",
    args: { testId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.abTests.next(String(args.testId)),
  }),
}));

const CreateAbTestInput = builder.inputType("CreateAbTestInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: "1 to 100 characters" }),
    adapterAId: t.id({ required: true }),
    adapterBId: t.id({ description: "another adapter on a compatible base model, or adapter A again with another weight; omit (or null) to test against the base model" }),
    weightA: t.float({ description: `${MIN_WEIGHT.toFixed(1)} to ${MAX_WEIGHT.toFixed(1)}; adapter A's own default weight when omitted` }),
    weightB: t.float({ description: `${MIN_WEIGHT.toFixed(1)} to ${MAX_WEIGHT.toFixed(1)}; adapter B's own default weight when omitted; only with adapterBId` }),
    prompts: t.stringList({ required: true, description: `1 to ${MAX_PROMPTS} different prompts` }),
    trialsPerPrompt: t.int({ required: true, description: `1 to ${MAX_TRIALS_PER_PROMPT}` }),
    seed: t.int({ description: "the seed of both sides' samples; random (and stored) when omitted" }),
    durationSeconds: t.float({ description: "of each sample; as in createGenerationJob when omitted" }),
  }),
});

const testPayload = (operation: string) => successPayload(operation, "test", AbTestRef);

builder.mutationFields((t) => ({
  createAbTest: t.field({
    authScopes: { write: true },
    type: testPayload("CreateAbTest"),
    errors: { types: GENERATION_ERRORS },
    description: "checks both sides as generation would, then generates the sample pairs: GENERATING until its jobs are done, then READY (or FAILED)",
    args: { input: t.arg({ type: CreateAbTestInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ test: await ctx.services.abTests.create(input) }),
  }),
  recordAbChoice: t.field({
    authScopes: { write: true },
    type: testPayload("RecordAbChoice"),
    errors: { types: COMMON_ERRORS },
    description: "the judge's choice between the displayed sides; once per trial (again: CONFLICT), only while the test is READY",
    args: { trialId: t.arg.id({ required: true }), choice: t.arg({ type: AbChoiceEnum, required: true }) },
    resolve: async (_root, args, ctx) => ({ test: await ctx.services.abTests.recordChoice({ trialId: String(args.trialId), choice: args.choice }) }),
  }),
  completeAbTest: t.field({
    authScopes: { write: true },
    type: testPayload("CompleteAbTest"),
    errors: { types: COMMON_ERRORS },
    description: "closes a ready test, unjudged trials and all; its result counts the judged ones",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ({ test: await ctx.services.abTests.complete(String(args.id)) }),
  }),
}));

builder.subscriptionField("abTestUpdates", (t) =>
  t.prismaField({
    authScopes: { read: true },
    type: AbTestRef,
    description:
      "the test now, then each time one of its generation jobs changes (its progress, without naming the jobs) until it is READY or FAILED, which is its last answer",
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) =>
      ctx.services.abTests.updates(String(args.id)).catch((error: unknown) => {
        throw error instanceof NotFoundError ? codedGraphQLError(error) : error;
      }),
    resolve: (query, _job, args, ctx) => ctx.prisma.abTest.findUniqueOrThrow({ ...query, where: { id: String(args.id) } }),
  }),
);
