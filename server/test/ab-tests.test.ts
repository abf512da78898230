import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WAV_HEADER_BYTES } from "../src/formats/wav.js";
import { binomialTest } from "../src/stats/proportion.js";
import { connectedSidecar, createJob, eventually, registerTunesAdapter } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";
import { collect, untilListening } from "./subscriptions.js";

/*
 * Blind A/B tests end to end (DESIGN §9): the real API with its embedded sidecar generating the sample pairs, a judge
 * scripted through the API who learns the hidden order only from the database, and the blind file routes.
 */

const PROMPTS = ["a gentle waltz in C major", "a lively jig in D"];

const CREATE = `mutation ($input: CreateAbTestInput!) {
  createAbTest(input: $input) {
    __typename
    ... on Error { message code }
    ... on BadUserInputError { fieldErrors { field message } }
    ... on CreateAbTestSuccess { test { id status } }
  }
}`;

const TEST_FIELDS = `id name status error seed prompts trialsPerPrompt completedAt adapterA { id } adapterB { id } weightA weightB baseModel { id }
  progress { judged total jobsDone jobsTotal generation }
  result { wins losses ties judged decisive winRate interval { lower upper } pValue significant verdict }`;

const NEXT = `query ($id: ID!) {
  nextAbTrial(testId: $id) {
    trialId prompt index total
    first { side audioUrl midiUrl durationSeconds lengthSteps meter { beatsPerBar stepsPerBeat } notes { pitch start duration } }
    second { side audioUrl midiUrl durationSeconds lengthSteps meter { beatsPerBar stepsPerBeat } notes { pitch start duration } }
  }
}`;

const RECORD = `mutation ($trialId: ID!, $choice: AbChoice!) {
  recordAbChoice(trialId: $trialId, choice: $choice) {
    __typename
    ... on Error { message code }
    ... on RecordAbChoiceSuccess { test { id progress { judged total } } }
  }
}`;

const COMPLETE = `mutation ($id: ID!) {
  completeAbTest(id: $id) { __typename ... on Error { message code } ... on CompleteAbTestSuccess { test { ${TEST_FIELDS} } } }
}`;

interface Pair {
  trialId: string;
  index: number;
  total: number;
  first: { side: string; audioUrl: string; midiUrl: string; durationSeconds: number };
  second: { side: string; audioUrl: string; midiUrl: string; durationSeconds: number };
}

describe("blind A/B tests through the API and its embedded sidecar", () => {
  let app: TestApp;
  let left: string;
  let right: string;

  async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!;
  }

  async function create(input: Record<string, unknown>) {
    return (await ok(CREATE, { input: { name: "left or right", prompts: PROMPTS, trialsPerPrompt: 3, seed: 5, durationSeconds: 2, ...input } })).createAbTest;
  }

  async function view(id: string) {
    return (await ok(`query ($id: ID!) { abTest(id: $id) { ${TEST_FIELDS} } }`, { id })).abTest;
  }

  async function ready(id: string) {
    return eventually("the A/B test to be ready", async () => {
      const test = await view(id);
      if (test.status === "FAILED") throw new Error(`the A/B test failed: ${test.error}`);
      return test.status === "READY" && test;
    }, 60_000);
  }

  /** The next pair, with the whole response as text to search for anything that names a side. */
  async function next(testId: string): Promise<{ pair: Pair | null; raw: string }> {
    const response = await app.gql<{ nextAbTrial: Pair | null }>(NEXT, { id: testId });
    expect(response.errors).toBeUndefined();
    return { pair: response.data!.nextAbTrial, raw: JSON.stringify(response) };
  }

  /** What only the server knows: the displayed label of adapter A's sample. */
  async function labelOfAdapterA(trialId: string): Promise<"A" | "B"> {
    const trial = await app.deps.db.prisma.abTrial.findUniqueOrThrow({ where: { id: trialId } });
    return trial.aShownFirst ? "A" : "B";
  }

  const other = (label: "A" | "B") => (label === "A" ? "B" : "A");

  async function record(trialId: string, choice: string) {
    return (await ok(RECORD, { trialId, choice })).recordAbChoice;
  }

  const usage = async () =>
    Object.fromEntries((await app.deps.db.prisma.adapter.findMany({ where: { id: { in: [left, right] } } })).map((adapter) => [adapter.id === left ? "left" : "right", adapter.usageCount]));

  async function visibility(testId: string) {
    const jobs = await app.deps.db.prisma.generationJob.findMany({ where: { abTestId: testId }, include: { samples: true } });
    const listed = (await ok(`{ generationJobs(first: 200) { edges { node { id } } } }`)).generationJobs.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const byId = await ok(`query ($job: ID!, $sample: ID!) { generationJob(id: $job) { id } sample(id: $sample) { id } }`, { job: jobs[0]!.id, sample: jobs[0]!.samples[0]!.id });
    const sampleFile = await fetch(`${app.url}/samples/${jobs[0]!.samples[0]!.id}/sample.wav`, { headers: app.headers });
    return { jobIds: jobs.map((job) => job.id), listed, byId, sampleFileStatus: sampleFile.status };
  }

  /** While the test is open: its jobs and samples are not listed, readable by id, served or counted. */
  async function expectHidden(testId: string, usageBefore: Record<string, number>) {
    const seen = await visibility(testId);
    expect(seen.listed.filter((id: string) => seen.jobIds.includes(id))).toEqual([]);
    expect(seen.byId).toEqual({ generationJob: null, sample: null });
    expect(seen.sampleFileStatus).toBe(404);
    const today = (await ok(`{ dashboard { stats { generationsToday } } }`)).dashboard.stats.generationsToday;
    expect(today).toBe(seen.listed.length);
    expect(await usage()).toEqual(usageBefore);
  }

  /** Once the test is closed: its jobs are listed, readable and counted as uses of their adapters. */
  async function expectListed(testId: string, usageAfter: Record<string, number>) {
    const seen = await visibility(testId);
    expect(seen.jobIds.every((id) => seen.listed.includes(id))).toBe(true);
    expect(seen.byId.generationJob).not.toBeNull();
    expect(seen.sampleFileStatus).toBe(200);
    expect(await usage()).toEqual(usageAfter);
  }

  beforeAll(async () => {
    app = await startTestApp({ env: { SIDECAR: "embedded" } });
    left = await registerTunesAdapter(app, "ab-left", { seed: 21 });
    right = await registerTunesAdapter(app, "ab-right", { seed: 22, targetModules: ["fc2", "head"] });
    await connectedSidecar(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("refuses a test that cannot run, storing nothing", async () => {
    expect(await create({ adapterBId: left, adapterAId: left })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapterBId" }] });
    const sameWeights = await create({ adapterAId: left, adapterBId: left, weightA: 0.7, weightB: 0.7 });
    expect(sameWeights).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "weightB" }] });
    expect(sameWeights.message).toMatch(/^both sides are 'ab-left' 1 at weight 0\.7; .*different weights/);
    // B's weight left out is the adapter's default, 1: the same as A's
    expect(await create({ adapterAId: left, adapterBId: left, weightA: 1 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "weightB" }] });
    expect(await create({ adapterAId: left, weightB: 0.5 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "weightB" }] });
    expect(await create({ adapterAId: left, adapterBId: right, weightA: 2.5 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "weightA" }] });
    expect(await create({ adapterAId: "00000000-0000-0000-0000-000000000000", adapterBId: right })).toMatchObject({ __typename: "NotFoundError" });
    expect(await create({ adapterAId: left, prompts: [] })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "prompts" }] });
    expect(await create({ adapterAId: left, prompts: ["a", "a"] })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "prompts.1" }] });
    expect(await create({ adapterAId: left, trialsPerPrompt: 21 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "trialsPerPrompt" }] });
    expect(await create({ adapterAId: left, durationSeconds: 60 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "durationSeconds" }] });
    const prisma = app.deps.db.prisma;
    expect([await prisma.abTest.count(), await prisma.generationJob.count()]).toEqual([0, 0]);
  });

  it("generates the pairs with one seed, serves them blind, and reads the verdict off the scripted choices", async () => {
    const created = await create({ adapterAId: left, adapterBId: right });
    expect(created).toMatchObject({ __typename: "CreateAbTestSuccess", test: { status: "GENERATING" } });
    const testId: string = created.test.id;

    const test = await ready(testId);
    expect(test).toMatchObject({ weightA: 1, weightB: 1 });
    expect(test.progress).toEqual({ judged: 0, total: 6, jobsDone: 4, jobsTotal: 4, generation: 1 });
    expect(test.result).toMatchObject({ wins: 0, losses: 0, ties: 0, winRate: null, pValue: null, significant: false, verdict: "No trial judged yet." });

    const prisma = app.deps.db.prisma;
    const jobs = await prisma.generationJob.findMany({ where: { abTestId: testId }, include: { adapters: true, samples: true } });
    expect(jobs.map((job) => [job.prompt, job.abSide, (job.params as { seed: number }).seed, job.samples.length, job.adapters.map((entry) => entry.adapterId)]).sort()).toEqual(
      PROMPTS.flatMap((prompt) => [[prompt, "A", 5, 3, [left]], [prompt, "B", 5, 3, [right]]]).sort(),
    );
    const secrets = [left, right, "ab-left", "ab-right", ...jobs.map((job) => job.id), ...jobs.flatMap((job) => job.samples.map((sample) => sample.id))];

    // The judge picks adapter A's sample on four trials, B's on one, and calls one a tie.
    const script = ["ADAPTER_A", "ADAPTER_A", "TIE", "ADAPTER_B", "ADAPTER_A", "ADAPTER_A"];
    const judgedTrials: string[] = [];
    for (const step of script) {
      const { pair, raw } = await next(testId);
      expect(pair).not.toBeNull();
      for (const secret of secrets) expect(raw).not.toContain(secret);
      expect(pair!).toMatchObject({ index: judgedTrials.length, total: 6, first: { side: "A" }, second: { side: "B" } });
      const adapterA = await labelOfAdapterA(pair!.trialId);
      const choice = step === "TIE" ? "TIE" : step === "ADAPTER_A" ? adapterA : other(adapterA);
      expect(await record(pair!.trialId, choice)).toMatchObject({ __typename: "RecordAbChoiceSuccess", test: { progress: { judged: judgedTrials.length + 1, total: 6 } } });
      judgedTrials.push(pair!.trialId);
    }
    expect((await next(testId)).pair).toBeNull();

    const stored = await prisma.abTrial.findMany({ where: { testId }, orderBy: { index: "asc" } });
    expect(stored.map((trial) => trial.choice)).toEqual(["A", "A", "TIE", "B", "A", "A"]);
    expect(stored.every((trial) => trial.servedAt && trial.decidedAt)).toBe(true);

    const judged = await view(testId);
    const { pValue } = binomialTest(4, 5, 0.5);
    expect(judged.result).toMatchObject({ wins: 4, losses: 1, ties: 1, judged: 6, decisive: 5, winRate: 0.8, significant: false });
    expect(judged.result.pValue).toBeCloseTo(pValue, 12);
    expect(judged.result.interval.lower).toBeLessThan(0.8);
    expect(judged.result.interval.upper).toBeGreaterThan(0.8);
    expect(judged.result.verdict).toBe(
      `No significant difference yet (A won 4 of 5 decisive trials; 95% CI of A's win rate ${Math.round(judged.result.interval.lower * 100)}–${Math.round(judged.result.interval.upper * 100)}%; 1 tie left out), p = 0.38.`,
    );

    const again = await record(judgedTrials[0]!, "B");
    expect(again).toMatchObject({ __typename: "ConflictError", code: "CONFLICT" });
    expect(again.message).toMatch(/already judged/);
    expect((await prisma.abTrial.findUniqueOrThrow({ where: { id: judgedTrials[0]! } })).choice).toBe("A");
    expect(await record("00000000-0000-0000-0000-000000000000", "A")).toMatchObject({ code: "NOT_FOUND" });

    await expectHidden(testId, { left: 0, right: 0 });
    const completed = (await ok(COMPLETE, { id: testId })).completeAbTest;
    expect(completed.test).toMatchObject({ status: "COMPLETED", result: { wins: 4, losses: 1 } });
    expect(completed.test.result.verdict).toMatch(/^No significant difference \(A won 4 of 5 .*\), p = 0\.38\.$/);
    await expectListed(testId, { left: 2, right: 2 });
    expect(await record(judgedTrials[1]!, "A")).toMatchObject({ code: "BAD_USER_INPUT" });
    expect((await ok(COMPLETE, { id: testId })).completeAbTest).toMatchObject({ code: "CONFLICT" });

    const events = await prisma.activityEvent.findMany({ where: { subjectId: testId }, orderBy: { createdAt: "asc" } });
    expect(events.map((event) => event.type)).toEqual(["AB_TEST_CREATED", "AB_TEST_READY", "AB_TEST_COMPLETED"]);
  });

  it("serves each displayed side's own files through the blind routes, both sides alike in length, size and headers", async () => {
    const testId = (await create({ name: "files", adapterAId: right, adapterBId: left, prompts: [PROMPTS[0]], trialsPerPrompt: 2, seed: 9 })).test.id;
    await ready(testId);
    const { pair } = await next(testId);
    const trial = await app.deps.db.prisma.abTrial.findUniqueOrThrow({ where: { id: pair!.trialId }, include: { sampleA: true, sampleB: true } });
    const [shownA, shownB] = trial.aShownFirst ? [trial.sampleA, trial.sampleB] : [trial.sampleB, trial.sampleA];
    const files = app.deps.services.generation.files;
    const stored = await Promise.all([shownA, shownB].map((sample) => files.readAll(sample.storageKey, "audio")));
    const longer = Math.max(...stored.map((bytes) => bytes.length));
    const served: { headers: Record<string, string>; bytes: Buffer }[] = [];
    for (const [index, [blind, sample]] of ([[pair!.first, shownA], [pair!.second, shownB]] as const).entries()) {
      expect(blind.audioUrl).toMatch(new RegExp(`^/ab-trials/${trial.id}/${blind.side}\\.wav\\?expires=\\d+&key=[\\w-]+&signature=[\\w-]+$`));
      const audio = await fetch(`${app.url}${blind.audioUrl}`);
      expect([audio.status, audio.headers.get("content-type")]).toEqual([200, "audio/wav"]);
      expect(audio.headers.get("content-disposition")).not.toContain(sample.id);
      const bytes = Buffer.from(await audio.arrayBuffer());
      expect(bytes.length).toBe(longer);
      expect(bytes.subarray(WAV_HEADER_BYTES, stored[index]!.length).equals(stored[index]!.subarray(WAV_HEADER_BYTES)), "the stored audio, then silence").toBe(true);
      expect(bytes.subarray(stored[index]!.length).every((byte) => byte === 0)).toBe(true);
      served.push({ headers: Object.fromEntries([...audio.headers].filter(([name]) => name !== "date")), bytes });
      const midi = await fetch(`${app.url}${blind.midiUrl}`);
      expect(Buffer.from(await midi.arrayBuffer()).equals(await files.readAll(sample.storageKey, "midi"))).toBe(true);
      expect(blind.durationSeconds).toBe(Math.max(shownA.durationSeconds!, shownB.durationSeconds!));
    }
    const sideless = (headers: Record<string, string>) => ({ ...headers, "content-disposition": headers["content-disposition"]!.replace(/-[AB]\.wav/, "-?.wav") });
    expect(sideless(served[0]!.headers)).toEqual(sideless(served[1]!.headers));
    expect(served[0]!.headers["content-length"]).toBe(String(longer));
    const ranged = await fetch(`${app.url}${pair!.second.audioUrl}`, { headers: { range: `bytes=${longer - 10}-` } });
    expect([ranged.status, ranged.headers.get("content-range")]).toEqual([206, `bytes ${longer - 10}-${longer - 1}/${longer}`]);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(served[1]!.bytes.subarray(longer - 10))).toBe(true);
    expect((await fetch(`${app.url}/ab-trials/00000000-0000-0000-0000-000000000000/A.wav`, { headers: app.headers })).status).toBe(404);
  });

  it("tests an adapter against the base model, and completes with trials left unjudged", async () => {
    const testId = (await create({ name: "against the base", adapterAId: left, adapterBId: null, prompts: [PROMPTS[1]] })).test.id;
    const test = await ready(testId);
    expect(test).toMatchObject({ adapterA: { id: left }, adapterB: null, weightA: 1, weightB: null, baseModel: { id: "tunes-s" }, progress: { total: 3, jobsTotal: 2 } });
    const baseJob = await app.deps.db.prisma.generationJob.findFirstOrThrow({ where: { abTestId: testId, abSide: "B" }, include: { adapters: true } });
    expect(baseJob.adapters).toEqual([]);

    for (let judged = 0; judged < 2; judged += 1) {
      const { pair } = await next(testId);
      expect(await record(pair!.trialId, other(await labelOfAdapterA(pair!.trialId)))).toMatchObject({ __typename: "RecordAbChoiceSuccess" });
    }
    const completed = (await ok(COMPLETE, { id: testId })).completeAbTest.test;
    expect(completed.progress).toMatchObject({ judged: 2, total: 3 });
    expect(completed.result).toMatchObject({ wins: 0, losses: 2, ties: 0, winRate: 0, pValue: binomialTest(0, 2, 0.5).pValue, significant: false });
    expect(completed.result.verdict).toMatch(/^No significant difference \(A won 0 of 2 decisive trials; 95% CI of A's win rate 0–\d+%\), p = 0\.5\.$/);
    expect((await next(testId)).pair).toBeNull();

    const list = (await ok(`{ abTests(first: 10) { totalCount edges { node { id name status } } } }`)).abTests;
    expect(list.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(["against the base", "files", "left or right"]);
  });

  it("compares two weights of one adapter, each side's jobs applying its own, and names the weights", async () => {
    const testId = (await create({ name: "two weights", adapterAId: left, adapterBId: left, weightA: 0.4, weightB: 1.2, prompts: [PROMPTS[0]], trialsPerPrompt: 6 })).test.id;
    expect(await ready(testId)).toMatchObject({ adapterA: { id: left }, adapterB: { id: left }, weightA: 0.4, weightB: 1.2, progress: { total: 6, jobsTotal: 2 } });
    const prisma = app.deps.db.prisma;
    const jobs = await prisma.generationJob.findMany({ where: { abTestId: testId }, include: { adapters: true } });
    expect(jobs.map((job) => [job.abSide, job.adapters.map((entry) => [entry.adapterId, entry.weight])]).sort()).toEqual([
      ["A", [[left, 0.4]]],
      ["B", [[left, 1.2]]],
    ]);
    const created = await prisma.activityEvent.findFirstOrThrow({ where: { subjectId: testId, type: "AB_TEST_CREATED" } });
    expect(created.message).toBe("A/B test 'two weights' of 'ab-left' 1 at weight 0.4 against 'ab-left' 1 at weight 1.2 created: 6 trials to generate");

    for (let judged = 0; judged < 6; judged += 1) {
      const { pair } = await next(testId);
      await record(pair!.trialId, await labelOfAdapterA(pair!.trialId));
    }
    expect((await view(testId)).result.verdict).toMatch(/^Adapter A \(ab-left 1 at weight 0\.4\) is preferred over adapter B \(ab-left 1 at weight 1\.2\): 6 of 6 decisive trials/);
  });

  it("answers a follower with the test as it is now, so one that subscribes after the test settled still sees it, and ends with the settling", async () => {
    const ws = app.wsClient();
    try {
      const testId = (await create({ name: "followed late", adapterAId: left, adapterBId: right, prompts: [PROMPTS[0]], trialsPerPrompt: 2 })).test.id;
      const whileGenerating = collect<{ status: string }>(ws, `subscription ($id: ID!) { abTestUpdates(id: $id) { status } }`, { id: testId });
      await ready(testId);
      // the settling is the last answer, and the stream completes with it
      expect((await whileGenerating.done).at(-1)).toEqual({ status: "READY" });

      const late = collect<{ id: string; status: string }>(ws, `subscription ($id: ID!) { abTestUpdates(id: $id) { id status } }`, { id: testId });
      expect(await late.done).toEqual([{ id: testId, status: "READY" }]);

      const unknown = collect(ws, `subscription { abTestUpdates(id: "no-such-test") { id } }`);
      await expect(unknown.done).rejects.toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: "NOT_FOUND" }) })] });
    } finally {
      await ws.dispose();
    }
  });

  it("pushes the test's progress to its followers as its jobs change, and never its jobs to a list of jobs", async () => {
    const ws = app.wsClient();
    const doneIn = (items: { id: string; status: string }[], id: string) => items.some((update) => update.id === id && update.status === "DONE");
    try {
      const everyJob = collect<{ id: string; status: string }>(ws, `subscription { generationJobUpdates { id status } }`, {});
      // short jobs until one's change arrives
      await untilListening(() => createJob(app, { prompt: PROMPTS[0], baseModelId: "tunes-s", durationSeconds: 1 }), () => everyJob.items.length > 0);

      const testId = (await create({ name: "followed", adapterAId: left, adapterBId: right, prompts: [PROMPTS[0]], trialsPerPrompt: 20, durationSeconds: 10 })).test.id;
      const ofTheTest = collect<{ id: string; progress: { jobsDone: number } }>(ws, `subscription ($id: ID!) { abTestUpdates(id: $id) { id progress { jobsDone } } }`, { id: testId });
      const plain = await createJob(app, { prompt: PROMPTS[1], baseModelId: "tunes-s", durationSeconds: 1 });
      await ready(testId);
      const jobs = (await app.deps.db.prisma.generationJob.findMany({ where: { abTestId: testId }, select: { id: true }, orderBy: { createdAt: "asc" } })).map((job) => job.id);
      expect(jobs).toHaveLength(6);
      await eventually("the plain job's end and the test's last job to be pushed", async () => doneIn(everyJob.items, plain) && ofTheTest.items.some((update) => update.progress.jobsDone === 6));
      expect(everyJob.items.filter((update) => jobs.includes(update.id)), "no job of the open test").toEqual([]);
      expect(ofTheTest.items.every((update) => update.id === testId)).toBe(true);
      everyJob.dispose();
      ofTheTest.dispose();
    } finally {
      await ws.dispose();
    }
  });
});
