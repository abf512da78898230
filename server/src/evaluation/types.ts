import { AdapterRef } from "../adapters/types.js";
import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import type { Interval } from "../stats/proportion.js";
import type {
  AdapterCombination, AdapterComparison, AdapterPerformance, AdapterVersionSummary, ComparisonRow, ComparisonValue, EvaluationScore, FigureEvidence, PerformanceStats,
  PreferenceRecord,
} from "./service.js";

const AdapterVersionStatusEnum = builder.enumType("AdapterVersionStatus", { values: ["ACTIVE", "INACTIVE", "DELETED"] as const });
const ScoreSourceEnum = builder.enumType("ScoreSource", {
  values: {
    RUN: { description: "the metric's value at the last step of the training run" },
    SAMPLES: { description: "the mean over the scored samples of the generations that used the adapter alone (A/B trials' included)" },
  },
});
const ComparisonTestEnum = builder.enumType("ComparisonTest", {
  values: {
    MANN_WHITNEY_U: { description: "two-sided Mann–Whitney U test on the ratings" },
    EXACT_BINOMIAL: { description: "exact two-sided binomial test on A/B preferences, ties excluded" },
  },
});

const EvaluationScoreRef = builder.objectRef<EvaluationScore>("EvaluationScore").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    source: t.expose("source", { type: ScoreSourceEnum }),
    value: t.exposeFloat("value"),
    higherIsBetter: t.exposeBoolean("higherIsBetter", { nullable: true, description: "null where the direction is unknown" }),
    count: t.exposeInt("count", { description: "observations behind the value" }),
  }),
});

const PreferenceRecordRef = builder.objectRef<PreferenceRecord>("PreferenceRecord").implement({
  description: "A/B trial outcomes from this adapter's side",
  fields: (t) => ({
    wins: t.exposeInt("wins"),
    losses: t.exposeInt("losses"),
    ties: t.exposeInt("ties"),
    winRate: t.exposeFloat("winRate", { nullable: true, description: "wins / (wins + losses); null without a decided trial" }),
  }),
});

const NamedLinkRef = builder.objectRef<{ id: string; name: string }>("NamedLink").implement({
  fields: (t) => ({ id: t.exposeID("id"), name: t.exposeString("name") }),
});

const FigureEvidenceRef = builder.objectRef<FigureEvidence>("FigureEvidence").implement({
  description: "the jobs an adapter's sample scores and ratings come from: those that used it alone; jobs stacking it with others are left out",
  fields: (t) => ({
    jobs: t.exposeInt("jobs", { description: "generation jobs that used this adapter alone (A/B trials' included)" }),
    abTests: t.exposeInt("abTests", { description: "A/B tests among whose jobs those are" }),
    recentJobIds: t.exposeIDList("recentJobIds", { description: "the newest of those jobs, newest first (10 at most)" }),
    combinationJobs: t.exposeInt("combinationJobs", { description: "jobs that stacked it with other adapters: left out of its figures, see adapterPerformance.combinations" }),
  }),
});

const AdapterVersionSummaryRef = builder.objectRef<AdapterVersionSummary>("AdapterVersionSummary").implement({
  description: "one version of an adapter with its training and evaluation results",
  fields: (t) => ({
    adapterId: t.id({ resolve: (s) => s.adapter.id }),
    adapter: t.field({ type: AdapterRef, resolve: (s) => s.adapter }),
    name: t.string({ resolve: (s) => s.adapter.name }),
    version: t.string({ resolve: (s) => s.adapter.version }),
    createdAt: t.field({ type: "DateTime", resolve: (s) => s.adapter.createdAt }),
    status: t.expose("status", { type: AdapterVersionStatusEnum }),
    deleted: t.boolean({ resolve: (s) => s.adapter.deletedAt !== null }),
    finalLoss: t.exposeFloat("finalLoss", { nullable: true, description: "the run's final loss" }),
    bestLoss: t.exposeFloat("bestLoss", { nullable: true, description: "the lowest eval_loss of the run, else the lowest loss" }),
    evaluationScores: t.field({ type: [EvaluationScoreRef], resolve: (s) => s.evaluationScores }),
    run: t.field({ type: NamedLinkRef, nullable: true, resolve: (s) => s.run }),
    experiment: t.field({ type: NamedLinkRef, nullable: true, resolve: (s) => s.experiment }),
    ratingAverage: t.exposeFloat("ratingAverage", { nullable: true }),
    ratingCount: t.exposeInt("ratingCount"),
    preference: t.field({ type: PreferenceRecordRef, resolve: (s) => s.preference }),
    winRate: t.float({ nullable: true, description: "A/B win rate, ties excluded", resolve: (s) => s.preference.winRate }),
    evidence: t.field({ type: FigureEvidenceRef, description: "which jobs the sample scores and ratings came from", resolve: (s) => s.evidence }),
  }),
});

const ComparisonValueRef = builder.objectRef<ComparisonValue>("ComparisonValue").implement({
  fields: (t) => ({
    adapterId: t.exposeID("adapterId"),
    value: t.exposeFloat("value", { nullable: true }),
    count: t.exposeInt("count", { nullable: true, description: "observations behind the value" }),
  }),
});

const IntervalRef = builder.objectRef<Interval>("Interval").implement({
  fields: (t) => ({ lower: t.exposeFloat("lower"), upper: t.exposeFloat("upper") }),
});

const ComparisonRowRef = builder.objectRef<ComparisonRow>("ComparisonRow").implement({
  fields: (t) => ({
    metric: t.exposeString("metric"),
    label: t.exposeString("label"),
    higherIsBetter: t.exposeBoolean("higherIsBetter", { nullable: true }),
    values: t.field({ type: [ComparisonValueRef], resolve: (row) => row.values }),
    betterAdapterId: t.exposeID("betterAdapterId", { nullable: true }),
    comparedWithAdapterId: t.exposeID("comparedWithAdapterId", { nullable: true, description: "the runner-up the test compared the better adapter with" }),
    test: t.expose("test", { type: ComparisonTestEnum, nullable: true }),
    method: t.exposeString("method", { nullable: true }),
    statistic: t.exposeFloat("statistic", { nullable: true, description: "U for Mann–Whitney, the better adapter's wins for the binomial test" }),
    pValue: t.exposeFloat("pValue", { nullable: true }),
    significant: t.exposeBoolean("significant", { description: "p < 0.05 by the named test; false where no test ran" }),
    interval: t.field({ type: IntervalRef, nullable: true, description: "Wilson 95% interval of the better adapter's win rate", resolve: (row) => row.interval }),
    note: t.exposeString("note", { nullable: true }),
  }),
});

const AdapterComparisonRef = builder.objectRef<AdapterComparison>("AdapterComparison").implement({
  fields: (t) => ({
    adapters: t.field({ type: [AdapterVersionSummaryRef], resolve: (c) => c.adapters }),
    rows: t.field({ type: [ComparisonRowRef], resolve: (c) => c.rows }),
    summary: t.exposeString("summary", { description: "which differences are significant, and by which test" }),
  }),
});

const RatingBucketRef = builder.objectRef<{ score: number; count: number }>("RatingBucket").implement({
  fields: (t) => ({ score: t.exposeInt("score"), count: t.exposeInt("count") }),
});

const PerformanceStatsRef = builder.objectRef<PerformanceStats>("PerformanceStats").implement({
  fields: (t) => ({
    totalGenerations: t.exposeInt("totalGenerations"),
    sampleCount: t.exposeInt("sampleCount"),
    averageRating: t.exposeFloat("averageRating", { nullable: true }),
    ratingCount: t.exposeInt("ratingCount"),
    distribution: t.field({ type: [RatingBucketRef], description: "ratings 1 to 5", resolve: (s) => s.distribution }),
  }),
});

const AdapterCombinationRef = builder.objectRef<AdapterCombination>("AdapterCombination").implement({
  description: "jobs that stacked the same set of adapters: their figures belong to the set, not to any one adapter",
  fields: (t) => ({
    adapters: t.prismaField({
      type: [AdapterRef],
      description: "in the jobs' order, deleted ones included",
      resolve: async (query, combination, _args, ctx) => {
        const found = await ctx.prisma.adapter.findMany({ ...query, where: { id: { in: combination.adapterIds } } });
        return combination.adapterIds.flatMap((id) => found.filter((adapter) => adapter.id === id));
      },
    }),
    jobs: t.exposeInt("jobs"),
    samples: t.exposeInt("samples"),
    averageRating: t.exposeFloat("averageRating", { nullable: true }),
    ratingCount: t.exposeInt("ratingCount"),
  }),
});

const AdapterPerformanceRef = builder.objectRef<AdapterPerformance>("AdapterPerformance").implement({
  fields: (t) => ({
    adapter: t.field({ type: AdapterRef, resolve: (p) => p.adapter }),
    own: t.field({ type: PerformanceStatsRef, description: "jobs that used this adapter alone (A/B trials' included)", resolve: (p) => p.own }),
    combinations: t.field({ type: [AdapterCombinationRef], description: "jobs that stacked it with others, per set of adapters, most used first (20 at most)", resolve: (p) => p.combinations }),
    baseModelId: t.exposeID("baseModelId"),
    baseModel: t.field({ type: PerformanceStatsRef, description: "the base model's own samples (jobs with no adapter)", resolve: (p) => p.baseModel }),
  }),
});

builder.queryFields((t) => ({
  adapterTimeline: t.field({
    authScopes: { read: true },
    type: [AdapterVersionSummaryRef],
    description: "every version of an adapter name, oldest first, soft-deleted ones marked; empty for an unknown name",
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, { name }, ctx) => ctx.services.evaluation.timeline(name),
  }),
  compareAdapters: t.field({
    authScopes: { read: true },
    type: AdapterComparisonRef,
    errors: { types: COMMON_ERRORS },
    description: "two to five adapters side by side, with the better side and a significance test per row",
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, { ids }, ctx) => ctx.services.evaluation.compare(ids.map(String)),
  }),
  adapterPerformance: t.field({
    authScopes: { read: true },
    type: AdapterPerformanceRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.evaluation.performance(String(id)),
  }),
}));
