import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectedSidecar, eventually, registerTunesAdapter } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * An API that stops while an A/B test is GENERATING leaves it there; the next API settles it from what the database
 * holds. The first app makes a test's samples for real, then the database is put in the state a stop would leave;
 * a second app starts on the same PGlite directory.
 */

const CREATE = `mutation ($input: CreateAbTestInput!) {
  createAbTest(input: $input) { __typename ... on Error { message code } ... on CreateAbTestSuccess { test { id } } }
}`;

const VIEW = `query ($id: ID!) { abTest(id: $id) { status error progress { total jobsDone jobsTotal } } }`;

describe("A/B tests a stopped API left generating", () => {
  let pgliteDir: string;
  let app: TestApp | undefined;
  let generatedId: string;
  let neverQueuedId: string;

  const view = async (id: string) => (await app!.gql(VIEW, { id })).data!.abTest;

  beforeAll(async () => {
    pgliteDir = await mkdtemp(join(tmpdir(), "lora-studio-ab-recovery-"));
    app = await startTestApp({ pgliteDir, env: { SIDECAR: "embedded" } });
    const adapterA = await registerTunesAdapter(app, "recover-a", { seed: 31 });
    await connectedSidecar(app);
    const input = { name: "stopped before its trials", adapterAId: adapterA, prompts: ["a gentle waltz"], trialsPerPrompt: 3, seed: 9, durationSeconds: 2 };
    generatedId = (await app.gql(CREATE, { input })).data!.createAbTest.test.id;
    await eventually("the A/B test to be ready", async () => (await view(generatedId)).status === "READY", 60_000);

    const prisma = app.deps.db.prisma;
    // what the database holds when the API stops between the last job's end and the trials
    await prisma.abTrial.deleteMany({ where: { testId: generatedId } });
    await prisma.abTest.update({ where: { id: generatedId }, data: { status: "GENERATING" } });
    // and when it stops after storing a test but before queueing its jobs
    const stored = await prisma.abTest.findUniqueOrThrow({ where: { id: generatedId } });
    const { id: _id, createdAt: _createdAt, ...fields } = stored;
    neverQueuedId = (await prisma.abTest.create({ data: { ...fields, name: "stopped before its jobs" } })).id;
    await app.close();

    app = await startTestApp({ pgliteDir });
  });

  afterAll(async () => {
    await app?.close();
    await rm(pgliteDir, { recursive: true, force: true });
  });

  it("makes the trials of a test whose jobs had all finished, and it can be judged", async () => {
    expect(await view(generatedId)).toMatchObject({ status: "READY", error: null, progress: { total: 3, jobsDone: 2, jobsTotal: 2 } });
    const pair = (await app!.gql(`query ($id: ID!) { nextAbTrial(testId: $id) { index total } }`, { id: generatedId })).data!.nextAbTrial;
    expect(pair).toEqual({ index: 0, total: 3 });
    const events = await app!.deps.db.prisma.activityEvent.findMany({ where: { subjectId: generatedId, type: "AB_TEST_READY" } });
    expect(events, "one READY event from the first app, one from the settlement").toHaveLength(2);
  });

  it("fails a test whose jobs were never all queued, saying so", async () => {
    expect(await view(neverQueuedId)).toMatchObject({ status: "FAILED", error: "only 0 of its 2 generation jobs were queued before the API stopped" });
    expect(await app!.deps.db.prisma.abTrial.count({ where: { testId: neverQueuedId } })).toBe(0);
  });
});
