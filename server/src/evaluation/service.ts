import { Prisma, type Adapter, type PrismaClient } from "../generated/prisma/client.js";
import { NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { mannWhitneyU } from "../stats/mann-whitney.js";
import { binomialTest, wilsonInterval, type Interval } from "../stats/proportion.js";
import { visibleJobSql } from "../ab-tests/visibility.js";
import { SINGLE_ADAPTER_JOBS } from "./attribution.js";
import { compareAdaptersInput } from "./inputs.js";

/*
 * Evaluation (DESIGN §9): version timelines, side-by-side comparisons with named significance tests, and rating
 * summaries. Every figure for a set of adapters comes from a fixed handful of grouped queries, never one per adapter.
 * An adapter is credited only with jobs that used it alone (A/B trials' included); jobs stacking several adapters are
 * reported as combinations (see attribution.ts). Jobs of open A/B tests count once the test closes.
 */

export type AdapterVersionStatus = "ACTIVE" | "INACTIVE" | "DELETED";
export type ScoreSource = "RUN" | "SAMPLES";
export type ComparisonTest = "MANN_WHITNEY_U" | "EXACT_BINOMIAL";

export interface EvaluationScore {
  name: string;
  source: ScoreSource;
  value: number;
  /** null where the metric's direction is unknown */
  higherIsBetter: boolean | null;
  /** observations behind the value: 1 for a run metric, the scored samples for a mean */
  count: number;
}

export interface PreferenceRecord {
  wins: number;
  losses: number;
  ties: number;
  /** wins / (wins + losses), ties excluded; null without a decided trial */
  winRate: number | null;
}

export interface AdapterVersionSummary {
  adapter: Adapter;
  status: AdapterVersionStatus;
  finalLoss: number | null;
  bestLoss: number | null;
  finalTrainingLoss: number | null;
  finalEvalLoss: number | null;
  evaluationScores: EvaluationScore[];
  run: { id: string; name: string } | null;
  experiment: { id: string; name: string } | null;
  ratingAverage: number | null;
  ratingCount: number;
  /** the adapter's ratings, one entry per Rating row */
  ratings: number[];
  preference: PreferenceRecord;
  evidence: FigureEvidence;
}

/** Which jobs an adapter's sample scores and ratings came from, and which were left out. */
export interface FigureEvidence {
  /** jobs that used this adapter alone: the figures' source */
  jobs: number;
  /** of those, in how many A/B tests */
  abTests: number;
  /** the newest of those jobs, newest first */
  recentJobIds: string[];
  /** jobs that stacked it with other adapters: left out, reported as combinations */
  combinationJobs: number;
}

export interface AdapterCombination {
  /** the adapters the jobs stacked, this one included, by id */
  adapterIds: string[];
  jobs: number;
  samples: number;
  averageRating: number | null;
  ratingCount: number;
}

export interface ComparisonValue {
  adapterId: string;
  value: number | null;
  count: number | null;
}

export interface ComparisonRow {
  metric: string;
  label: string;
  higherIsBetter: boolean | null;
  values: ComparisonValue[];
  betterAdapterId: string | null;
  /** the runner-up the test compared the better adapter with */
  comparedWithAdapterId: string | null;
  test: ComparisonTest | null;
  method: string | null;
  statistic: number | null;
  pValue: number | null;
  significant: boolean;
  interval: Interval | null;
  note: string | null;
}

export interface AdapterComparison {
  adapters: AdapterVersionSummary[];
  rows: ComparisonRow[];
  summary: string;
}

export interface PerformanceStats {
  totalGenerations: number;
  sampleCount: number;
  averageRating: number | null;
  ratingCount: number;
  /** counts of ratings 1..5, in that order */
  distribution: { score: number; count: number }[];
}

export interface AdapterPerformance {
  adapter: Adapter;
  /** jobs that used the adapter alone */
  own: PerformanceStats;
  baseModelId: string;
  baseModel: PerformanceStats;
  /** jobs that stacked it with others, one entry per set of adapters, most used first */
  combinations: AdapterCombination[];
}

export const SIGNIFICANCE_LEVEL = 0.05;
/** Fewer ratings than this on either side and the comparison makes no significance claim. */
export const MIN_RATINGS_PER_ADAPTER = 5;
/** The smallest number of decided trials at which an exact two-sided binomial p-value can fall below 0.05 (2/64). */
export const MIN_DECIDED_TRIALS = 6;
/** Job ids listed as a figure's evidence, at most; the counts cover them all. */
const RECENT_EVIDENCE_JOBS = 10;
/** Combinations listed in an adapter's performance, at most. */
const MAX_COMBINATIONS = 20;

/** Run metrics and per-sample scores with a known direction; other eval_* metrics are shown with none. */
const KNOWN_DIRECTIONS: Record<string, boolean> = {
  eval_score: true,
  eval_pitch_class_distance: false,
  eval_in_scale_ratio: true,
  eval_rhythm_density_difference: false,
  sample_score: true,
  sample_pitch_class_distance: false,
  sample_in_scale_ratio: true,
  sample_rhythm_density_difference: false,
};
const SAMPLE_SCORE_KEYS = { sample_score: "score", sample_pitch_class_distance: "pitchClassDistance", sample_in_scale_ratio: "inScaleRatio", sample_rhythm_density_difference: "rhythmDensityDifference" } as const;
const LOSS_METRICS = ["loss", "eval_loss"];
/** jobs aliased j that are not making samples for an open A/B test */
const VISIBLE_J = Prisma.raw(visibleJobSql("j"));

const adapterWithRun = { run: { select: { id: true, name: true, finalLoss: true, experiment: { select: { id: true, name: true } } } } } satisfies Prisma.AdapterInclude;
type AdapterWithRun = Prisma.AdapterGetPayload<{ include: typeof adapterWithRun }>;

export interface EvaluationServiceDeps {
  prisma: PrismaClient;
}

export class EvaluationService {
  constructor(private readonly deps: EvaluationServiceDeps) {}

  private get prisma(): PrismaClient {
    return this.deps.prisma;
  }

  /** Every version of a name, oldest first, soft-deleted ones included and marked; [] for an unknown name. */
  async timeline(name: string): Promise<AdapterVersionSummary[]> {
    const adapters = await this.prisma.adapter.findMany({ where: { name }, include: adapterWithRun, orderBy: [{ createdAt: "asc" }, { version: "asc" }] });
    return this.summarise(adapters);
  }

  /** Two to five adapters side by side; BAD_USER_INPUT for another count, NOT_FOUND for an unknown id. */
  async compare(ids: unknown): Promise<AdapterComparison> {
    const input = parseInput(compareAdaptersInput, { ids });
    const found = await this.prisma.adapter.findMany({ where: { id: { in: input.ids } }, include: adapterWithRun });
    const byId = new Map(found.map((adapter) => [adapter.id, adapter]));
    const missing = input.ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new NotFoundError(`no adapter with id ${missing.join(", ")}; compare adapters that exist`);
    const summaries = await this.summarise(input.ids.map((id) => byId.get(id)!));
    const headToHead = await this.trialsAmong(input.ids);
    const rows = [
      singleValueRow("training_loss", "Training loss (final)", false, summaries, (s) => s.finalTrainingLoss ?? s.finalLoss),
      singleValueRow("eval_loss", "Eval loss (final)", false, summaries, (s) => s.finalEvalLoss),
      ...scoreNames(summaries).map((name) =>
        singleValueRow(name, name, KNOWN_DIRECTIONS[name] ?? null, summaries, (s) => s.evaluationScores.find((score) => score.name === name)?.value ?? null, (s) => s.evaluationScores.find((score) => score.name === name)?.count ?? null),
      ),
      ratingRow(summaries),
      ratingCountRow(summaries),
      preferenceRow(summaries, headToHead),
    ];
    return { adapters: summaries, rows, summary: summarySentence(rows, summaries) };
  }

  /**
   * An adapter's generations and ratings (jobs that used it alone) beside its base model's own (jobs with no adapter),
   * and the combinations it was stacked in; null for an unknown id.
   */
  async performance(id: string): Promise<AdapterPerformance | null> {
    const adapter = await this.prisma.adapter.findUnique({ where: { id } });
    if (!adapter) return null;
    const [ownJobs, ownRatings, baseJobs, baseRatings, combinations] = await Promise.all([
      this.prisma.$queryRaw<CountRow[]>`
        SELECT count(DISTINCT j."id")::int AS "jobs", count(s."id")::int AS "samples"
        FROM ${SINGLE_ADAPTER_JOBS} single JOIN "GenerationJob" j ON j."id" = single."jobId" LEFT JOIN "Sample" s ON s."jobId" = j."id"
        WHERE single."adapterId" = ${id} AND ${VISIBLE_J}`,
      this.ratingCounts([id]),
      this.prisma.$queryRaw<CountRow[]>`
        SELECT count(DISTINCT j."id")::int AS "jobs", count(s."id")::int AS "samples"
        FROM "GenerationJob" j LEFT JOIN "Sample" s ON s."jobId" = j."id"
        WHERE j."baseModelId" = ${adapter.baseModelId} AND NOT EXISTS (SELECT 1 FROM "GenerationJobAdapter" a WHERE a."jobId" = j."id") AND ${VISIBLE_J}`,
      this.prisma.$queryRaw<RatingCountRow[]>`
        SELECT r."score", count(*)::int AS "count"
        FROM "Rating" r JOIN "Sample" s ON s."id" = r."sampleId" JOIN "GenerationJob" j ON j."id" = s."jobId"
        WHERE j."baseModelId" = ${adapter.baseModelId} AND NOT EXISTS (SELECT 1 FROM "GenerationJobAdapter" a WHERE a."jobId" = j."id") AND ${VISIBLE_J}
        GROUP BY r."score"`,
      this.combinationsWith(id),
    ]);
    return {
      adapter,
      own: performanceStats(ownJobs[0], ratingsOf(ownRatings)),
      baseModelId: adapter.baseModelId,
      baseModel: performanceStats(baseJobs[0], ratingsOf(baseRatings)),
      combinations,
    };
  }

  /** The sets of adapters the jobs that stacked this one used, with their generations and ratings. */
  private combinationsWith(adapterId: string): Promise<AdapterCombination[]> {
    return this.prisma.$queryRaw<AdapterCombination[]>`
      WITH stacked AS (
        SELECT "jobId", array_agg("adapterId" ORDER BY "position") AS "adapterIds"
        FROM "GenerationJobAdapter" GROUP BY "jobId" HAVING count(*) > 1 AND bool_or("adapterId" = ${adapterId}))
      SELECT c."adapterIds", count(DISTINCT c."jobId")::int AS "jobs", count(DISTINCT s."id")::int AS "samples",
        avg(r."score")::float8 AS "averageRating", count(r."id")::int AS "ratingCount"
      FROM stacked c JOIN "GenerationJob" j ON j."id" = c."jobId" LEFT JOIN "Sample" s ON s."jobId" = j."id" LEFT JOIN "Rating" r ON r."sampleId" = s."id"
      WHERE ${VISIBLE_J}
      GROUP BY c."adapterIds" ORDER BY "jobs" DESC, "samples" DESC LIMIT ${MAX_COMBINATIONS}`;
  }

  private async summarise(adapters: AdapterWithRun[]): Promise<AdapterVersionSummary[]> {
    if (adapters.length === 0) return [];
    const adapterIds = adapters.map((adapter) => adapter.id);
    const runIds = adapters.flatMap((adapter) => (adapter.run ? [adapter.run.id] : []));
    const [metrics, ratingRows, sampleScores, trials, evidence] = await Promise.all([
      this.runMetrics(runIds),
      this.ratingCounts(adapterIds),
      this.sampleScores(adapterIds),
      this.trialCounts(adapterIds),
      this.evidence(adapterIds),
    ]);
    return adapters.map((adapter) => {
      const runMetrics = adapter.run ? (metrics.get(adapter.run.id) ?? new Map<string, MetricSummary>()) : new Map<string, MetricSummary>();
      const ratings = ratingsOf(ratingRows.filter((row) => row.adapterId === adapter.id));
      const evalLoss = runMetrics.get("eval_loss");
      const trainingLoss = runMetrics.get("loss");
      return {
        adapter,
        status: adapter.deletedAt ? "DELETED" : adapter.active ? "ACTIVE" : "INACTIVE",
        finalLoss: adapter.run?.finalLoss ?? null,
        bestLoss: evalLoss?.min ?? trainingLoss?.min ?? null,
        finalTrainingLoss: trainingLoss?.last ?? null,
        finalEvalLoss: evalLoss?.last ?? null,
        evaluationScores: [...runScores(runMetrics), ...samplesScores(sampleScores.find((row) => row.adapterId === adapter.id))],
        run: adapter.run ? { id: adapter.run.id, name: adapter.run.name } : null,
        experiment: adapter.run?.experiment ?? null,
        ratingAverage: mean(ratings),
        ratingCount: ratings.length,
        ratings,
        preference: preferenceOf(adapter.id, trials),
        evidence: evidence.find((row) => row.adapterId === adapter.id) ?? { jobs: 0, abTests: 0, recentJobIds: [], combinationJobs: 0 },
      };
    });
  }

  /** Per run and metric (losses and eval_*): the minimum and the value at the last step. */
  private async runMetrics(runIds: string[]): Promise<Map<string, Map<string, MetricSummary>>> {
    const result = new Map<string, Map<string, MetricSummary>>();
    if (runIds.length === 0) return result;
    const where: Prisma.MetricPointWhereInput = { runId: { in: runIds }, OR: [{ name: { in: LOSS_METRICS } }, { name: { startsWith: "eval_" } }] };
    const groups = await this.prisma.metricPoint.groupBy({ by: ["runId", "name"], where, _min: { value: true }, _max: { step: true } });
    if (groups.length === 0) return result;
    const lastPoints = await this.prisma.metricPoint.findMany({
      where: { OR: groups.map((group) => ({ runId: group.runId, name: group.name, step: group._max.step! })) },
      select: { runId: true, name: true, value: true },
    });
    for (const group of groups) {
      const last = lastPoints.find((point) => point.runId === group.runId && point.name === group.name)?.value ?? null;
      const perRun = result.get(group.runId) ?? new Map<string, MetricSummary>();
      perRun.set(group.name, { min: group._min.value, last });
      result.set(group.runId, perRun);
    }
    return result;
  }

  /** Rating counts per adapter and score over samples of the jobs that used it alone (one rating per sample and rater). */
  private ratingCounts(adapterIds: string[]): Promise<RatingCountRow[]> {
    return this.prisma.$queryRaw<RatingCountRow[]>`
      SELECT a."adapterId", r."score", count(*)::int AS "count"
      FROM ${SINGLE_ADAPTER_JOBS} a
      JOIN "GenerationJob" j ON j."id" = a."jobId"
      JOIN "Sample" s ON s."jobId" = a."jobId"
      JOIN "Rating" r ON r."sampleId" = s."id"
      WHERE a."adapterId" IN (${Prisma.join(adapterIds)}) AND ${VISIBLE_J}
      GROUP BY a."adapterId", r."score"`;
  }

  /** Per adapter: the jobs its figures come from (it alone), and the jobs that stacked it with others (left out). */
  private evidence(adapterIds: string[]): Promise<(FigureEvidence & { adapterId: string })[]> {
    return this.prisma.$queryRaw<(FigureEvidence & { adapterId: string })[]>`
      SELECT ja."adapterId",
        count(*) FILTER (WHERE n."adapters" = 1)::int AS "jobs",
        count(DISTINCT j."abTestId") FILTER (WHERE n."adapters" = 1)::int AS "abTests",
        COALESCE((array_agg(j."id" ORDER BY j."createdAt" DESC, j."id" DESC) FILTER (WHERE n."adapters" = 1))[1:${Prisma.raw(String(RECENT_EVIDENCE_JOBS))}], '{}') AS "recentJobIds",
        count(*) FILTER (WHERE n."adapters" > 1)::int AS "combinationJobs"
      FROM "GenerationJobAdapter" ja
      JOIN "GenerationJob" j ON j."id" = ja."jobId"
      JOIN (SELECT "jobId", count(*) AS "adapters" FROM "GenerationJobAdapter" GROUP BY "jobId") n ON n."jobId" = ja."jobId"
      WHERE ja."adapterId" IN (${Prisma.join(adapterIds)}) AND ${VISIBLE_J}
      GROUP BY ja."adapterId"`;
  }

  private sampleScores(adapterIds: string[]): Promise<SampleScoreRow[]> {
    return this.prisma.$queryRaw<SampleScoreRow[]>`
      SELECT a."adapterId",
        avg((s."scores"->>'score')::float8) AS "sample_score", count(s."scores"->>'score')::int AS "sample_score_count",
        avg((s."scores"->>'pitchClassDistance')::float8) AS "sample_pitch_class_distance", count(s."scores"->>'pitchClassDistance')::int AS "sample_pitch_class_distance_count",
        avg((s."scores"->>'inScaleRatio')::float8) AS "sample_in_scale_ratio", count(s."scores"->>'inScaleRatio')::int AS "sample_in_scale_ratio_count",
        avg((s."scores"->>'rhythmDensityDifference')::float8) AS "sample_rhythm_density_difference", count(s."scores"->>'rhythmDensityDifference')::int AS "sample_rhythm_density_difference_count"
      FROM ${SINGLE_ADAPTER_JOBS} a
      JOIN "GenerationJob" j ON j."id" = a."jobId"
      JOIN "Sample" s ON s."jobId" = a."jobId"
      WHERE a."adapterId" IN (${Prisma.join(adapterIds)}) AND ${VISIBLE_J}
      GROUP BY a."adapterId"`;
  }

  /** Decided and tied trials per A/B pairing that involves one of the adapters; choices are in adapter terms. */
  private trialCounts(adapterIds: string[]): Promise<TrialCountRow[]> {
    return this.prisma.$queryRaw<TrialCountRow[]>`
      SELECT t."adapterAId", t."adapterBId", tr."choice"::text AS "choice", count(*)::int AS "count"
      FROM "AbTrial" tr JOIN "AbTest" t ON t."id" = tr."testId"
      WHERE tr."choice" IS NOT NULL AND (t."adapterAId" IN (${Prisma.join(adapterIds)}) OR t."adapterBId" IN (${Prisma.join(adapterIds)}))
      GROUP BY t."adapterAId", t."adapterBId", tr."choice"`;
  }

  /** Trials among the given adapters only, for head-to-head preference. */
  private async trialsAmong(adapterIds: string[]): Promise<TrialCountRow[]> {
    const rows = await this.trialCounts(adapterIds);
    return rows.filter((row) => row.adapterBId !== null && adapterIds.includes(row.adapterAId) && adapterIds.includes(row.adapterBId));
  }
}

interface MetricSummary {
  min: number | null;
  last: number | null;
}
interface CountRow {
  jobs: number;
  samples: number;
}
interface RatingCountRow {
  adapterId?: string;
  score: number;
  count: number;
}
type SampleScoreRow = { adapterId: string } & Record<string, number | null>;
interface TrialCountRow {
  adapterAId: string;
  adapterBId: string | null;
  choice: "A" | "B" | "TIE";
  count: number;
}

function ratingsOf(rows: RatingCountRow[]): number[] {
  return rows.flatMap((row) => Array.from({ length: row.count }, () => row.score));
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function performanceStats(counts: CountRow | undefined, ratings: number[]): PerformanceStats {
  return {
    totalGenerations: counts?.jobs ?? 0,
    sampleCount: counts?.samples ?? 0,
    averageRating: mean(ratings),
    ratingCount: ratings.length,
    distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: ratings.filter((r) => r === score).length })),
  };
}

function runScores(metrics: Map<string, MetricSummary>): EvaluationScore[] {
  return [...metrics.entries()]
    .filter(([name, summary]) => name.startsWith("eval_") && name !== "eval_loss" && summary.last !== null)
    .map(([name, summary]) => ({ name, source: "RUN" as const, value: summary.last!, higherIsBetter: KNOWN_DIRECTIONS[name] ?? null, count: 1 }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function samplesScores(row: SampleScoreRow | undefined): EvaluationScore[] {
  if (!row) return [];
  return Object.keys(SAMPLE_SCORE_KEYS).flatMap((name) => {
    const value = row[name];
    const count = row[`${name}_count`] ?? 0;
    return value === null || value === undefined || count === 0 ? [] : [{ name, source: "SAMPLES" as const, value: Number(value), higherIsBetter: KNOWN_DIRECTIONS[name] ?? null, count }];
  });
}

function preferenceOf(adapterId: string, rows: TrialCountRow[]): PreferenceRecord {
  const record = { wins: 0, losses: 0, ties: 0 };
  for (const row of rows) {
    const side = row.adapterAId === adapterId ? "A" : row.adapterBId === adapterId ? "B" : null;
    if (!side) continue;
    if (row.choice === "TIE") record.ties += row.count;
    else if (row.choice === side) record.wins += row.count;
    else record.losses += row.count;
  }
  const decided = record.wins + record.losses;
  return { ...record, winRate: decided === 0 ? null : record.wins / decided };
}

function scoreNames(summaries: AdapterVersionSummary[]): string[] {
  const names = new Set(summaries.flatMap((s) => s.evaluationScores.map((score) => score.name)));
  const known = Object.keys(KNOWN_DIRECTIONS).filter((name) => names.has(name));
  return [...known, ...[...names].filter((name) => !(name in KNOWN_DIRECTIONS)).sort()];
}

function label(summary: AdapterVersionSummary): string {
  return `version ${summary.adapter.version} of '${summary.adapter.name}'`;
}

/** The best and the runner-up among the adapters that have a value; a tie for first leaves no better adapter. */
function ranked(values: ComparisonValue[], higherIsBetter: boolean): { best: ComparisonValue; runnerUp: ComparisonValue } | null {
  const present = values.filter((v): v is ComparisonValue & { value: number } => v.value !== null);
  if (present.length < 2) return null;
  const sorted = [...present].sort((a, b) => (higherIsBetter ? b.value - a.value : a.value - b.value));
  if (sorted[0]!.value === sorted[1]!.value) return null;
  return { best: sorted[0]!, runnerUp: sorted[1]! };
}

function emptyRow(metric: string, label: string, higherIsBetter: boolean | null, values: ComparisonValue[]): ComparisonRow {
  return { metric, label, higherIsBetter, values, betterAdapterId: null, comparedWithAdapterId: null, test: null, method: null, statistic: null, pValue: null, significant: false, interval: null, note: null };
}

function rankingNote(values: ComparisonValue[]): string {
  return values.filter((v) => v.value !== null).length < 2 ? "fewer than two adapters have a value" : "the leading values are equal";
}

/** A row with one value per adapter (a run's loss or score, or a mean): it names the better side but runs no test. */
function singleValueRow(
  metric: string,
  label: string,
  higherIsBetter: boolean | null,
  summaries: AdapterVersionSummary[],
  valueOf: (s: AdapterVersionSummary) => number | null,
  countOf: (s: AdapterVersionSummary) => number | null = (s) => (valueOf(s) === null ? null : 1),
): ComparisonRow {
  const values = summaries.map((s) => ({ adapterId: s.adapter.id, value: valueOf(s), count: countOf(s) }));
  const row = emptyRow(metric, label, higherIsBetter, values);
  if (higherIsBetter === null) return { ...row, note: "direction unknown: no better side named; one value per adapter, so no test" };
  const order = ranked(values, higherIsBetter);
  if (!order) return { ...row, note: `${rankingNote(values)}; one value per adapter, so no test` };
  return { ...row, betterAdapterId: order.best.adapterId, note: "one value per adapter: no significance test is possible" };
}

function ratingRow(summaries: AdapterVersionSummary[]): ComparisonRow {
  const values = summaries.map((s) => ({ adapterId: s.adapter.id, value: s.ratingAverage, count: s.ratingCount }));
  const row = emptyRow("rating_average", "Average rating", true, values);
  const order = ranked(values, true);
  if (!order) return { ...row, note: `${rankingNote(values)}: no better side` };
  const best = summaries.find((s) => s.adapter.id === order.best.adapterId)!;
  const runnerUp = summaries.find((s) => s.adapter.id === order.runnerUp.adapterId)!;
  const named = { ...row, betterAdapterId: best.adapter.id, comparedWithAdapterId: runnerUp.adapter.id };
  if (best.ratingCount < MIN_RATINGS_PER_ADAPTER || runnerUp.ratingCount < MIN_RATINGS_PER_ADAPTER) {
    return { ...named, note: `too few ratings (n < ${MIN_RATINGS_PER_ADAPTER} per adapter) for a test` };
  }
  const result = mannWhitneyU(best.ratings, runnerUp.ratings);
  return {
    ...named,
    test: "MANN_WHITNEY_U",
    method: result.method === "EXACT" ? "exact distribution" : "normal approximation with tie and continuity corrections",
    statistic: result.u,
    pValue: result.pValue,
    significant: result.pValue < SIGNIFICANCE_LEVEL,
    note: summaries.length > 2 ? "tests the best against the runner-up" : null,
  };
}

function ratingCountRow(summaries: AdapterVersionSummary[]): ComparisonRow {
  const values = summaries.map((s) => ({ adapterId: s.adapter.id, value: s.ratingCount, count: s.ratingCount }));
  return { ...emptyRow("rating_count", "Ratings", null, values), note: "a count of ratings: neither side is better" };
}

function preferenceRow(summaries: AdapterVersionSummary[], trials: TrialCountRow[]): ComparisonRow {
  const records = new Map(summaries.map((s) => [s.adapter.id, preferenceOf(s.adapter.id, trials)]));
  const values = summaries.map((s) => {
    const record = records.get(s.adapter.id)!;
    return { adapterId: s.adapter.id, value: record.winRate, count: record.wins + record.losses };
  });
  const row = emptyRow("preference_win_rate", "Preference win rate", true, values);
  const order = ranked(values, true);
  if (!order) return { ...row, note: values.every((v) => v.value === null) ? "no decided A/B trials between these adapters" : `${rankingNote(values)}: no better side` };
  const pairIds = new Set([order.best.adapterId, order.runnerUp.adapterId]);
  const pair = trials.filter((t) => pairIds.has(t.adapterAId) && t.adapterBId !== null && pairIds.has(t.adapterBId));
  const { wins, losses } = preferenceOf(order.best.adapterId, pair);
  const named = { ...row, betterAdapterId: order.best.adapterId, comparedWithAdapterId: order.runnerUp.adapterId };
  const decided = wins + losses;
  if (decided === 0) return { ...named, note: "no decided trials between the best and the runner-up" };
  const interval = wilsonInterval(wins, decided);
  if (decided < MIN_DECIDED_TRIALS) {
    return { ...named, interval, note: `too few decided trials (n = ${decided} < ${MIN_DECIDED_TRIALS}) for a test: no outcome could be significant` };
  }
  const { pValue } = binomialTest(wins, decided);
  return {
    ...named,
    test: "EXACT_BINOMIAL",
    method: "exact two-sided binomial test against 0.5, ties excluded; Wilson 95% interval of the win rate",
    statistic: wins,
    pValue,
    significant: pValue < SIGNIFICANCE_LEVEL,
    interval,
    note: `${wins} wins in ${decided} decided trials${summaries.length > 2 ? ", best against the runner-up" : ""}`,
  };
}

const TEST_NAMES: Record<ComparisonTest, string> = { MANN_WHITNEY_U: "Mann–Whitney U test", EXACT_BINOMIAL: "exact binomial test" };

function summarySentence(rows: ComparisonRow[], summaries: AdapterVersionSummary[]): string {
  const name = (id: string | null) => label(summaries.find((s) => s.adapter.id === id)!);
  const significant = rows.filter((row) => row.significant && row.test);
  const tested = rows.filter((row) => row.test);
  if (significant.length === 0) {
    const detail = tested.length === 0 ? "there were too few ratings and A/B trials for a test" : `tested: ${tested.map((r) => `${r.label.toLowerCase()} (${TEST_NAMES[r.test!]}, p = ${formatP(r.pValue!)})`).join("; ")}`;
    return `No difference is statistically significant at ${SIGNIFICANCE_LEVEL}; ${detail}.`;
  }
  const parts = significant.map((row) => `${row.label.toLowerCase()}: ${name(row.betterAdapterId)} is better than ${name(row.comparedWithAdapterId)} (${TEST_NAMES[row.test!]}, p = ${formatP(row.pValue!)})`);
  return `Significant at ${SIGNIFICANCE_LEVEL}: ${parts.join("; ")}.`;
}

function formatP(p: number): string {
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}
