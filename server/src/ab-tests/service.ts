import { randomInt } from "node:crypto";
import type { Logger } from "pino";
import type { AbTest, AbTrial, Adapter, GenerationJob, Prisma, PrismaClient, Sample } from "../generated/prisma/client.js";
import type { ActivityInput, ActivityService, RecordedChange } from "../activity/service.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { MAX_SAMPLES } from "../generation/inputs.js";
import { paramsOf, type AbTestSide, type GenerationService } from "../generation/service.js";
import { followState, merged, type EventBus } from "../pubsub/pubsub.js";
import { createAbTestInput, inAdapterTerms, MAX_AB_SEED, recordAbChoiceInput, type CreateAbTestInput } from "./inputs.js";

export interface AbTestServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  events: EventBus;
  generation: GenerationService;
  logger: Logger;
}

/** A trial as the judge sees it: its two samples by their displayed side, nothing that says which adapter made which. */
export interface AbTrialPair {
  trial: AbTrial;
  total: number;
  first: Sample;
  second: Sample;
  /** both sides last as long as the longer (the shorter's audio is padded with silence), so no length tells them apart */
  durationSeconds: number;
}

/** The files of a displayed side of a trial, and of the other side, whose length the shown audio is padded to. */
export interface BlindTrialSide {
  trialIndex: number;
  shown: Pick<Sample, "storageKey">;
  other: Pick<Sample, "storageKey">;
}

export type DisplayedSide = "A" | "B";
type Side = AbTestSide["abSide"];

const SIDES: Side[] = ["A", "B"];

/** A side's samples come from jobs of at most MAX_SAMPLES each; chunk k starts at seed + k·MAX_SAMPLES, as one big job would. */
const chunksOf = (trialsPerPrompt: number) => Math.ceil(trialsPerPrompt / MAX_SAMPLES);
export const expectedJobs = (test: Pick<AbTest, "prompts" | "trialsPerPrompt">) => test.prompts.length * SIDES.length * chunksOf(test.trialsPerPrompt);
/** A side's adapter and the weight its jobs apply it with. */
interface WeightedAdapter {
  adapter: Adapter;
  weight: number;
}

const sideLabel = ({ adapter, weight }: WeightedAdapter) => `'${adapter.name}' ${adapter.version} at weight ${weight}`;

/**
 * Blind A/B tests (DESIGN §9): the samples of both sides are made by generation jobs with the same prompts and seeds, so
 * only the adapter (or its weight) differs; once every job is done the trials pair sample i of each side, each shown in
 * an order drawn here and kept. Choices arrive in the displayed terms and are stored in the adapters' terms.
 */
export class AbTestService {
  private constructor(private readonly deps: AbTestServiceDeps) {}

  /** The service, following every generation job's end from now on, so a test becomes READY (or FAILED) with its jobs. */
  static listening(deps: AbTestServiceDeps): AbTestService {
    const service = new AbTestService(deps);
    void service.followJobEnds();
    void service.settleAfterResyncs();
    return service;
  }

  private get prisma() {
    return this.deps.prisma;
  }

  // ---- creating a test -----------------------------------------------------------------------

  /**
   * Checks every job it needs as generation would (adapters live, active, fitting A's base model, served by our sidecar
   * or a generation backend; the duration), storing nothing when one is refused; then stores the test and queues one job per prompt and side.
   */
  async create(rawInput: unknown): Promise<AbTest> {
    const input = parseInput(createAbTestInput, rawInput);
    const adapterA = await this.prisma.adapter.findUnique({ where: { id: input.adapterAId } });
    if (!adapterA) throw new NotFoundError(`adapter A '${input.adapterAId}' does not exist`);
    const adapterB = input.adapterBId ? await this.prisma.adapter.findUnique({ where: { id: input.adapterBId } }) : null;
    if (input.adapterBId && !adapterB) throw new NotFoundError(`adapter B '${input.adapterBId}' does not exist; leave it empty to test against the base model`);
    const sideA: WeightedAdapter = { adapter: adapterA, weight: input.weightA ?? adapterA.weight };
    const sideB: WeightedAdapter | null = adapterB && { adapter: adapterB, weight: input.weightB ?? adapterB.weight };
    if (sideB?.adapter.id === adapterA.id && sideB.weight === sideA.weight) throw sameSidesError(input, sideA);
    const adaptersOf = { A: sideAdapters(sideA), B: sideAdapters(sideB) };
    const seed = input.seed ?? randomInt(0, MAX_AB_SEED);
    const jobInputs = (sides: Side[]) =>
      input.prompts.flatMap((prompt) =>
        sides.flatMap((side) => chunkInputs(input, seed).map((chunk) => ({ side, input: { ...chunk, prompt, baseModelId: adapterA.baseModelId, adapters: adaptersOf[side] } }))),
      );
    for (const side of SIDES) await this.deps.generation.check(jobInputs([side])[0]!.input);
    const test = await this.record(async (tx) => {
      const created = await tx.abTest.create({
        data: {
          name: input.name,
          adapterAId: adapterA.id,
          adapterBId: adapterB?.id ?? null,
          weightA: sideA.weight,
          weightB: sideB?.weight ?? null,
          baseModelId: adapterA.baseModelId,
          prompts: input.prompts,
          trialsPerPrompt: input.trialsPerPrompt,
          seed,
        },
      });
      const against = sideB ? sideLabel(sideB) : "the base model";
      const message = `A/B test '${created.name}' of ${sideLabel(sideA)} against ${against} created: ${input.prompts.length * input.trialsPerPrompt} trials to generate`;
      return { result: created, event: { type: "AB_TEST_CREATED", message, subjectType: "AbTest", subjectId: created.id } };
    });
    try {
      for (const job of jobInputs(SIDES)) await this.deps.generation.create(job.input, { abTestId: test.id, abSide: job.side });
    } catch (error) {
      await this.fail(test, `its generation jobs could not all be queued: ${(error as Error).message}`);
      throw error;
    }
    return test;
  }

  // ---- following the jobs --------------------------------------------------------------------

  private async followJobEnds(): Promise<void> {
    for await (const job of this.deps.events.subscribe("generationEnded")) {
      if (!job.abTestId) continue;
      await this.settle(job.abTestId, { creationEnded: false }).catch((error: unknown) =>
        this.deps.logger.error({ err: error, abTestId: job.abTestId, jobId: job.id }, "could not settle the A/B test after its job ended"),
      );
    }
  }

  /** Job ends published while the bus was away were not heard: every test still generating looks at its jobs again. */
  private async settleAfterResyncs(): Promise<void> {
    for await (const _resync of this.deps.events.resyncs()) {
      await this.settleGenerating({ creationEnded: false }).catch((error: unknown) => this.deps.logger.error({ err: error }, "could not settle the A/B tests after a resync"));
    }
  }

  private async settleGenerating(options: { creationEnded: boolean }): Promise<void> {
    for (const test of await this.prisma.abTest.findMany({ where: { status: "GENERATING" }, select: { id: true } })) {
      await this.settle(test.id, options);
    }
  }

  /**
   * Tests a previous process left GENERATING settle with the jobs they have: the API may have stopped after their last
   * job ended but before the trials were made, or before every job was queued. Call after generation's own recovery.
   */
  async recover(): Promise<void> {
    await this.settleGenerating({ creationEnded: true });
  }

  /**
   * A failed job fails the test; once every job is done the trials are made and the test is READY. `creationEnded` says
   * no more jobs can come, so a test missing some fails rather than waiting for ever.
   */
  private async settle(testId: string, { creationEnded }: { creationEnded: boolean }): Promise<void> {
    const test = await this.prisma.abTest.findUnique({ where: { id: testId } });
    if (!test || test.status !== "GENERATING") return;
    const jobs = await this.prisma.generationJob.findMany({ where: { abTestId: testId }, orderBy: { createdAt: "asc" } });
    const failed = jobs.find((job) => job.status === "FAILED");
    if (failed) return this.fail(test, `the generation of side ${failed.abSide} for "${failed.prompt}" failed: ${failed.error}`);
    if (creationEnded && jobs.length < expectedJobs(test)) {
      return this.fail(test, `only ${jobs.length} of its ${expectedJobs(test)} generation jobs were queued before the API stopped`);
    }
    if (jobs.length < expectedJobs(test) || jobs.some((job) => job.status !== "DONE")) return;
    // the samples only once, when every job is done, not at each job's end
    const trials = pairSamples(test, await this.prisma.generationJob.findMany({ where: { abTestId: testId }, include: { samples: true } }));
    await this.settleOnce(test, { status: "READY" }, async (tx) => {
      await tx.abTrial.createMany({ data: trials });
      return { type: "AB_TEST_READY", message: `A/B test '${test.name}' is ready: ${trials.length} trials to judge`, subjectType: "AbTest", subjectId: test.id };
    });
  }

  /** FAILED with the reason: no trial will be judged, so its jobs are listed and counted from now on. */
  private async fail(test: AbTest, reason: string): Promise<void> {
    await this.settleOnce(test, { status: "FAILED", error: reason }, async (tx) => {
      await countRevealedUses(tx, test.id);
      return { type: "AB_TEST_FAILED", message: `A/B test '${test.name}' failed: ${reason}`, subjectType: "AbTest", subjectId: test.id };
    });
  }

  /** Moves the test out of GENERATING and records why; two settlements racing (two jobs ending at once) make one change and one event. */
  private async settleOnce(
    test: AbTest,
    data: { status: "READY" } | { status: "FAILED"; error: string },
    change: (tx: Prisma.TransactionClient) => Promise<ActivityInput>,
  ): Promise<void> {
    await this.record(async (tx) => {
      const claimed = await tx.abTest.updateMany({ where: { id: test.id, status: "GENERATING" }, data });
      if (claimed.count === 0) throw new AlreadySettled();
      return { result: null, event: await change(tx) };
    }).catch((error: unknown) => {
      if (!(error instanceof AlreadySettled)) throw error;
    });
  }

  // ---- judging -------------------------------------------------------------------------------

  /** The first trial not judged yet, marked served; null when the test is not READY or every trial is judged. */
  async next(testId: string): Promise<AbTrialPair | null> {
    const test = await this.prisma.abTest.findUnique({ where: { id: testId }, select: { status: true, _count: { select: { trials: true } } } });
    if (test?.status !== "READY") return null;
    const trial = await this.prisma.abTrial.findFirst({ where: { testId, choice: null }, orderBy: { index: "asc" }, include: { sampleA: true, sampleB: true } });
    if (!trial) return null;
    if (!trial.servedAt) await this.prisma.abTrial.updateMany({ where: { id: trial.id, servedAt: null }, data: { servedAt: new Date() } });
    const { sampleA, sampleB, ...plain } = trial;
    const [first, second] = trial.aShownFirst ? [sampleA, sampleB] : [sampleB, sampleA];
    return { trial: plain, total: test._count.trials, first, second, durationSeconds: Math.max(first.durationSeconds ?? 0, second.durationSeconds ?? 0) };
  }

  /** The judge's choice between the displayed sides, stored in the adapters' terms; once per trial. */
  async recordChoice(rawInput: unknown): Promise<AbTest> {
    const { trialId, choice } = parseInput(recordAbChoiceInput, rawInput);
    const trial = await this.prisma.abTrial.findUnique({ where: { id: trialId }, include: { test: true } });
    if (!trial) throw new NotFoundError(`A/B trial '${trialId}' does not exist`);
    if (trial.test.status !== "READY") {
      throw BadUserInputError.forField("trialId", `A/B test '${trial.test.name}' is ${trial.test.status.toLowerCase()}, so its trials cannot be judged`);
    }
    const judged = await this.prisma.abTrial.updateMany({ where: { id: trialId, choice: null }, data: { choice: inAdapterTerms(choice, trial.aShownFirst), decidedAt: new Date() } });
    if (judged.count === 0) throw new ConflictError(`trial ${trial.index + 1} of A/B test '${trial.test.name}' was already judged; ask nextAbTrial for the next one`);
    return trial.test;
  }

  /** COMPLETED, even with trials left unjudged: the result counts the judged ones; its jobs are listed and counted from now on. */
  async complete(id: string): Promise<AbTest> {
    const test = await this.prisma.abTest.findUnique({ where: { id }, include: { trials: { select: { choice: true } } } });
    if (!test) throw new NotFoundError(`A/B test '${id}' does not exist`);
    if (test.status === "COMPLETED") throw new ConflictError(`A/B test '${test.name}' was already completed on ${test.completedAt!.toISOString()}`);
    if (test.status !== "READY") throw BadUserInputError.forField("id", `A/B test '${test.name}' is ${test.status.toLowerCase()}; only a ready test can be completed`);
    const judged = test.trials.filter((trial) => trial.choice !== null).length;
    return this.record(async (tx) => {
      const completed = await tx.abTest.update({ where: { id }, data: { status: "COMPLETED", completedAt: new Date() } });
      await countRevealedUses(tx, id);
      const message = `A/B test '${test.name}' completed with ${judged} of ${test.trials.length} trials judged`;
      return { result: completed, event: { type: "AB_TEST_COMPLETED", message, subjectType: "AbTest", subjectId: id, data: { judged, total: test.trials.length } } };
    });
  }

  // ---- following a test ----------------------------------------------------------------------

  /**
   * The test now, then after each change of one of its jobs (its progress) and each recorded activity (its settling
   * into READY or FAILED is one), until it has settled. The first answer closes the gap between a page's read of the
   * test and its subscription's start: a test that became ready in between is seen ready then.
   */
  async updates(testId: string): Promise<AsyncGenerator<AbTest>> {
    if (!(await this.prisma.abTest.findUnique({ where: { id: testId }, select: { id: true } }))) throw new NotFoundError(`A/B test '${testId}' does not exist`);
    return followState({
      changes: merged(this.deps.generation.abTestJobUpdates(testId), this.deps.events.subscribe("activity")),
      load: () => this.prisma.abTest.findUniqueOrThrow({ where: { id: testId } }),
      isFinal: (test) => test.status !== "GENERATING",
      sync: this.deps.events,
    });
  }

  // ---- the blind files -----------------------------------------------------------------------

  /** The sample shown on a displayed side of a trial and the other side's, for the route that serves it without naming it. */
  async blindSide(trialId: string, side: DisplayedSide): Promise<BlindTrialSide | null> {
    const storageKey = { select: { storageKey: true } };
    const trial = await this.prisma.abTrial.findUnique({ where: { id: trialId }, select: { index: true, aShownFirst: true, sampleA: storageKey, sampleB: storageKey } });
    if (!trial) return null;
    const adapterAShown = (side === "A") === trial.aShownFirst;
    const [shown, other] = adapterAShown ? [trial.sampleA, trial.sampleB] : [trial.sampleB, trial.sampleA];
    return { trialIndex: trial.index, shown, other };
  }

  private record<T>(change: (tx: Prisma.TransactionClient) => Promise<RecordedChange<T>>): Promise<T> {
    return this.deps.activity.transaction(this.prisma, change);
  }
}

class AlreadySettled extends Error {}

/** A test's jobs count as uses of their adapters once it is no longer open (generation leaves them uncounted until then). */
async function countRevealedUses(tx: Prisma.TransactionClient, testId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Adapter" a SET "usageCount" = a."usageCount" + used."jobs"
    FROM (SELECT ja."adapterId", count(*)::int AS "jobs" FROM "GenerationJobAdapter" ja JOIN "GenerationJob" j ON j."id" = ja."jobId" WHERE j."abTestId" = ${testId} GROUP BY ja."adapterId") used
    WHERE a."id" = used."adapterId"`;
}

/** A side's adapters in a job: none for the base model. */
function sideAdapters(side: WeightedAdapter | null): { adapterId: string; weight: number }[] {
  return side ? [{ adapterId: side.adapter.id, weight: side.weight }] : [];
}

/** Both sides the same adapter at the same weight: nothing would differ. Blames the weight when one was given. */
function sameSidesError(input: CreateAbTestInput, side: WeightedAdapter): BadUserInputError {
  const field = input.weightA === null && input.weightB === null ? "adapterBId" : "weightB";
  return BadUserInputError.forField(
    field,
    `both sides are ${sideLabel(side)}; choose another adapter for B (or none, for the base model), or give the sides different weights (weightA, weightB) to compare two weights of it`,
  );
}

/** One generation input per chunk of a side's samples for a prompt (prompt and adapters are added by the caller). */
function chunkInputs(input: CreateAbTestInput, seed: number) {
  return Array.from({ length: chunksOf(input.trialsPerPrompt) }, (_, chunk) => ({
    durationSeconds: input.durationSeconds,
    samples: Math.min(MAX_SAMPLES, input.trialsPerPrompt - chunk * MAX_SAMPLES),
    seed: seed + chunk * MAX_SAMPLES,
  }));
}

/** Trial p·n + i pairs sample i of side A with sample i of side B for prompt p; which is shown first is drawn (crypto). */
function pairSamples(test: AbTest, jobs: (GenerationJob & { samples: Sample[] })[]) {
  const sampleAt = (prompt: string, side: Side, index: number): Sample => {
    for (const job of jobs.filter((candidate) => candidate.prompt === prompt && candidate.abSide === side)) {
      const sample = job.samples.find((candidate) => paramsOf(job).seed - test.seed + candidate.index === index);
      if (sample) return sample;
    }
    throw new Error(`A/B test ${test.id} has no sample ${index} of side ${side} for "${prompt}"`);
  };
  return test.prompts.flatMap((prompt, promptIndex) =>
    Array.from({ length: test.trialsPerPrompt }, (_, index) => ({
      testId: test.id,
      index: promptIndex * test.trialsPerPrompt + index,
      prompt,
      sampleAId: sampleAt(prompt, "A", index).id,
      sampleBId: sampleAt(prompt, "B", index).id,
      aShownFirst: randomInt(2) === 1,
    })),
  );
}
