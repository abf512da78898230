// A trainer writing 50,000 lines (with \r progress bars) through the whole log pipeline: trainer stdout ->
// sidecar (batched reports) -> API (stored, published) -> a graphql-ws subscriber. Prints throughput and the
// write-to-subscriber latency p50/p99, beside a raw `ws` echo of the same bytes in the same process run.
// Usage: pnpm bench:logs   (BENCH_LINES=... to change the line count)
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import { startTestApp } from "../server/test/harness.js";
import { nowMicros, record, summary, type Measured } from "./log-latency.js";

const LINES = Number(process.env.BENCH_LINES ?? 50_000);
const TRAINER = fileURLToPath(new URL("./fixtures/chatty-trainer.mjs", import.meta.url));
async function pipeline(): Promise<Measured> {
  const app = await startTestApp({
    env: { SIDECAR: "embedded", TRAINERS: JSON.stringify([{ name: "chatty", command: [process.execPath, TRAINER], baseModels: ["tinyllama-1.1b"] }]) },
  });
  try {
    const dataset = await app.gql(`mutation { generateDataset(input: { name: "bench", style: "blues", count: 4, seed: 1 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
    const experiment = await app.gql(`mutation($d: ID!) { createExperiment(input: { name: "bench", baseModelId: "tinyllama-1.1b", datasetId: $d }) { ... on CreateExperimentSuccess { experiment { id } } } }`, { d: dataset.data.generateDataset.dataset.id });
    const client = app.wsClient();
    const run = await app.gql(`mutation($e: ID!) { startRun(experimentId: $e) { ... on StartRunSuccess { run { id } } } }`, { e: experiment.data.createExperiment.experiment.id });
    const runId = run.data.startRun.run.id;
    const measured: Measured = { lines: 0, bytes: 0, seconds: 0, latenciesMs: [], partial: "" };
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: `subscription($id: ID!) { runLogs(runId: $id) { data } }`, variables: { id: runId } }, {
        next: ({ data }) => {
          record((data as { runLogs: { data: string } }).runLogs.data, measured);
          if (measured.lines >= LINES) resolve();
        },
        error: reject,
        complete: () => resolve(),
      });
    });
    measured.seconds = (performance.now() - started) / 1000;
    await client.dispose();
    return measured;
  } finally {
    await app.close();
  }
}

/** The same lines written into a raw WebSocket and read back by a client in this process. */
async function wsEcho(): Promise<Measured> {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  const measured: Measured = { lines: 0, bytes: 0, seconds: 0, latenciesMs: [], partial: "" };
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  const done = new Promise<void>((resolve) => client.on("message", (message) => {
    record(message.toString(), measured);
    if (measured.lines >= LINES) resolve();
  }));
  const socket = await new Promise<WebSocket>((resolve) => server.once("connection", resolve));
  const started = performance.now();
  for (let i = 1; i <= LINES; i++) {
    const stamp = Math.round(nowMicros());
    socket.send(i % 4 === 0 ? `\r\x1b[32m[${"#".repeat(i % 30).padEnd(30, "-")}]\x1b[0m ${i}/${LINES} t=${stamp}\r` : `step ${i} loss ${(2 / Math.sqrt(i)).toFixed(5)} t=${stamp}\n`);
    if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  measured.seconds = (performance.now() - started) / 1000;
  client.close();
  server.close();
  return measured;
}

const raw = summary(await wsEcho());
const full = summary(await pipeline());
process.stdout.write(`${JSON.stringify({
  benchmark: "trainer stdout -> sidecar -> API -> graphql-ws subscriber, vs a raw ws echo",
  lines: LINES,
  pipeline: full,
  wsEcho: raw,
  throughputRatio: +(full.linesPerSecond / raw.linesPerSecond).toFixed(3),
})}\n`);
