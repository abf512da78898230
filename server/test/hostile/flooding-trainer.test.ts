import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";
import { playedRun } from "./log-reports.js";

/**
 * Issue 10, item 4: a trainer writing as fast as it could made the sidecar buffer its output until its heap ran out,
 * and every run on that sidecar failed; one 30 s run stored 189 MB of log. Now the sidecar stops reading the
 * trainer's pipes while its reports wait, keeps a run's log within RUN_LOG_MAX_MB (its head, a marker, its tail), and
 * the API refuses a log past the cap from a sidecar that does not.
 */

const FLOOD_TRAINER = fileURLToPath(new URL("./flood-trainer.mjs", import.meta.url));
const FLOOD_SECONDS = 5;
const RUN_LOG_MAX_MB = 2;
const CAP_BYTES = RUN_LOG_MAX_MB * 1024 * 1024;
/**
 * The sidecar runs with a small JavaScript heap, as on a small machine: holding the flood would exhaust it (the issue's
 * sidecar died so, with a heap of 4 GB). What it holds by design: a report backlog of 4 MiB and a tail of a quarter of
 * the cap. Its resident memory may grow by what the heap and the garbage of decoding take besides, and no more.
 */
const SIDECAR_HEAP_MB = 96;
const MAX_SIDECAR_RSS_GROWTH_BYTES = 2 * SIDECAR_HEAP_MB * 1024 * 1024;
const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];
const LINE = /^line (\d{9}) x{80}$/;
const LINE_BYTES = 96;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!rss) throw new Error(`the sidecar (pid ${pid}) has died`);
  return Number(rss[1]) * 1024;
}

/** The numbers of consecutive flood lines in `text`, which must hold nothing else. */
function lineNumbers(text: string): number[] {
  return text.split("\n").map((line) => Number(LINE.exec(line)?.[1] ?? Number.NaN));
}

describe("a trainer flooding its output", () => {
  let app: TestApp;

  beforeAll(async () => {
    const trainers = [{ name: "flood", command: [process.execPath, FLOOD_TRAINER, "--seconds", String(FLOOD_SECONDS)], baseModels: ["tinyllama-1.1b"] }];
    const nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${nodeOptions ?? ""} --max-old-space-size=${SIDECAR_HEAP_MB}`.trim();
    try {
      app = await startTestApp({ env: { SIDECAR: "embedded", TRAINERS: JSON.stringify(trainers), RUN_LOG_MAX_MB: String(RUN_LOG_MAX_MB) } });
    } finally {
      process.env.NODE_OPTIONS = nodeOptions;
    }
  });
  afterAll(async () => app?.close());

  async function ok(query: string, variables?: Record<string, unknown>): Promise<any> {
    const { data, errors } = await app.gql(query, variables);
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    return data;
  }

  async function connectedSidecar(): Promise<{ id: string }> {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const found = (await ok(`{ sidecars { id connected } }`)).sidecars.find((sidecar: { connected: boolean }) => sidecar.connected);
      if (found) return found;
    }
    throw new Error("the embedded sidecar did not connect");
  }

  it("leaves the sidecar alive with bounded memory, and stores at most RUN_LOG_MAX_MB: the head, a marker, the tail", async () => {
    const sidecar = await connectedSidecar();
    const pid = app.app.sidecar!.child!.pid!;
    const rssBefore = await rssOf(pid);
    const dataset = await ok(`mutation { generateDataset(input: { name: "flood", style: "blues", count: 4, seed: 1 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
    const experiment = await ok(`mutation($d: ID!) { createExperiment(input: { name: "flood", baseModelId: "tinyllama-1.1b", datasetId: $d }) { ... on CreateExperimentSuccess { experiment { id } } } }`, {
      d: dataset.generateDataset.dataset.id,
    });
    const started = await ok(`mutation($e: ID!) { startRun(experimentId: $e) { ... on StartRunSuccess { run { id } } } }`, { e: experiment.createExperiment.experiment.id });
    const runId: string = started.startRun.run.id;

    let rssMax = rssBefore;
    let run: { status: string; logBytes: number; sidecarId: string };
    do {
      rssMax = Math.max(rssMax, await rssOf(pid));
      await expectLive(app);
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await ok(`query($id: ID!) { run(id: $id) { status logBytes sidecarId } }`, { id: runId })).run;
    } while (!TERMINAL.includes(run.status));

    expect(rssMax - rssBefore).toBeLessThan(MAX_SIDECAR_RSS_GROWTH_BYTES);
    expect(app.app.sidecar!.restarts).toBe(0);
    expect(await connectedSidecar()).toEqual(sidecar);
    expect(run.sidecarId).toBe(sidecar.id);

    const log = await (await fetch(`${app.url}/runs/${runId}/log`, { headers: app.headers })).text();
    expect(Buffer.byteLength(log)).toBe(run.logBytes);
    expect(run.logBytes).toBeLessThanOrEqual(CAP_BYTES);
    const marker = /\r\n\x1b\[33m\[lora-studio\] (\d+) bytes of output dropped here[^\n]*\n/.exec(log);
    expect(marker, "the marker line").not.toBeNull();
    const head = log.slice(0, marker!.index);
    const tail = log.slice(marker!.index + marker![0].length);
    const last = /flood done after (\d+) lines\n$/.exec(tail);
    expect(last, "the tail ends with the trainer's last line").not.toBeNull();
    const written = Number(last![1]);

    const headLines = lineNumbers(head.slice(0, head.lastIndexOf("\n")));
    expect(headLines).toEqual(headLines.map((_, i) => i));
    const tailLines = lineNumbers(tail.slice(tail.indexOf("\n") + 1, tail.length - last![0].length - 1));
    expect(tailLines).toEqual(tailLines.map((_, i) => written - tailLines.length + i));
    const dropped = Number(marker![1]);
    expect(Buffer.byteLength(head) + dropped + Buffer.byteLength(tail)).toBe(written * LINE_BYTES + last![0].length);
  }, 120_000);

  it("refuses a log past RUN_LOG_MAX_MB from a sidecar that sends it anyway, storing nothing of that report", async () => {
    // The test plays that sidecar: the embedded one would take the run first.
    await app.app.sidecar!.stop();
    const run = await playedRun(app, "past-the-cap");
    const chunk = (seq: number) => ({ seq, stream: "STDOUT" as const, data: "y".repeat(256 * 1024) });
    for (let seq = 1; seq <= 8; seq += 1) expect(await run.reportLogs([chunk(seq)])).toBeUndefined();
    const errors = await run.reportLogs([chunk(9)]);
    expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(errors?.[0]?.message).toMatch(/RUN_LOG_MAX_MB/);
    const stored = (await ok(`query($id: ID!) { run(id: $id) { lastSeq logBytes } }`, { id: run.runId })).run;
    expect(stored).toEqual({ lastSeq: 8, logBytes: CAP_BYTES });
  });
});
