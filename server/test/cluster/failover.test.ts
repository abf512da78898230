import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../generation-fixtures.js";
import { TEST_HEADERS } from "../test-key.js";
import { createDataset, expectWholeLog, followLogs, logText, ok, runEnded, startRun, type LogChunk } from "./operations.js";
import { clusterUnavailable, startCluster, type Cluster, type Replica } from "./processes.js";
import { chattyScript, SCRIPTED_BASE_MODEL } from "./trainer-script.js";

/*
 * Cluster mode (README "Cluster"): a replica that dies and one that is stopped. Clients move to another replica and
 * resume from their cursor; a replica stopped with SIGTERM drains first.
 */

const unavailable = await clusterUnavailable();
if (unavailable) console.warn(`skipping the cluster failover tests: ${unavailable}`);

const CREATE_JOB = `mutation($input: CreateGenerationJobInput!) { createGenerationJob(input: $input) { ... on CreateGenerationJobSuccess { job { id } } } }`;

async function generationJob(replica: Replica, id: string): Promise<{ status: string; sidecarId: string | null }> {
  return (await ok(replica, `query($id: ID!) { generationJob(id: $id) { status sidecarId } }`, { id })).generationJob;
}

/** about four seconds of output */
const CHATTY = chattyScript(400, 10);

describe.skipIf(unavailable !== null)("replicas that go away", () => {
  let cluster: Cluster;
  let one: Replica;
  let two: Replica;
  let datasetId: string;

  beforeAll(async () => {
    cluster = await startCluster({ chatty: CHATTY.script });
    [one, two] = await Promise.all([cluster.startReplica(), cluster.startReplica()]);
    // it trains; generation jobs are left to the sidecars the tests start
    await cluster.startSidecar(two, "worker", { SIDECAR_GENERATION_CONCURRENCY: "0" });
    datasetId = await createDataset(two);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it("lets a client following a run through a replica that is SIGKILLed go on through the other from its cursor: the trainer's bytes, no gap, no repeat", async () => {
    const runId = await startRun(two, datasetId, SCRIPTED_BASE_MODEL);
    const before = followLogs(one, runId, 0, (chunks) => chunks.length >= 5);
    const received: LogChunk[] = [...(await before.ended)];
    one.child.kill("SIGKILL");
    await one.exited;
    received.push(...before.chunks.slice(received.length));
    before.close();
    expect(logText(received).length, "the replica died mid-run").toBeLessThan(CHATTY.log.length);

    const cursor = received[received.length - 1]!.seq;
    const after = followLogs(two, runId, cursor, (chunks) => logText(received).length + logText(chunks).length >= CHATTY.log.length);
    received.push(...(await after.ended));
    after.close();
    expectWholeLog(received, CHATTY.log);
    expect((await runEnded(two, runId)).status).toBe("COMPLETED");
  }, 120_000);

  it("queues the generation job of a sidecar that died with its replica again, once no replica has heard from it within its lease", async () => {
    const three = await cluster.startReplica();
    const doomed = await cluster.startSidecar(three, "doomed", { TRAINERS: "[]" });
    const created = await ok(three, CREATE_JOB, { input: { prompt: "a lively jig", baseModelId: "tunes-m", durationSeconds: 32, samples: 8 } });
    const jobId: string = created.createGenerationJob.job.id;
    const doomedId = await cluster.sidecarId("doomed");
    await eventually("the doomed sidecar to run the job", async () => (await generationJob(two, jobId)).sidecarId === doomedId);

    three.child.kill("SIGKILL");
    doomed.child.kill("SIGKILL");
    await cluster.startSidecar(two, "rescuer", { TRAINERS: "[]" });

    const done = await eventually("the job to finish on the rescuer", async () => {
      const job = await generationJob(two, jobId);
      return job.status === "DONE" && job;
    }, 90_000);
    expect(done.sidecarId).toBe(await cluster.sidecarId("rescuer"));
    const [disconnected] = await cluster.query<{ message: string }>(`SELECT message FROM "ActivityEvent" WHERE "subjectId" = $1 AND type = 'SIDECAR_DISCONNECTED'`, [doomedId]);
    expect(disconnected?.message).toBe("sidecar 'doomed' disconnected: no API replica heard from sidecar doomed for 6 s");
  }, 150_000);

  it("drains on SIGTERM: /readyz turns 503, a request in flight is answered, WebSockets close with 1012, and it exits 0", async () => {
    const draining = await cluster.startReplica({ SHUTDOWN_DELAY_SECONDS: "1.5" });
    const client = draining.ws({ on: { closed: (event) => closeCodes.push((event as { code: number }).code) } });
    const closeCodes: number[] = [];
    const subscribed = new Promise<void>((resolve) => {
      client.subscribe({ query: "subscription { activity { id } }" }, { next: () => undefined, error: () => resolve(), complete: () => resolve() });
      client.on("connected", () => resolve());
    });
    await subscribed;

    const body = slowBody(JSON.stringify({ query: "{ __typename }" }), 2500);
    const inFlight = fetch(`${draining.url}/graphql`, { method: "POST", headers: { ...TEST_HEADERS, "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 300));
    draining.child.kill("SIGTERM");

    await eventually("/readyz to say it is draining", async () => {
      const ready = await fetch(`${draining.url}/readyz`).catch(() => null);
      return ready?.status === 503 && (await ready.json()).status === "draining";
    }, 5_000);
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { __typename: "Query" } });
    expect(await draining.exited).toEqual({ code: 0, signal: null });
    expect(closeCodes).toEqual([1012]);
  }, 60_000);
});

/** `text` as a request body that arrives in pieces over `durationMs`. */
function slowBody(text: string, durationMs: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const pieces = 10;
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, durationMs / pieces));
      const size = Math.ceil(bytes.length / pieces);
      controller.enqueue(bytes.slice(sent, sent + size));
      sent += size;
      if (sent >= bytes.length) controller.close();
    },
  });
}
