import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";
import { playedRun, type PlayedRun, type ReportedChunk } from "./log-reports.js";

/**
 * Issue 10, item 3: for every new chunk the runLogs stream re-read up to 1,000 stored chunks after each subscriber's
 * position, even when nothing was missing, and a subscriber whose socket was paused had every published chunk held
 * for it. A trainer writing 6 MB/s with three such subscribers froze the API. Now a subscriber that keeps up is fed
 * from the published events, one that falls behind holds at most 4 MiB and gets a marker for what it missed.
 */

const CHUNK_CHARS = 64 * 1024;
const CHUNKS_PER_REPORT = 12;
const FLOOD_BYTES = 96 * 1024 * 1024;
/**
 * What the process keeps (after a garbage collection) while three paused readers are still connected: each may hold
 * 4 MiB for its reader. Holding every chunk published for them, as before, kept the whole flood.
 */
const MAX_RETAINED_GROWTH_BYTES = FLOOD_BYTES / 2;
const LIVENESS_EVERY_MS = 100;
const SUBSCRIPTION = `subscription($id: ID!, $after: Int!) { runLogs(runId: $id, afterSeq: $after) { seq data } }`;
const isMarker = (data: string) => data.includes("lines skipped");

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** The JavaScript heap in use after a full garbage collection, where the log's text lives */
function retainedBytes(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** A graphql-ws client following a run's log; it keeps seqs and markers, not the text. */
function follow(app: TestApp, runId: string, afterSeq: number) {
  let socket: WebSocket | undefined;
  const client = app.wsClient({ on: { opened: (opened) => void (socket = opened as WebSocket) } });
  const seen = { lastSeq: afterSeq, chunks: 0, inOrder: true, markers: [] as { seq: number; data: string; cursor: number }[], error: null as unknown };
  client.subscribe<{ runLogs: { seq: number; data: string } }>(
    { query: SUBSCRIPTION, variables: { id: runId, after: afterSeq } },
    {
      next: ({ data }) => {
        const chunk = data!.runLogs;
        if (chunk.seq !== seen.lastSeq + 1 && !isMarker(chunk.data)) seen.inOrder = false;
        if (isMarker(chunk.data)) seen.markers.push({ seq: chunk.seq, data: chunk.data, cursor: seen.lastSeq });
        seen.lastSeq = chunk.seq;
        seen.chunks += 1;
      },
      error: (error) => void (seen.error = error),
      complete: () => undefined,
    },
  );
  return { seen, pause: () => socket!.pause(), resume: () => socket!.resume(), close: () => client.dispose() };
}

async function until(what: string, holds: () => boolean, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !holds(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

function report(seq: number): ReportedChunk[] {
  return Array.from({ length: CHUNKS_PER_REPORT }, (_, i) => ({
    seq: seq + i,
    stream: "STDOUT" as const,
    data: `step ${seq + i} ${"#".repeat(90)}\n`.repeat(CHUNK_CHARS / 100).padEnd(CHUNK_CHARS, "."),
  }));
}

describe("runLogs with slow and paused subscribers while a run floods its log", () => {
  let app: TestApp;
  let run: PlayedRun;
  let logReads = 0;

  beforeAll(async () => {
    app = await startTestApp({
      env: { RUN_LOG_MAX_MB: "256" },
      onQuery: (model, operation) => void (model === "RunLogChunk" && operation === "findMany" && (logReads += 1)),
    });
    run = await playedRun(app, "slow-readers");
  });
  afterAll(async () => app?.close());

  it("feeds a reader that keeps up from the events, caps the paused ones with a marker, answers /healthz throughout, and lets a reader resume from its cursor", async () => {
    expect(await run.reportLogs([{ seq: 1, stream: "STDOUT", data: "starting\n" }])).toBeUndefined();
    const fast = follow(app, run.runId, 0);
    const paused = [1, 2, 3].map(() => follow(app, run.runId, 0));
    await until("every subscriber's first chunk", () => [fast, ...paused].every((reader) => reader.seen.lastSeq === 1));
    for (const reader of paused) reader.pause();
    const retainedBefore = retainedBytes();
    const readsBefore = logReads;

    let flooding = true;
    const watching = (async () => {
      while (flooding) {
        await expectLive(app);
        await new Promise((resolve) => setTimeout(resolve, LIVENESS_EVERY_MS));
      }
    })();
    let seq = 2;
    for (let sent = 0; sent < FLOOD_BYTES; sent += CHUNK_CHARS * CHUNKS_PER_REPORT) {
      expect(await run.reportLogs(report(seq))).toBeUndefined();
      seq += CHUNKS_PER_REPORT;
    }
    const lastSeq = seq - 1;
    await until("the reader that keeps up to get every chunk", () => fast.seen.lastSeq === lastSeq);
    flooding = false;
    await watching;

    expect(fast.seen).toMatchObject({ chunks: lastSeq, inOrder: true, markers: [], error: null });
    expect(logReads - readsBefore, "stored chunks read while every subscriber was live").toBeLessThanOrEqual(4);
    const retainedGrowth = retainedBytes() - retainedBefore;
    expect(retainedGrowth, "kept for three paused readers").toBeLessThan(MAX_RETAINED_GROWTH_BYTES);

    const [slow] = paused;
    slow!.resume();
    await until("the paused reader to catch up with the marker", () => slow!.seen.lastSeq === lastSeq);
    expect(slow!.seen).toMatchObject({ inOrder: true, error: null });
    expect(slow!.seen.markers).toHaveLength(1);
    const [marker] = slow!.seen.markers;
    expect(marker!.data).toMatch(new RegExp(`\\d+ lines skipped \\(chunks ${marker!.cursor + 1}–${marker!.seq}, \\d+ bytes\\).*reconnect with afterSeq ${marker!.cursor} to catch up`));
    expect(slow!.seen.chunks, "what the marker stands for was not sent").toBeLessThan(lastSeq / 2);

    const again = follow(app, run.runId, marker!.cursor);
    await until("the reader resumed from its cursor to get the rest", () => again.seen.lastSeq === lastSeq);
    expect(again.seen).toMatchObject({ chunks: lastSeq - marker!.cursor, inOrder: true, markers: [], error: null });
    await expectLive(app);
    for (const reader of [fast, ...paused, again]) await reader.close();
  }, 240_000);
});
