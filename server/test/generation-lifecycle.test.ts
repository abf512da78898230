import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectedSidecar, createJob, eventually, generate, jobView, progressOf, registerTunesAdapter } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * Generation jobs beside the rest of the sidecar's life: a training run in progress (generation has slots of its own),
 * and a sidecar that dies with jobs running (they fail with the reason, queued ones run on the restarted sidecar).
 */

const LONG_RUN = { rank: 4, alpha: 8, epochs: 1000, maxSteps: 100_000, evalEvery: 1000, batchSize: 32 };
const LONG_JOB = { prompt: "a lively jig", baseModelId: "tunes-m", durationSeconds: 32, samples: 8, seed: 3 };

describe("generation jobs beside training runs and sidecar restarts", () => {
  let app: TestApp;
  let ws: Client;

  async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!;
  }

  beforeAll(async () => {
    app = await startTestApp({ env: { SIDECAR: "embedded" } });
    ws = app.wsClient();
    await connectedSidecar(app);
  });

  afterAll(async () => {
    await ws?.dispose();
    await app?.close();
  });

  it("generates while a training run holds the sidecar's only training slot", async () => {
    const dataset = await ok(`mutation { generateDataset(input: { name: "jigs", style: "dorian-jig", count: 40, seed: 2 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
    const experiment = await ok(
      `mutation ($input: CreateExperimentInput!) { createExperiment(input: $input) { ... on CreateExperimentSuccess { experiment { id } } } }`,
      { input: { name: "long jigs", baseModelId: "tunes-s", datasetId: dataset.generateDataset.dataset.id, config: LONG_RUN } },
    );
    const run = await ok(`mutation ($id: ID!) { startRun(experimentId: $id) { ... on StartRunSuccess { run { id } } } }`, { id: experiment.createExperiment.experiment.id });
    const runId = run.startRun.run.id;
    await eventually("the run to train", async () => (await ok(`query ($id: ID!) { run(id: $id) { lastSeq } }`, { id: runId })).run.lastSeq > 0);

    const adapter = await registerTunesAdapter(app, "beside", { seed: 4 });
    const job = await generate(app, ws, { prompt: "a merry jig", baseModelId: "tunes-s", durationSeconds: 6, samples: 2, adapters: [{ adapterId: adapter, weight: 1 }] });
    expect(job.status, job.error ?? "").toBe("DONE");
    expect((await ok(`query ($id: ID!) { run(id: $id) { status } }`, { id: runId })).run.status, "the run went on meanwhile").toBe("RUNNING");

    await ok(`mutation ($id: ID!) { cancelRun(id: $id) { __typename } }`, { id: runId });
    await eventually("the run to end", async () => (await ok(`query ($id: ID!) { run(id: $id) { status } }`, { id: runId })).run.status === "CANCELLED");
  });

  it("scores against the dataset a trained adapter learnt from when the prompt names no style, else without a reference", async () => {
    const dataset = await ok(`mutation { generateDataset(input: { name: "folk", style: "pentatonic-folk", count: 40, seed: 5 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
    const datasetId = dataset.generateDataset.dataset.id;
    const experiment = await ok(
      `mutation ($input: CreateExperimentInput!) { createExperiment(input: $input) { ... on CreateExperimentSuccess { experiment { id } } } }`,
      { input: { name: "quick folk", baseModelId: "tunes-s", datasetId, config: { rank: 4, alpha: 8, epochs: 1, maxSteps: 30, evalEvery: 30, batchSize: 32 } } },
    );
    const started = await ok(`mutation ($id: ID!) { startRun(experimentId: $id) { ... on StartRunSuccess { run { id } } } }`, { id: experiment.createExperiment.experiment.id });
    const trained = await eventually("the run to complete", async () => {
      const { run } = await ok(`query ($id: ID!) { run(id: $id) { status error adapter { id } } }`, { id: started.startRun.run.id });
      expect(["PENDING", "RUNNING", "COMPLETED"], run.error ?? "").toContain(run.status);
      return run.status === "COMPLETED" && run.adapter.id;
    }, 60_000);

    const withTrained = await generate(app, ws, { prompt: "an evening melody", baseModelId: "tunes-s", durationSeconds: 4, samples: 1, adapters: [{ adapterId: trained, weight: 1 }] });
    expect(withTrained.status, withTrained.error ?? "").toBe("DONE");
    expect(withTrained.samples[0]!.scores).toMatchObject({ referenceKind: "DATASET", referenceId: datasetId, referenceName: "folk" });
    expect(withTrained.samples[0]!.scores.score).toEqual(expect.any(Number));

    const plain = await generate(app, ws, { prompt: "an evening melody", baseModelId: "tunes-s", durationSeconds: 4, samples: 1 });
    expect(plain.samples[0]!.scores).toMatchObject({ referenceKind: "NONE", referenceId: null, score: null, pitchClassDistance: null, noteCount: plain.samples[0]!.notes.length });
    expect(plain.samples[0]!.scores.rhythmDensity).toEqual(expect.any(Number));
  });

  it("queues the jobs a killed sidecar was running again (GENERATION_RETRIES), and runs them and the queued ones on the restarted sidecar", async () => {
    const supervisor = app.app.sidecar!;
    const ids: string[] = [];
    for (let index = 0; index < 6; index += 1) ids.push(await createJob(app, { ...LONG_JOB, seed: index }));
    await eventually("four jobs to run (the sidecar's generation slots)", async () => {
      const statuses = await Promise.all(ids.map(async (id) => (await jobView(app, id)).status));
      return statuses.filter((status) => status === "RUNNING").length === 4 && statuses.filter((status) => status === "QUEUED").length === 2;
    });
    const running = await app.deps.db.prisma.generationJob.findMany({ where: { id: { in: ids }, status: "RUNNING" }, select: { id: true } });
    expect(supervisor.child!.kill("SIGKILL")).toBe(true);

    const ended = await Promise.all(ids.map(async (id) => (await progressOf(ws, id), await jobView(app, id))));
    expect(ended.map((job) => job.status), "every job ran after the restart").toEqual(ids.map(() => "DONE"));
    const retried = await app.deps.db.prisma.activityEvent.findMany({ where: { type: "GENERATION_RETRIED", subjectId: { in: ids } } });
    expect(retried.map((event) => event.subjectId).sort(), "the jobs still running when it died").toEqual(running.map((job) => job.id).sort());
    for (const event of retried) expect(event.message).toMatch(/queued again \(attempt 2 of 3\): the sidecar process exited \(signal SIGKILL\) while the job was executing/);
    expect(supervisor.restarts).toBeGreaterThan(0);
  });
});
