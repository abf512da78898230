import { existsSync } from "node:fs";
import { createClient, type Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CSRF_HEADER } from "../src/contracts/http.js";
import { tunesAdapterFiles } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";
import { collect } from "./subscriptions.js";

/*
 * Experiments and runs through the API. The sidecar's side is played by this test over the same
 * GraphQL protocol (the real sidecar process is exercised in runs-lifecycle.test.ts), so every
 * interleaving of reports and subscriptions can be arranged exactly.
 */

let app: TestApp;
let datasetId: string;
let token: string;

const EXPERIMENT_FIELDS = "id name status config bestLoss lastError bestRun { id name } dataset { id } baseModel { id } trainer";
const CREATE = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) {
  __typename ... on Error { message code } ... on BadUserInputError { fieldErrors { field message } }
  ... on CreateExperimentSuccess { experiment { ${EXPERIMENT_FIELDS} } } } }`;
const START = `mutation($id: ID!, $input: StartRunInput) { startRun(experimentId: $id, input: $input) {
  __typename ... on Error { message code } ... on BadUserInputError { fieldErrors { field message } }
  ... on StartRunSuccess { run { id name status configOverride effectiveConfig } } } }`;
const RUN = `query($id: ID!) { run(id: $id) { id name status error exitCode finalLoss isBest lastSeq logUrl adapter { id name version source } } }`;

async function gqlAsSidecar<T = any>(query: string, variables?: Record<string, unknown>, authorization = `Bearer ${token}`) {
  const res = await fetch(`${app.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

function wsClient(authorization?: string): Client {
  return createClient({
    url: `${app.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: authorization ? { authorization } : undefined,
  });
}

async function createExperiment(input: Record<string, unknown>) {
  const { data, errors } = await app.gql(CREATE, { input: { baseModelId: "tunes-s", datasetId, ...input } });
  expect(errors).toBeUndefined();
  return data.createExperiment;
}

async function startRun(experimentId: string, input?: Record<string, unknown>) {
  return (await app.gql(START, { id: experimentId, input })).data.startRun;
}

async function run(id: string) {
  return (await app.gql(RUN, { id })).data.run;
}

/** A sidecar speaking the protocol: registers, then receives commands on a subscription. */
async function connectSidecar(trainers = ["tunes"]) {
  const { data } = await gqlAsSidecar(`mutation($input: RegisterSidecarInput!) { registerSidecar(input: $input) { id } }`, {
    input: { name: "test-sidecar", executionProviders: ["CPU"], baseModels: ["tunes-s"], trainers, concurrency: 1 },
  });
  const client = wsClient(`Bearer ${token}`);
  const commands = collect(client, `subscription($id: ID!) { sidecarCommands(sidecarId: $id) { kind runId trainer config datasetUrl } }`, { id: data.registerSidecar.id }, (d) => d.sidecarCommands, () => false);
  const next = async (kind: string) => {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const found = commands.items.find((c: any) => c.kind === kind && !c.taken);
      if (found) return Object.assign(found as object, { taken: true }) as any;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${kind} command arrived`);
  };
  return { id: data.registerSidecar.id as string, next, close: () => client.dispose() };
}

const reportLogs = (runId: string, chunks: { seq: number; stream: string; data: string }[]) =>
  gqlAsSidecar(`mutation($runId: ID!, $chunks: [LogChunkInput!]!) { reportRunLogs(runId: $runId, chunks: $chunks) }`, { runId, chunks });
const reportMetrics = (runId: string, points: { name: string; step: number; value: number }[]) =>
  gqlAsSidecar(`mutation($runId: ID!, $points: [MetricPointInput!]!) { reportRunMetrics(runId: $runId, points: $points) }`, { runId, points });

async function finishRun(input: Record<string, unknown>, files: { name: string; data: Uint8Array | string }[] = []) {
  const query = `mutation($input: FinishRunInput!, $files: [File!]) { finishRun(input: $input, files: $files) { id status error } }`;
  const form = new FormData();
  form.set("operations", JSON.stringify({ query, variables: { input, files: files.map(() => null) } }));
  form.set("map", JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.files.${i}`]]))));
  files.forEach((file, i) => form.set(String(i), new Blob([Buffer.from(file.data)]), file.name));
  const res = await fetch(`${app.url}/graphql`, { method: "POST", body: form, headers: { authorization: `Bearer ${token}`, [CSRF_HEADER]: "1" } });
  return ((await res.json()) as any).data?.finishRun;
}

/** A PEFT pair as the built-in trainer writes it for tunes-s. */
function trainedAdapter() {
  const { weights, config } = tunesAdapterFiles({ targetModules: ["fc1"] });
  return [
    { name: "adapter_model.safetensors", data: weights },
    { name: "adapter_config.json", data: config },
  ];
}

beforeAll(async () => {
  app = await startTestApp();
  token = app.deps.config.sidecarToken;
  const { data } = await app.gql(`mutation { generateDataset(input: { name: "waltzes", style: "major-waltz", count: 12, seed: 7 }) { ... on GenerateDatasetSuccess { dataset { id } } ... on Error { message } } }`);
  datasetId = data.generateDataset.dataset.id;
});

afterAll(async () => {
  await app?.close();
});

describe("experiments", () => {
  it("fills the configuration's defaults from trainingConfigSchema and names the built-in trainer", async () => {
    const experiment = await createExperiment({ name: "defaults", config: { rank: 4 } });
    expect(experiment.__typename).toBe("CreateExperimentSuccess");
    const { data } = await app.gql(`{ trainingConfigSchema { key default } }`);
    const defaults = Object.fromEntries(data.trainingConfigSchema.filter((p: any) => p.default !== null && p.key !== "baseModel").map((p: any) => [p.key, p.default]));
    expect(experiment.experiment.config).toEqual({ ...defaults, rank: 4 });
    expect(experiment.experiment.trainer).toBe("tunes");
    expect(experiment.experiment.status).toBe("DRAFT");
    const { data: more } = await app.gql(`{ baseModels { id trainer } trainingConfigSchema { key setByExperiment usedByBuiltinTrainer } datasetStyles { id } }`);
    expect(more.baseModels.filter((m: any) => m.trainer).map((m: any) => m.id).sort()).toEqual(["tunes-m", "tunes-s"]);
    const parameters = Object.fromEntries(more.trainingConfigSchema.map((p: any) => [p.key, p]));
    expect(parameters.baseModel.setByExperiment).toBe(true);
    expect([parameters.rank.usedByBuiltinTrainer, parameters.clipSkip.usedByBuiltinTrainer]).toEqual([true, false]);
    expect(more.datasetStyles).toHaveLength(6);
  });

  it("refuses a config that breaks the schema, naming each key, and stores nothing", async () => {
    const result = await createExperiment({ name: "bad-config", config: { rank: 0, learningRate: "fast", colour: "red", optimizer: "Prodigy" } });
    expect(result.code).toBe("BAD_USER_INPUT");
    expect(result.fieldErrors.map((e: any) => e.field).sort()).toEqual(["config.colour", "config.learningRate", "config.optimizer", "config.rank"].filter((f) => f !== "config.optimizer"));
    const builtinOnly = await createExperiment({ name: "bad-config", config: { optimizer: "Prodigy" } });
    expect(builtinOnly.fieldErrors).toEqual([{ field: "config.optimizer", message: "optimizer is not used by the built-in trainer; remove it" }]);
    const { data } = await app.gql(`{ experiments(includeArchived: true) { edges { node { name } } } }`);
    expect(data.experiments.edges.map((e: any) => e.node.name)).not.toContain("bad-config");
  });

  it("refuses a duplicate name with CONFLICT and an unknown base model or dataset with BAD_USER_INPUT", async () => {
    await createExperiment({ name: "twice" });
    expect((await createExperiment({ name: "twice" })).code).toBe("CONFLICT");
    expect((await createExperiment({ name: "nowhere", baseModelId: "no-such-model" })).fieldErrors[0].field).toBe("baseModelId");
    expect((await createExperiment({ name: "nodata", datasetId: "no-such-dataset" })).fieldErrors[0].field).toBe("datasetId");
  });

  it("validates config edits and keeps the stored config when refused", async () => {
    const { experiment } = await createExperiment({ name: "editable" });
    const UPDATE = `mutation($id: ID!, $input: UpdateExperimentInput!) { updateExperiment(id: $id, input: $input) {
      __typename ... on Error { code } ... on UpdateExperimentSuccess { experiment { config } } } }`;
    const refused = (await app.gql(UPDATE, { id: experiment.id, input: { config: { epochs: 0 } } })).data.updateExperiment;
    expect(refused.code).toBe("BAD_USER_INPUT");
    const saved = (await app.gql(UPDATE, { id: experiment.id, input: { config: { ...experiment.config, epochs: 7 } } })).data.updateExperiment;
    expect(saved.experiment.config.epochs).toBe(7);
  });

  it("hides archived experiments unless asked, and unarchives to DRAFT", async () => {
    const { experiment } = await createExperiment({ name: "to-archive" });
    const archived = (await app.gql(`mutation($id: ID!) { archiveExperiment(id: $id) { ... on ArchiveExperimentSuccess { experiment { status } } } }`, { id: experiment.id })).data.archiveExperiment;
    expect(archived.experiment.status).toBe("ARCHIVED");
    const names = async (args: string) => (await app.gql(`{ experiments${args} { totalCount edges { node { name } } } }`)).data.experiments.edges.map((e: any) => e.node.name);
    expect(await names("")).not.toContain("to-archive");
    expect(await names("(includeArchived: true)")).toContain("to-archive");
    expect(await names("(status: ARCHIVED)")).toEqual(["to-archive"]);
    expect((await startRun(experiment.id)).code).toBe("BAD_USER_INPUT");
    const back = (await app.gql(`mutation($id: ID!) { unarchiveExperiment(id: $id) { ... on UnarchiveExperimentSuccess { experiment { status } } } }`, { id: experiment.id })).data.unarchiveExperiment;
    expect(back.experiment.status).toBe("DRAFT");
    expect(await names("")).toContain("to-archive");
  });
});

describe("runs", () => {
  it("refuses to start without a dataset and stores no run", async () => {
    const { experiment } = await createExperiment({ name: "no-dataset", datasetId: null });
    const result = await startRun(experiment.id);
    expect(result).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("no dataset") });
    expect(await app.deps.db.prisma.run.count({ where: { experimentId: experiment.id } })).toBe(0);
  });

  it("stores only the overridden keys and the merged config, exports the dataset, and queues the run", async () => {
    const { experiment } = await createExperiment({ name: "override" });
    const plain = (await startRun(experiment.id)).run;
    expect(plain.configOverride).toBeNull();
    expect(plain.effectiveConfig).toEqual(experiment.config);
    const { run: overridden } = await startRun(experiment.id, { name: "fast", configOverride: { learningRate: 0.01, maxSteps: 5 } });
    expect(overridden).toMatchObject({ name: "fast", status: "PENDING", configOverride: { learningRate: 0.01, maxSteps: 5 } });
    expect(overridden.effectiveConfig).toEqual({ ...experiment.config, learningRate: 0.01, maxSteps: 5 });
    expect(existsSync(`${app.dataDir}/runs/${overridden.id}/dataset.jsonl`)).toBe(true);
    expect((await startRun(experiment.id, { name: "fast" })).code).toBe("CONFLICT");
    expect((await startRun(experiment.id, { configOverride: { rank: 999 } })).fieldErrors[0].field).toBe("configOverride.rank");
    const status = (await app.gql(`query($id: ID!) { experiment(id: $id) { status } }`, { id: experiment.id })).data.experiment.status;
    expect(status).toBe("RUNNING");
    for (const id of [plain.id, overridden.id]) {
      const cancelled = (await app.gql(`mutation($id: ID!) { cancelRun(id: $id) { ... on CancelRunSuccess { run { status } } } }`, { id })).data.cancelRun;
      expect(cancelled.run.status).toBe("CANCELLED");
    }
  });

  it("keeps the sidecar's operations for the sidecar token", async () => {
    const anonymous = await gqlAsSidecar(`mutation { reportRunLogs(runId: "x", chunks: [{ seq: 1, stream: STDOUT, data: "x" }]) }`, {}, "Bearer wrong-token-wrong-token");
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const dataset = await fetch(`${app.url}/sidecar/runs/anything/dataset.jsonl`);
    expect([401, 404]).toContain(dataset.status);
  });

  it("runs on a sidecar: logs resume exactly once in order, metrics downsample, the adapter is registered and linked", async () => {
    const sidecar = await connectSidecar();
    const { experiment } = await createExperiment({ name: "exp" });
    const { run: started } = await startRun(experiment.id, { name: "r1" });
    const command = await sidecar.next("START_RUN");
    expect(command).toMatchObject({ runId: started.id, trainer: "tunes", config: { ...experiment.config, baseModel: "tunes-s" } });
    const dataset = await fetch(`${app.url}${command.datasetUrl}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await dataset.text()).trim().split("\n")).toHaveLength(12);
    expect((await run(started.id)).status).toBe("RUNNING");

    const texts = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `\r\x1b[32mstep ${i}\x1b[0m ` : `line ${i} ✓\n`));
    for (let seq = 1; seq <= 20; seq += 1) await reportLogs(started.id, [{ seq, stream: seq % 7 ? "STDOUT" : "STDERR", data: texts[seq - 1]! }]);
    const client = wsClient(app.headers.authorization);
    const late = collect(client, `subscription($id: ID!, $after: Int) { runLogs(runId: $id, afterSeq: $after) { seq data } }`, { id: started.id, after: 10 }, (d) => d.runLogs, (items) => items.length === 50);
    const writing = (async () => {
      for (let seq = 21; seq <= 60; seq += 2) await reportLogs(started.id, [1, 0].map((d) => ({ seq: seq + 1 - d, stream: "STDOUT", data: texts[seq - d]! })));
    })();
    await reportLogs(started.id, [{ seq: 5, stream: "STDOUT", data: texts[4]! }]);
    await writing;
    const received = await late.done;
    late.dispose();
    expect(received.map((c: any) => c.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    expect(received.map((c: any) => c.data).join("")).toBe(texts.slice(10).join(""));

    const points = Array.from({ length: 3000 }, (_, step) => ({ name: "loss", step, value: step === 1234 ? 99 : 3 / (1 + step / 100) }));
    for (let i = 0; i < points.length; i += 1000) await reportMetrics(started.id, points.slice(i, i + 1000));
    await reportMetrics(started.id, [{ name: "eval_loss", step: 2999, value: 0.75 }]);
    const metrics = (await app.gql(`query($id: ID!) { run(id: $id) { metricNames metrics(names: ["loss"], maxPoints: 100) { totalPoints downsampled points { step value } } } }`, { id: started.id })).data.run;
    expect(metrics.metricNames).toEqual(["eval_loss", "loss"]);
    expect(metrics.metrics[0]).toMatchObject({ totalPoints: 3000, downsampled: true });
    expect(metrics.metrics[0].points.length).toBeLessThanOrEqual(100);
    expect(Math.max(...metrics.metrics[0].points.map((p: any) => p.value))).toBe(99);
    const zoomed = (await app.gql(`query($id: ID!) { run(id: $id) { metrics(names: ["loss"], fromStep: 100, toStep: 199) { totalPoints points { step } } } }`, { id: started.id })).data.run.metrics[0];
    expect(zoomed.totalPoints).toBe(100);
    expect(zoomed.points[0].step).toBe(100);

    expect((await finishRun({ runId: started.id, exitCode: 0 }, trainedAdapter())).status).toBe("COMPLETED");
    const done = await run(started.id);
    expect(done).toMatchObject({ status: "COMPLETED", finalLoss: 0.75, isBest: true, adapter: { name: "exp-r1", version: "1", source: "TRAINED" } });
    const log = await fetch(`${app.url}${done.logUrl}`);
    expect(log.headers.get("content-disposition")).toContain("attachment");
    expect(await log.text()).toBe(texts.join(""));
    const after = (await app.gql(`query($id: ID!) { experiment(id: $id) { status bestLoss bestRun { id } } }`, { id: experiment.id })).data.experiment;
    expect(after).toEqual({ status: "COMPLETED", bestLoss: 0.75, bestRun: { id: started.id } });
    await client.dispose();
    await sidecar.close();
  });

  it("follows the status and deletion rules: failures, best run, cascade, kept adapters, batch deletion", async () => {
    const sidecar = await connectSidecar();
    const { experiment } = await createExperiment({ name: "rules" });
    const DELETE_RUNS = `mutation($e: ID!, $ids: [ID!]!) { deleteRuns(experimentId: $e, runIds: $ids) {
      __typename ... on Error { message code } ... on DeleteRunsSuccess { deletedRunIds } } }`;
    const experimentNow = async () =>
      (await app.gql(`query($id: ID!) { experiment(id: $id) { status lastError bestLoss bestRun { name } } }`, { id: experiment.id })).data.experiment;

    const failing = (await startRun(experiment.id, { name: "fails" })).run;
    await sidecar.next("START_RUN");
    await reportLogs(failing.id, [{ seq: 1, stream: "STDERR", data: "Traceback: out of memory\n" }]);
    await reportMetrics(failing.id, [{ name: "loss", step: 1, value: 2 }]);
    expect((await app.gql(`mutation($ids: [ID!]!, $e: ID!) { deleteRuns(experimentId: $e, runIds: $ids) { ... on Error { code message } } }`, { e: experiment.id, ids: [failing.id] })).data.deleteRuns)
      .toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("'fails' (running)") });
    expect((await finishRun({ runId: failing.id, exitCode: 1, error: "out of memory" })).status).toBe("FAILED");
    expect(await run(failing.id)).toMatchObject({ status: "FAILED", exitCode: 1, error: "the trainer exited with code 1: out of memory" });
    expect(await experimentNow()).toMatchObject({ status: "FAILED", lastError: "the trainer exited with code 1: out of memory", bestRun: null });

    const runs: { id: string }[] = [];
    for (const [name, loss] of [["good", 0.5], ["better", 0.25]] as const) {
      const { run: started } = await startRun(experiment.id, { name });
      await sidecar.next("START_RUN");
      await reportMetrics(started.id, [{ name: "eval_loss", step: 10, value: loss }]);
      expect((await finishRun({ runId: started.id, exitCode: 0 }, trainedAdapter())).status).toBe("COMPLETED");
      runs.push(started);
    }
    expect(await experimentNow()).toMatchObject({ status: "COMPLETED", bestLoss: 0.25, bestRun: { name: "better" } });
    const betterAdapter = (await run(runs[1]!.id)).adapter;

    const missing = (await app.gql(DELETE_RUNS, { e: experiment.id, ids: [runs[0]!.id, "no-such-run"] })).data.deleteRuns;
    expect(missing.code).toBe("NOT_FOUND");
    expect(await app.deps.db.prisma.run.count({ where: { experimentId: experiment.id } })).toBe(3);

    const deleted = (await app.gql(DELETE_RUNS, { e: experiment.id, ids: [runs[1]!.id, failing.id] })).data.deleteRuns;
    expect(deleted.deletedRunIds.sort()).toEqual([runs[1]!.id, failing.id].sort());
    expect(await app.deps.db.prisma.runLogChunk.count({ where: { runId: failing.id } })).toBe(0);
    expect(await app.deps.db.prisma.metricPoint.count({ where: { runId: { in: [failing.id, runs[1]!.id] } } })).toBe(0);
    expect(existsSync(`${app.dataDir}/runs/${failing.id}`)).toBe(false);
    expect(await experimentNow()).toMatchObject({ status: "COMPLETED", bestLoss: 0.5, bestRun: { name: "good" } });
    const kept = (await app.gql(`query($id: ID!) { adapter(id: $id) { name run { id } } }`, { id: betterAdapter.id })).data.adapter;
    expect(kept).toEqual({ name: "rules-better", run: null });

    const single = (await app.gql(`mutation($id: ID!) { deleteRun(id: $id) { __typename ... on Error { code } } }`, { id: failing.id })).data.deleteRun;
    expect(single.code).toBe("NOT_FOUND");
    await sidecar.close();
  });

  it("fails the runs of a sidecar whose connection closes, keeping their logs", async () => {
    const sidecar = await connectSidecar();
    const { experiment } = await createExperiment({ name: "orphaned" });
    const { run: started } = await startRun(experiment.id);
    await sidecar.next("START_RUN");
    await reportLogs(started.id, [{ seq: 1, stream: "STDOUT", data: "epoch 1/3 [###---]\r" }]);
    await sidecar.close();
    for (let waited = 0; (await run(started.id)).status === "RUNNING" && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(await run(started.id)).toMatchObject({ status: "FAILED", error: expect.stringContaining("lost the connection to sidecar test-sidecar"), lastSeq: 1 });
  });
});
