import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peftAdapter, sha256 } from "./fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * Training runs end to end (DESIGN §2, §6): the real API with its embedded sidecar, real trainer processes (the
 * built-in one, and a scripted one registered through TRAINERS), subscriptions over a real graphql-ws client.
 */

const SCRIPTED_TRAINER = fileURLToPath(new URL("./fixtures/scripted-trainer.mjs", import.meta.url));
const EXTERNAL_BASE_MODEL = "tinyllama-1.1b";
/** trained by a scripted trainer that outlives its one-second time limit */
const SLOW_BASE_MODEL = "mistral-7b";
/** "trained" by a program that does not exist */
const MISSING_BASE_MODEL = "qwen2.5-7b";
const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];
/** small enough for a couple of seconds on a CPU */
const BUILTIN_CONFIG = { rank: 4, alpha: 8, epochs: 1, maxSteps: 60, evalEvery: 20, warmupSteps: 5, batchSize: 32 };
/** long enough that it is still training when the test interrupts it */
const LONG_RUN = { maxSteps: 100_000, epochs: 1000 };

// ---- the scripted trainer's script -------------------------------------------------------------

interface ScriptWrite {
  fd: 1 | 2 | 3;
  base64: string;
  delayMs: number;
}

interface Script {
  writes: ScriptWrite[];
  outputFiles: Record<string, string>;
  exitCode: number;
}

const bold = (text: string) => `\x1b[1;36m${text}\x1b[0m`;
const yellow = (text: string) => `\x1b[33m${text}\x1b[0m`;
const STEPS = 40;

/**
 * About a second and a half of a coloured training log in small writes: \r progress redraws, a multi-byte character cut
 * between two writes on every step, warnings on stderr, metric lines on fd 3 (some cut mid-line, one not JSON).
 */
function trainingScript(adapter: { config: string; weights: Uint8Array }): { script: Script; stdout: string; stderr: string; output: string } {
  const writes: ScriptWrite[] = [];
  let stdout = "";
  let stderr = "";
  let output = "";
  let lastFd = 1;
  const write = (fd: 1 | 2 | 3, bytes: Buffer, delayMs = 12) => {
    // A switch between stdout and stderr waits long enough for the sidecar to read the other pipe first.
    const switching = fd !== 3 && fd !== lastFd;
    writes.push({ fd, base64: bytes.toString("base64"), delayMs: switching ? 40 : delayMs });
    if (fd !== 3) lastFd = fd;
  };
  const text = (fd: 1 | 2, value: string, cutInside?: string) => {
    if (fd === 1) stdout += value;
    else stderr += value;
    output += value;
    const bytes = Buffer.from(value);
    const cut = cutInside === undefined ? -1 : Buffer.from(value.slice(0, value.indexOf(cutInside))).length + 2;
    if (cut > 0) {
      write(fd, bytes.subarray(0, cut));
      write(fd, bytes.subarray(cut));
    } else write(fd, bytes);
  };
  const metric = (line: string, cut?: number) => {
    const bytes = Buffer.from(line);
    if (cut === undefined) return write(3, bytes, 0);
    write(3, bytes.subarray(0, cut), 0);
    write(3, bytes.subarray(cut), 5);
  };

  text(1, `${bold("scripted trainer")} — für Lieder ♪ ✓\n`);
  for (let step = 1; step <= STEPS; step += 1) {
    const loss = 2 / Math.sqrt(step);
    const bar = "#".repeat(Math.round(step / 2)).padEnd(STEPS / 2, "-");
    text(1, `\r\x1b[2Kstep ${String(step).padStart(2)}/${STEPS} [\x1b[32m${bar}\x1b[0m] 🎵 loss ${loss.toFixed(4)}`, "🎵");
    metric(`${JSON.stringify({ step, loss, lr: 3e-4 * (1 - step / STEPS) })}\n`, step % 7 === 0 ? 9 : undefined);
    if (step % 10 === 0) text(2, `${yellow("warning:")} step ${step}: gradient norm 12.5 > 10 ⚠\r\n`);
    if (step === 25) metric("this is not a metric\n");
  }
  text(1, `\n\x1b[32mdone\x1b[0m: saved the adapter ✓\n`);

  const outputFiles = { "adapter_config.json": Buffer.from(adapter.config).toString("base64"), "adapter_model.safetensors": Buffer.from(adapter.weights).toString("base64") };
  return { script: { writes, outputFiles, exitCode: 0 }, stdout, stderr, output };
}

// ---- the API, as a client sees it -------------------------------------------------------------

interface RunView {
  id: string;
  name: string;
  status: string;
  error: string | null;
  exitCode: number | null;
  finalLoss: number | null;
  lastSeq: number;
  sidecarId: string | null;
  adapter: { id: string; name: string; version: string; source: string; format: string; sha256: string; baseModel: { id: string } } | null;
  experiment: { id: string; name: string; status: string; bestLoss: number | null; bestRun: { id: string } | null };
  metricNames: string[];
  metrics: { name: string; totalPoints: number; points: { step: number; value: number }[] }[];
}

const RUN_FIELDS = `
  id name status error exitCode finalLoss lastSeq sidecarId
  adapter { id name version source format sha256 baseModel { id } }
  experiment { id name status bestLoss bestRun { id } }
  metricNames
  metrics(names: ["loss"], maxPoints: 10000) { name totalPoints points { step value } }
`;

describe("training runs through the API and its embedded sidecar", () => {
  let app: TestApp;
  let ws: Client;
  let scriptDir: string;
  let datasetId: string;
  let script: ReturnType<typeof trainingScript>;
  let adapterFiles: ReturnType<typeof peftAdapter>;
  let experiments = 0;

  async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!;
  }

  async function createExperiment(baseModelId: string, config: Record<string, unknown> | null): Promise<{ id: string; name: string }> {
    experiments += 1;
    const data = await ok(
      `mutation ($input: CreateExperimentInput!) {
        createExperiment(input: $input) { __typename ... on CreateExperimentSuccess { experiment { id name } } ... on Error { message } }
      }`,
      { input: { name: `lifecycle-${experiments}`, baseModelId, datasetId, config } },
    );
    expect(data.createExperiment.__typename, data.createExperiment.message).toBe("CreateExperimentSuccess");
    return data.createExperiment.experiment;
  }

  async function startRun(experimentId: string, configOverride?: Record<string, unknown>): Promise<string> {
    const data = await ok(
      `mutation ($experimentId: ID!, $input: StartRunInput) {
        startRun(experimentId: $experimentId, input: $input) { __typename ... on StartRunSuccess { run { id } } ... on Error { message } }
      }`,
      { experimentId, input: configOverride ? { configOverride } : null },
    );
    expect(data.startRun.__typename, data.startRun.message).toBe("StartRunSuccess");
    return data.startRun.run.id;
  }

  async function run(id: string): Promise<RunView> {
    return (await ok<{ run: RunView }>(`query ($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }`, { id })).run;
  }

  /** The runStatus subscription until it ends, which it does once the run has ended. */
  async function ended(id: string): Promise<RunView> {
    await new Promise<void>((resolve, reject) => {
      ws.subscribe({ query: `subscription ($id: ID!) { runStatus(runId: $id) { id status } }`, variables: { id } }, { next: () => undefined, error: reject, complete: resolve });
    });
    const view = await run(id);
    expect(TERMINAL).toContain(view.status);
    return view;
  }

  /** Resolves at the first training loss the run reports, i.e. once its trainer is well under way. */
  function training(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = ws.subscribe<{ runMetrics: { name: string }[] }>(
        { query: `subscription ($id: ID!) { runMetrics(runId: $id) { name step value } }`, variables: { id } },
        {
          next: ({ data }) => {
            if (!data?.runMetrics.some((point) => point.name === "loss")) return;
            stop();
            resolve();
          },
          error: reject,
          complete: () => reject(new Error("the metrics subscription ended before any loss")),
        },
      );
    });
  }

  async function fullLog(id: string): Promise<string> {
    const response = await fetch(`${app.url}/runs/${id}/log`, { headers: app.headers });
    expect(response.status).toBe(200);
    return response.text();
  }

  /** Trainer processes of a run, found by the run's work directory in their command line. */
  async function trainerPids(runId: string): Promise<number[]> {
    const pids: number[] = [];
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
      if (cmdline.includes(`${runId}/output`)) pids.push(Number(entry));
    }
    return pids;
  }

  async function sidecars(): Promise<{ id: string; name: string; connected: boolean }[]> {
    return (await ok<{ sidecars: { id: string; name: string; connected: boolean }[] }>(`{ sidecars { id name connected } }`)).sidecars;
  }

  async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    scriptDir = await mkdtemp(join(tmpdir(), "lora-studio-lifecycle-"));
    adapterFiles = peftAdapter({ baseModel: "TinyLlama/TinyLlama-1.1B-Chat-v1.0", rank: 4, alpha: 8, seed: 5 });
    script = trainingScript(adapterFiles);
    const scriptPath = join(scriptDir, "script.json");
    await writeFile(scriptPath, JSON.stringify(script.script));
    const slowScriptPath = join(scriptDir, "slow.json");
    const slowScript: Script = { writes: [{ fd: 1, base64: Buffer.from("working\n").toString("base64"), delayMs: 0 }, { fd: 1, base64: "", delayMs: 60_000 }], outputFiles: {}, exitCode: 0 };
    await writeFile(slowScriptPath, JSON.stringify(slowScript));
    const trainers = JSON.stringify([
      { name: "scripted", command: [process.execPath, SCRIPTED_TRAINER, "--script", scriptPath], baseModels: [EXTERNAL_BASE_MODEL], timeoutSeconds: 120 },
      { name: "slow", command: [process.execPath, SCRIPTED_TRAINER, "--script", slowScriptPath], baseModels: [SLOW_BASE_MODEL], timeoutSeconds: 1 },
      { name: "missing", command: [join(scriptDir, "no-such-trainer")], baseModels: [MISSING_BASE_MODEL] },
    ]);
    app = await startTestApp({ env: { SIDECAR: "embedded", TRAINERS: trainers } });
    ws = app.wsClient();
    const data = await ok(
      `mutation { generateDataset(input: { name: "lifecycle waltzes", style: "major-waltz", count: 60, seed: 7 }) {
        __typename ... on GenerateDatasetSuccess { dataset { id } } ... on Error { message } } }`,
    );
    datasetId = data.generateDataset.dataset.id;
    await eventually("the embedded sidecar to connect", async () => (await sidecars()).some((sidecar) => sidecar.connected));
  });

  afterAll(async () => {
    await ws?.dispose();
    await app?.close();
    await rm(scriptDir, { recursive: true, force: true });
  });

  it("completes a run of the built-in trainer: adapter registered and linked, best run set, coloured log, metrics", async () => {
    const experiment = await createExperiment("tunes-s", BUILTIN_CONFIG);
    const id = await startRun(experiment.id);
    const view = await ended(id);

    expect(view.status, view.error ?? "").toBe("COMPLETED");
    expect(view.exitCode).toBe(0);
    expect(view.adapter).toMatchObject({ name: `${experiment.name}-${view.name}`, source: "TRAINED", format: "PEFT", baseModel: { id: "tunes-s" } });
    expect(view.experiment).toMatchObject({ status: "COMPLETED", bestRun: { id }, bestLoss: view.finalLoss });
    expect(view.finalLoss).toEqual(expect.any(Number));
    expect(view.metricNames).toEqual(expect.arrayContaining(["loss", "lr", "eval_loss"]));
    expect(view.metrics[0]!.points.map((point) => point.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const log = await fullLog(id);
    expect(log).toMatch(/\x1b\[[0-9;]*m/);
    expect(log).toContain("\r");
    expect(log).toContain("saved");
  });

  it("fails a run whose trainer is killed, keeping its partial log and metrics", async () => {
    const experiment = await createExperiment("tunes-s", BUILTIN_CONFIG);
    const id = await startRun(experiment.id, LONG_RUN);
    await training(id);
    const pids = await trainerPids(id);
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, "SIGKILL");
    const view = await ended(id);

    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/killed by SIGKILL/);
    expect(view.adapter).toBeNull();
    expect(view.lastSeq).toBeGreaterThan(0);
    expect(await fullLog(id)).toContain("LoRA Studio trainer");
    expect(view.metrics[0]!.totalPoints).toBeGreaterThan(0);
  });

  it("cancels a running run: its trainer gets SIGTERM and the run ends CANCELLED", async () => {
    const experiment = await createExperiment("tunes-s", BUILTIN_CONFIG);
    const id = await startRun(experiment.id, LONG_RUN);
    await training(id);
    const data = await ok(`mutation ($id: ID!) { cancelRun(id: $id) { __typename ... on CancelRunSuccess { run { id cancelRequested } } } }`, { id });
    expect(data.cancelRun.run.cancelRequested).toBe(true);
    const view = await ended(id);

    expect(view.status).toBe("CANCELLED");
    expect(view.exitCode).toBe(143);
    expect(view.error).toBeNull();
    expect(await trainerPids(id)).toEqual([]);
  });

  it("runs an external trainer from TRAINERS: its log, metrics and PEFT adapter arrive", async () => {
    const experiment = await createExperiment(EXTERNAL_BASE_MODEL, null);
    const id = await startRun(experiment.id);
    const view = await ended(id);

    expect(view.status, view.error ?? "").toBe("COMPLETED");
    expect(view.adapter).toMatchObject({ name: `${experiment.name}-${view.name}`, source: "TRAINED", format: "PEFT", baseModel: { id: EXTERNAL_BASE_MODEL } });
    expect(view.adapter!.sha256).toBe(sha256(adapterFiles.weights));
    expect(view.finalLoss).toBeCloseTo(2 / Math.sqrt(STEPS), 10);
    expect(view.metricNames).toEqual(["loss", "lr"]);
    const losses = view.metrics[0]!.points;
    expect(losses.map((point) => point.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    losses.forEach((point) => expect(point.value).toBeCloseTo(2 / Math.sqrt(point.step), 12));
    expect(await fullLog(id)).toBe(script.output);
  });

  it("lets a client read the first chunks, then resume with runLogs(afterSeq) mid-run, and rebuild the output byte for byte", async () => {
    const experiment = await createExperiment(EXTERNAL_BASE_MODEL, null);
    const id = await startRun(experiment.id);
    const head = 3;
    await eventually("the first log chunks", async () => (await run(id)).lastSeq >= head);

    const chunks = (await ok(`query ($id: ID!, $first: Int!) { run(id: $id) { logs(first: $first) { seq stream data } } }`, { id, first: head })).run.logs;
    const live: { seq: number; stream: string; data: string }[] = [];
    const stop = ws.subscribe<{ runLogs: { seq: number; stream: string; data: string } }>(
      { query: `subscription ($id: ID!, $after: Int!) { runLogs(runId: $id, afterSeq: $after) { seq stream data } }`, variables: { id, after: head } },
      { next: ({ data }) => void live.push(data!.runLogs), error: (error) => live.push({ seq: -1, stream: "", data: String(error) }), complete: () => undefined },
    );
    const view = await ended(id);
    await eventually("every chunk", async () => live[live.length - 1]?.seq === view.lastSeq || live.some((chunk) => chunk.seq < 0));
    stop();

    expect(view.status, view.error ?? "").toBe("COMPLETED");
    expect(live[0]!.seq, "the subscription began mid-run").toBe(head + 1);
    const all = [...chunks, ...live];
    expect(all.map((chunk) => chunk.seq)).toEqual(Array.from({ length: view.lastSeq }, (_, i) => i + 1));
    const of = (stream: string) => all.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.data).join("");
    expect(of("STDOUT")).toBe(script.stdout);
    expect(of("STDERR")).toBe(script.stderr);
    expect(all.map((chunk) => chunk.data).join("")).toBe(script.output);
  });

  it("stops a trainer that runs past its time limit and fails its run, saying so", async () => {
    const id = await startRun((await createExperiment(SLOW_BASE_MODEL, null)).id);
    const view = await ended(id);

    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/ran past its time limit of 1 s/);
    expect(await fullLog(id)).toBe("working\n");
  });

  it("fails a run whose trainer program cannot be started", async () => {
    const view = await ended(await startRun((await createExperiment(MISSING_BASE_MODEL, null)).id));

    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/could not start the trainer: .*ENOENT/);
  });

  it("fails the run of a sidecar that is killed, restarts the sidecar, and runs the next run on it", async () => {
    const supervisor = app.app.sidecar!;
    const [before] = await sidecars();
    const experiment = await createExperiment("tunes-s", BUILTIN_CONFIG);
    const id = await startRun(experiment.id, LONG_RUN);
    await training(id);
    expect(supervisor.child!.kill("SIGKILL")).toBe(true);
    const view = await ended(id);

    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/sidecar/);
    expect(view.lastSeq).toBeGreaterThan(0);
    expect(view.metrics[0]!.totalPoints).toBeGreaterThan(0);
    await eventually("the orphaned trainer to exit", async () => (await trainerPids(id)).length === 0, 10_000);

    await eventually("the sidecar to reconnect", async () => {
      const now = await sidecars();
      return supervisor.restarts > 0 && now.length === 1 && now[0]!.id === before!.id && now[0]!.connected;
    });
    const next = await ended(await startRun(experiment.id));
    expect(next.status, next.error ?? "").toBe("COMPLETED");
    expect(next.sidecarId).toBe(before!.id);

    // the feed (and the dashboard's health, which refreshes on it) heard the sidecar go and come back
    const events = await eventually("the sidecar's events", async () => {
      const found = await app.deps.db.prisma.activityEvent.findMany({ where: { subjectId: before!.id }, orderBy: { createdAt: "asc" } });
      return found.some((event) => event.type === "SIDECAR_DISCONNECTED") && found;
    });
    expect(events.map((event) => event.type)).toEqual(["SIDECAR_CONNECTED", "SIDECAR_DISCONNECTED", "SIDECAR_CONNECTED"]);
    expect(events[0]!.message.startsWith(`sidecar '${before!.name}' connected: CPU, tunes-s, tunes-m`)).toBe(true);
    expect(events[1]!.message).toBe(`sidecar '${before!.name}' disconnected: the sidecar process exited (signal SIGKILL)`);
  });
});
