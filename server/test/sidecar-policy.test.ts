import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUDA_FIRST_MS } from "../src/sidecar-registry/service.js";
import { createJob, eventually, jobView } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";
import { asSidecar, connectProtocolSidecar, type ProtocolSidecar } from "./protocol-sidecar.js";
import { collect } from "./subscriptions.js";

/*
 * What happens to the work of a sidecar that goes away (README "Cluster", failure policy), and which sidecar gets a
 * job: the real API, with sidecars played over their GraphQL protocol so a test decides who holds what and when it goes.
 */

let app: TestApp;
let ws: Client;
let datasetId: string;
const open: ProtocolSidecar[] = [];

async function sidecar(options: Parameters<typeof connectProtocolSidecar>[1]): Promise<ProtocolSidecar> {
  const connected = await connectProtocolSidecar(app, options);
  open.push(connected);
  await eventually(`sidecar ${options.name} to take commands`, async () => (await app.deps.db.prisma.sidecar.findUnique({ where: { id: connected.id } }))?.connectionId);
  return connected;
}

const received = (from: ProtocolSidecar, kind: string, id: string) =>
  eventually(`${kind} ${id} to reach a sidecar`, async () => from.commands.some((command) => command.kind === kind && (command.runId ?? command.generation?.jobId) === id));

async function startRun(): Promise<string> {
  const { data } = await app.gql(
    `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { ... on CreateExperimentSuccess { experiment { id } } } }`,
    { input: { name: `exp-${open.length}-${Date.now()}`, baseModelId: "tunes-s", datasetId } },
  );
  const started = await app.gql(`mutation($id: ID!) { startRun(experimentId: $id) { ... on StartRunSuccess { run { id } } } }`, { id: data.createExperiment.experiment.id });
  return started.data.startRun.run.id;
}

const reportLogs = (runId: string, chunks: { seq: number; stream: string; data: string }[]) =>
  asSidecar(app, `mutation($runId: ID!, $chunks: [LogChunkInput!]!) { reportRunLogs(runId: $runId, chunks: $chunks) }`, { runId, chunks });
const reportMetrics = (runId: string, points: { name: string; step: number; value: number }[]) =>
  asSidecar(app, `mutation($runId: ID!, $points: [MetricPointInput!]!) { reportRunMetrics(runId: $runId, points: $points) }`, { runId, points });
const finishRun = (runId: string, exitCode: number) => asSidecar(app, `mutation($input: FinishRunInput!) { finishRun(input: $input) { status } }`, { input: { runId, exitCode } });

beforeAll(async () => {
  app = await startTestApp({ env: { GENERATION_RETRIES: "1", RUN_RETRIES: "1", SIDECAR_GRACE_SECONDS: "0.5" } });
  ws = app.wsClient();
  const { data } = await app.gql(`mutation { generateDataset(input: { name: "waltzes", style: "major-waltz", count: 8, seed: 7 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
  datasetId = data.generateDataset.dataset.id;
});

afterAll(async () => {
  for (const connected of open) connected.close();
  await ws?.dispose();
  await app?.close();
});

describe("the work of a sidecar that goes away", () => {
  it("queues a generation job again for another sidecar, and fails it with the reason once its retries are spent", async () => {
    const first = await sidecar({ name: "gen-a", trainers: [], generationSlots: 1 });
    const jobId = await createJob(app, { prompt: "a calm tune", baseModelId: "tunes-s", durationSeconds: 1 });
    await received(first, "GENERATE", jobId);
    const second = await sidecar({ name: "gen-b", trainers: [], generationSlots: 1 });
    first.close();

    await received(second, "GENERATE", jobId);
    const retried = await app.deps.db.prisma.generationJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(retried).toMatchObject({ status: "RUNNING", sidecarId: second.id, attempts: 2 });
    second.close();

    const failed = await eventually("the job to fail", async () => {
      const job = await jobView(app, jobId);
      return job.status === "FAILED" && job;
    });
    expect(failed.error).toBe("lost the connection to sidecar gen-b while the job was executing (after 2 attempts)");
    const events = await app.deps.db.prisma.activityEvent.findMany({ where: { subjectId: jobId }, orderBy: { createdAt: "asc" } });
    expect(events.map((event) => event.type)).toEqual(["GENERATION_QUEUED", "GENERATION_RETRIED", "GENERATION_FAILED"]);
  });

  it("starts a run again from scratch (RUN_RETRIES), its log going on after a line saying why, its lost attempt's metrics gone", async () => {
    const first = await sidecar({ name: "train-a" });
    const runId = await startRun();
    await received(first, "START_RUN", runId);
    await reportLogs(runId, [{ seq: 1, stream: "STDOUT", data: "attempt one\n" }, { seq: 2, stream: "STDOUT", data: "step 1\n" }]);
    await reportMetrics(runId, [{ name: "loss", step: 1, value: 2.5 }]);
    const logs = collect<{ seq: number; data: string }>(ws, `subscription($id: ID!) { runLogs(runId: $id) { seq data } }`, { id: runId }, (d) => d.runLogs, (items) => items.length === 4);
    const second = await sidecar({ name: "train-b" });
    first.close();

    await received(second, "START_RUN", runId);
    expect((await reportLogs(runId, [{ seq: 1, stream: "STDOUT", data: "attempt two\n" }])).data).toEqual({ reportRunLogs: 1 });
    await reportMetrics(runId, [{ name: "loss", step: 1, value: 1.5 }]);
    const chunks = await logs.done;
    logs.dispose();
    expect(chunks.map((chunk) => chunk.seq)).toEqual([1, 2, 3, 4]);
    expect(chunks[2]!.data).toContain("lost the connection to sidecar train-a while the run was executing: starting it again from scratch (attempt 2 of 2)");
    expect(chunks[3]!.data).toBe("attempt two\n");
    const points = await app.deps.db.prisma.metricPoint.findMany({ where: { runId } });
    expect(points.map((point) => point.value)).toEqual([1.5]);

    expect((await finishRun(runId, 1)).data.finishRun.status).toBe("FAILED");
    second.close();
  });

  it("fails a run whose retries are spent, keeping its logs and metrics", async () => {
    const first = await sidecar({ name: "train-c" });
    const runId = await startRun();
    await received(first, "START_RUN", runId);
    await app.deps.db.prisma.run.update({ where: { id: runId }, data: { attempts: 2 } });
    await reportLogs(runId, [{ seq: 1, stream: "STDOUT", data: "last try\n" }]);
    await reportMetrics(runId, [{ name: "loss", step: 1, value: 2.5 }]);
    first.close();

    const run = await eventually("the run to fail", async () => {
      const found = await app.deps.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { _count: { select: { logChunks: true, metrics: true } } } });
      return found.status === "FAILED" && found;
    });
    expect(run.error).toBe("lost the connection to sidecar train-c while the run was executing (after 2 attempts)");
    expect(run._count).toEqual({ logChunks: 1, metrics: 1 });
  });
});

describe("which sidecar gets a run", () => {
  it("prefers a CUDA sidecar, and gives the run to a CPU one when no CUDA sidecar takes it for a while", async () => {
    const cpu = await sidecar({ name: "cpu-box", trainers: ["tunes"] });
    const cuda = await sidecar({ name: "gpu-box", executionProviders: ["CUDA", "CPU"], trainers: ["tunes"] });
    const first = await startRun();
    await received(cuda, "START_RUN", first);
    const second = await startRun();
    await received(cpu, "START_RUN", second);
    const started = await app.deps.db.prisma.run.findMany({ where: { id: { in: [first, second] } }, select: { id: true, sidecarId: true, startedAt: true, createdAt: true } });
    const onCpu = started.find((run) => run.id === second)!;
    expect(onCpu.sidecarId).toBe(cpu.id);
    expect(onCpu.startedAt!.getTime() - onCpu.createdAt.getTime(), "the CPU sidecar waited for a CUDA one first").toBeGreaterThanOrEqual(CUDA_FIRST_MS - 500);
    expect(cpu.commands.filter((command) => command.kind === "START_RUN")).toHaveLength(1);
    for (const runId of [first, second]) await finishRun(runId, 1);
  });
});
