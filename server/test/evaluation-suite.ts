import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upload } from "./fixtures.js";
import { tunesAdapterFiles } from "./generation-fixtures.js";
import type { TestApp, TestAppOptions } from "./harness.js";

/*
 * The evaluation API (DESIGN §9) over adapters uploaded through the API; runs, metrics, generation jobs, samples,
 * ratings and A/B trials are inserted with Prisma, since real training and generation would only slow this down.
 * Run against PGlite (evaluation.test.ts) and PostgreSQL (evaluation.postgres.test.ts): the raw SQL aggregations
 * must answer alike on both.
 * Reference values: scipy 1.17.1 (same methods as R's wilcox.test and binom.test):
 *   mannwhitneyu([5,4,5,4,5,3], [1,2,2,3,2,1], method="asymptotic", use_continuity=True) -> U = 35.5, p = 0.005501725154324199
 *   binomtest(9, 10) -> p = 0.021484375 (R: binom.test(9, 10)), Wilson interval [0.5958499732047615, 0.9821237869049271]
 */

const BASE = "tunes-s";
const V2_RATINGS = [5, 4, 5, 4, 5, 3];
const V1_RATINGS = [1, 2, 2, 3, 2, 1];

export async function uploadVersion(app: TestApp, name: string, version: string, seed: number): Promise<string> {
  const files = tunesAdapterFiles({ seed });
  const { body } = await upload(
    app.url,
    [
      { name: "adapter_config.json", data: files.config },
      { name: "adapter_model.safetensors", data: files.weights },
    ],
    { name, version, baseModelId: BASE },
  );
  if (body.data?.uploadAdapter?.__typename !== "UploadAdapterSuccess") throw new Error(`could not upload ${name} ${version}: ${JSON.stringify(body)}`);
  return body.data.uploadAdapter.adapter.id;
}

const TIMELINE = `query ($name: String!) { adapterTimeline(name: $name) {
  adapterId name version createdAt status deleted finalLoss bestLoss ratingAverage ratingCount winRate
  evidence { jobs abTests recentJobIds combinationJobs }
  preference { wins losses ties winRate }
  evaluationScores { name source value higherIsBetter count }
  run { id name } experiment { id name } adapter { id }
} }`;

const COMPARE = `query ($ids: [ID!]!) { compareAdapters(ids: $ids) {
  __typename
  ... on Error { message code }
  ... on AdapterComparison {
    summary
    adapters { adapterId version }
    rows { metric label higherIsBetter values { adapterId value count } betterAdapterId comparedWithAdapterId test method statistic pValue significant interval { lower upper } note }
  }
} }`;

const PERFORMANCE = `query ($id: ID!) { adapterPerformance(id: $id) {
  adapter { id } baseModelId
  combinations { adapters { id } jobs samples averageRating ratingCount }
  own { totalGenerations sampleCount averageRating ratingCount distribution { score count } }
  baseModel { totalGenerations sampleCount averageRating ratingCount distribution { score count } }
} }`;

/**
 * A DONE job with one scored sample per rating (each by its own rater; null: not rated), stored with Prisma (the
 * adapters' stored aggregates are left as they were); its sample ids. `abTestId` makes it one of that A/B test's jobs.
 */
export async function storedJob(app: TestApp, adapterIds: string[], ratings: (number | null)[], score: number, abTestId?: string): Promise<string[]> {
  const created = await app.deps.db.prisma.generationJob.create({
    data: {
      prompt: "a jazz solo",
      baseModelId: BASE,
      params: {},
      status: "DONE",
      abTestId,
      adapters: { create: adapterIds.map((adapterId, position) => ({ adapterId, weight: 1, position })) },
      samples: {
        create: ratings.map((rating, index) => ({
          index,
          notes: [],
          scores: { score, pitchClassDistance: 1 - score, inScaleRatio: score, rhythmDensityDifference: null },
          storageKey: `samples/${adapterIds.join("+") || "base"}-${index}.mid`,
          durationSeconds: 4,
          ratings: { create: rating === null ? [] : [{ score: rating, rater: `browser:stored-rater-${index}` }] },
        })),
      },
    },
    include: { samples: { orderBy: { index: "asc" } } },
  });
  return created.samples.map((sample) => sample.id);
}

/** What the suite needs of an app factory: the database may differ, the Prisma calls must be recorded through onQuery. */
export type StartEvaluationApp = (options: Pick<TestAppOptions, "onQuery">) => Promise<TestApp>;

export function evaluationSuite(label: string, start: StartEvaluationApp): void {
  describe(`evaluation API (${label})`, () => {
    let app: TestApp;
    const calls: string[] = [];
    let v1: string;
    let v2: string;
    let v3: string;
    let other: string;
    let runIds: { v1: string; v2: string };
    let experimentId: string;

    const job = (adapterId: string | null, ratings: number[], score: number) => storedJob(app, adapterId ? [adapterId] : [], ratings, score);

    beforeAll(async () => {
      app = await start({ onQuery: (model, operation) => calls.push(`${model ?? "$"}.${operation}`) });
      v1 = await uploadVersion(app, "jazz-solo", "1", 1);
      v2 = await uploadVersion(app, "jazz-solo", "2", 2);
      v3 = await uploadVersion(app, "jazz-solo", "3", 3);
      other = await uploadVersion(app, "blues-riff", "1", 4);
      expect((await app.gql(`mutation ($id: ID!) { deactivateAdapter(id: $id) { __typename } }`, { id: v1 })).data.deactivateAdapter.__typename).toBe("DeactivateAdapterSuccess");
      expect((await app.gql(`mutation ($id: ID!) { deleteAdapter(id: $id) { __typename } }`, { id: v3 })).data.deleteAdapter.__typename).toBe("DeleteAdapterSuccess");

      const prisma = app.deps.db.prisma;
      const experiment = await prisma.experiment.create({ data: { name: "jazz", baseModelId: BASE } });
      experimentId = experiment.id;
      const run = (name: string, adapterId: string, finalLoss: number) =>
        prisma.run.create({ data: { experimentId, name, status: "COMPLETED", effectiveConfig: {}, trainer: "builtin", finalLoss, adapterId } });
      runIds = { v1: (await run("r1", v1, 1.25)).id, v2: (await run("r2", v2, 1.05)).id };
      const time = new Date();
      const points = (runId: string, name: string, values: [number, number][]) => values.map(([step, value]) => ({ runId, name, step, value, time }));
      await prisma.metricPoint.createMany({
        data: [
          ...points(runIds.v1, "loss", [[1, 2.0], [2, 1.5], [3, 1.3]]),
          ...points(runIds.v1, "eval_loss", [[2, 1.4], [3, 1.25]]),
          ...points(runIds.v1, "eval_score", [[2, 0.5], [3, 0.6]]),
          ...points(runIds.v2, "loss", [[1, 1.8], [2, 1.1], [3, 0.9]]),
          ...points(runIds.v2, "eval_loss", [[2, 1.0], [3, 1.05]]),
          ...points(runIds.v2, "eval_score", [[2, 0.7], [3, 0.8]]),
        ],
      });

      const v2Samples = await job(v2, V2_RATINGS, 0.8);
      const v1Samples = await job(v1, V1_RATINGS, 0.4);
      await job(null, [3, 4], 0.3);
      // 9 wins for v2 (side A), 1 for v1, 2 ties: decided 10.
      const test = await prisma.abTest.create({
        data: { name: "v2 against v1", adapterAId: v2, adapterBId: v1, weightA: 1, weightB: 1, baseModelId: BASE, prompts: ["a jazz solo"], trialsPerPrompt: 12, seed: 1, status: "COMPLETED" },
      });
      const choices = [...Array(9).fill("A"), "B", "TIE", "TIE"] as ("A" | "B" | "TIE")[];
      await prisma.abTrial.createMany({
        data: choices.map((choice, index) => ({ testId: test.id, index, prompt: "a jazz solo", sampleAId: v2Samples[0]!, sampleBId: v1Samples[0]!, aShownFirst: index % 2 === 0, choice })),
      });
    });
    afterAll(async () => app?.close());

    it("lists every version of a name on a timeline with training results, scores, ratings and win rate", async () => {
      const { data, errors } = await app.gql(TIMELINE, { name: "jazz-solo" });
      expect(errors).toBeUndefined();
      const [first, second, third] = data.adapterTimeline;
      expect(data.adapterTimeline.map((v: { version: string; status: string; deleted: boolean }) => [v.version, v.status, v.deleted])).toEqual([
        ["1", "INACTIVE", false],
        ["2", "ACTIVE", false],
        ["3", "DELETED", true],
      ]);
      expect(first).toMatchObject({ adapterId: v1, finalLoss: 1.25, bestLoss: 1.25, ratingCount: 6, winRate: 0.1, preference: { wins: 1, losses: 9, ties: 2 } });
      expect(first.run).toEqual({ id: runIds.v1, name: "r1" });
      expect(first.experiment).toEqual({ id: experimentId, name: "jazz" });
      expect(first.ratingAverage).toBeCloseTo(11 / 6, 12);
      expect(second).toMatchObject({ finalLoss: 1.05, bestLoss: 1.0, ratingCount: 6, winRate: 0.9 });
      expect(second.evaluationScores).toEqual([
        { name: "eval_score", source: "RUN", value: 0.8, higherIsBetter: true, count: 1 },
        { name: "sample_score", source: "SAMPLES", value: expect.closeTo(0.8, 12), higherIsBetter: true, count: 6 },
        { name: "sample_pitch_class_distance", source: "SAMPLES", value: expect.closeTo(0.2, 12), higherIsBetter: false, count: 6 },
        { name: "sample_in_scale_ratio", source: "SAMPLES", value: expect.closeTo(0.8, 12), higherIsBetter: true, count: 6 },
      ]);
      expect(third).toMatchObject({ finalLoss: null, bestLoss: null, run: null, experiment: null, ratingAverage: null, ratingCount: 0, winRate: null, evaluationScores: [] });
    });

    it("returns an empty timeline for an unknown name", async () => {
      expect((await app.gql(TIMELINE, { name: "no-such-adapter" })).data.adapterTimeline).toEqual([]);
    });

    it("compares versions: better side per row, Mann–Whitney U on ratings, exact binomial on preferences, a summary", async () => {
      const { data, errors } = await app.gql(COMPARE, { ids: [v1, v2] });
      expect(errors).toBeUndefined();
      const comparison = data.compareAdapters;
      expect(comparison.__typename).toBe("AdapterComparison");
      const row = (metric: string) => comparison.rows.find((r: { metric: string }) => r.metric === metric);
      expect(row("training_loss")).toMatchObject({ betterAdapterId: v2, test: null, pValue: null, significant: false, values: [{ adapterId: v1, value: 1.3 }, { adapterId: v2, value: 0.9 }] });
      expect(row("training_loss").note).toMatch(/one value per adapter/);
      expect(row("eval_loss")).toMatchObject({ betterAdapterId: v2, values: [{ value: 1.25 }, { value: 1.05 }], test: null });
      expect(row("eval_score")).toMatchObject({ betterAdapterId: v2, higherIsBetter: true });
      expect(row("sample_pitch_class_distance")).toMatchObject({ betterAdapterId: v2, higherIsBetter: false });

      const ratings = row("rating_average");
      expect(ratings).toMatchObject({ betterAdapterId: v2, comparedWithAdapterId: v1, test: "MANN_WHITNEY_U", statistic: 35.5, significant: true });
      expect(ratings.method).toMatch(/normal approximation/);
      expect(ratings.pValue).toBeCloseTo(0.005501725154324199, 10);
      expect(row("rating_count")).toMatchObject({ betterAdapterId: null, values: [{ value: 6 }, { value: 6 }] });

      const preference = row("preference_win_rate");
      expect(preference).toMatchObject({ betterAdapterId: v2, test: "EXACT_BINOMIAL", statistic: 9, pValue: 0.021484375, significant: true, values: [{ value: 0.1, count: 10 }, { value: 0.9, count: 10 }] });
      expect(preference.interval.lower).toBeCloseTo(0.5958499732047615, 9);
      expect(preference.interval.upper).toBeCloseTo(0.9821237869049271, 9);

      expect(comparison.summary).toMatch(/^Significant at 0.05: /);
      expect(comparison.summary).toContain("average rating: version 2 of 'jazz-solo' is better than version 1 of 'jazz-solo' (Mann–Whitney U test, p = 0.006)");
      expect(comparison.summary).toContain("preference win rate: version 2 of 'jazz-solo' is better than version 1 of 'jazz-solo' (exact binomial test, p = 0.021)");
    });

    it("makes no significance claim where the data are too few, and says so", async () => {
      const { data } = await app.gql(COMPARE, { ids: [v2, v3, other] });
      const comparison = data.compareAdapters;
      const row = (metric: string) => comparison.rows.find((r: { metric: string }) => r.metric === metric);
      expect(row("rating_average")).toMatchObject({ betterAdapterId: null, test: null, significant: false, note: "fewer than two adapters have a value: no better side" });
      expect(row("preference_win_rate")).toMatchObject({ betterAdapterId: null, test: null, significant: false, note: "no decided A/B trials between these adapters" });
      expect(row("training_loss")).toMatchObject({ betterAdapterId: null, note: "fewer than two adapters have a value; one value per adapter, so no test" });
      expect(comparison.summary).toBe("No difference is statistically significant at 0.05; there were too few ratings and A/B trials for a test.");

      await job(v3, [5, 5], 0.9);
      const small = (await app.gql(COMPARE, { ids: [v2, v3] })).data.compareAdapters;
      const rating = small.rows.find((r: { metric: string }) => r.metric === "rating_average");
      expect(rating).toMatchObject({ betterAdapterId: v3, test: null, pValue: null, significant: false, note: "too few ratings (n < 5 per adapter) for a test" });
    });

    it("rejects fewer than two, more than five or repeated ids (BAD_USER_INPUT) and unknown ids (NOT_FOUND)", async () => {
      const ask = async (ids: string[]) => (await app.gql(COMPARE, { ids })).data.compareAdapters;
      expect(await ask([v1])).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
      expect(await ask([v1, v2, v3, other, v1, v2])).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
      expect(await ask([v1, v1])).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
      expect(await ask([v1, "missing"])).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND", message: expect.stringContaining("missing") });
    });

    it("reads a fixed number of queries whatever the number of adapters (no N+1)", async () => {
      const callsFor = async (ids: string[]) => {
        calls.length = 0;
        expect((await app.gql(COMPARE, { ids })).data.compareAdapters.__typename).toBe("AdapterComparison");
        return [...calls].sort();
      };
      expect(await callsFor([v1, v2, v3, other])).toEqual(await callsFor([v1, v2]));
      calls.length = 0;
      await app.gql(TIMELINE, { name: "jazz-solo" });
      expect(calls.length).toBeLessThanOrEqual(8);
    });

    it("summarises an adapter's generations and ratings beside the base model's own samples", async () => {
      const { data, errors } = await app.gql(PERFORMANCE, { id: v2 });
      expect(errors).toBeUndefined();
      const performance = data.adapterPerformance;
      expect(performance).toMatchObject({ adapter: { id: v2 }, baseModelId: BASE });
      expect(performance.own).toMatchObject({ totalGenerations: 1, sampleCount: 6, ratingCount: 6 });
      expect(performance.own.averageRating).toBeCloseTo(26 / 6, 12);
      expect(performance.own.distribution).toEqual([
        { score: 1, count: 0 },
        { score: 2, count: 0 },
        { score: 3, count: 1 },
        { score: 4, count: 2 },
        { score: 5, count: 3 },
      ]);
      expect(performance.baseModel).toMatchObject({ totalGenerations: 1, sampleCount: 2, averageRating: 3.5, ratingCount: 2 });
      expect(performance.baseModel.distribution.map((b: { count: number }) => b.count)).toEqual([0, 0, 1, 1, 0]);
      expect((await app.gql(PERFORMANCE, { id: "missing" })).data.adapterPerformance).toBeNull();
    });
    it("credits an adapter only with jobs that used it alone; stacked adapters' jobs are reported as their combination", async () => {
      const blues = async () => (await app.gql(TIMELINE, { name: "blues-riff" })).data.adapterTimeline[0];
      const alone = await storedJob(app, [other], [4, 4], 0.6);
      const stacked = await storedJob(app, [other, v2], [1, 1, 1], 0.1);
      expect(await blues()).toMatchObject({ ratingCount: 2, ratingAverage: 4, evidence: { jobs: 1, abTests: 0, combinationJobs: 1 } });
      expect((await blues()).evaluationScores.find((score: { name: string }) => score.name === "sample_score")).toMatchObject({ value: 0.6, count: 2 });
      const jobOf = async (sampleId: string) => (await app.deps.db.prisma.sample.findUniqueOrThrow({ where: { id: sampleId } })).jobId;
      expect((await blues()).evidence.recentJobIds).toEqual([await jobOf(alone[0]!)]);

      const { data } = await app.gql(PERFORMANCE, { id: other });
      expect(data.adapterPerformance.own).toMatchObject({ totalGenerations: 1, sampleCount: 2, ratingCount: 2, averageRating: 4 });
      expect(data.adapterPerformance.combinations).toEqual([{ adapters: [{ id: other }, { id: v2 }], jobs: 1, samples: 3, averageRating: 1, ratingCount: 3 }]);
      expect((await app.gql(PERFORMANCE, { id: v2 })).data.adapterPerformance.combinations).toEqual([{ adapters: [{ id: other }, { id: v2 }], jobs: 1, samples: 3, averageRating: 1, ratingCount: 3 }]);
      expect(stacked).toHaveLength(3);

      const prisma = app.deps.db.prisma;
      const test = await prisma.abTest.create({ data: { name: "blues against base", adapterAId: other, weightA: 1, baseModelId: BASE, prompts: ["a jazz solo"], trialsPerPrompt: 1, seed: 1, status: "READY" } });
      await storedJob(app, [other], [1], 0.2, test.id);
      expect(await blues()).toMatchObject({ ratingCount: 2, evidence: { jobs: 1, abTests: 0 } });
      await prisma.abTest.update({ where: { id: test.id }, data: { status: "COMPLETED" } });
      expect(await blues()).toMatchObject({ ratingCount: 3, ratingAverage: 3, evidence: { jobs: 2, abTests: 1, combinationJobs: 1 } });
    });
  });
}
