import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../generation-fixtures.js";
import { Receiver } from "../delivery-receiver.js";
import { ok } from "./operations.js";
import { clusterUnavailable, startCluster, type Cluster, type Replica } from "./processes.js";
import { REDIS_URL } from "./redis.js";

/*
 * Cluster mode (README "Cluster"): deliveries are a BullMQ queue that every replica processes. Each delivery runs once
 * whichever replica took the request, a retry waits in BullMQ's delayed set, and one a stopping replica was making is
 * finished by another.
 */

const unavailable = await clusterUnavailable();
if (unavailable) console.warn(`skipping the cluster delivery tests: ${unavailable}`);

const CREATE = `mutation($input: CreateDeliveryInput!) { createDelivery(input: $input) { ... on CreateDeliverySuccess { delivery { id } } ... on Error { message } } }`;

interface DeliveryRow {
  status: string;
  attempts: number;
  error: string | null;
}

describe.skipIf(unavailable !== null)("deliveries between two replicas", () => {
  const receiver = new Receiver();
  let cluster: Cluster;
  let one: Replica;
  let two: Replica;
  let base: string;

  const deliver = async (replica: Replica, path: string, prompt: string) =>
    (await ok(replica, CREATE, { input: { mode: "HTTP", url: `${base}${path}`, prompt } })).createDelivery.delivery.id as string;
  const delivery = async (id: string) =>
    (await ok<{ delivery: DeliveryRow }>(one, `query($id: ID!) { delivery(id: $id) { status attempts error } }`, { id })).delivery;
  const finished = (id: string, timeoutMs = 30_000) =>
    eventually(`delivery ${id} to finish`, async () => {
      const row = await delivery(id);
      return row.status === "SUCCEEDED" || row.status === "FAILED" ? row : undefined;
    }, timeoutMs);

  beforeAll(async () => {
    const port = await receiver.listen();
    base = `http://127.0.0.1:${port}`;
    cluster = await startCluster({ env: { DELIVERY_ALLOWED_HOSTS: `127.0.0.1:${port}`, DELIVERY_CONCURRENCY: "2" } });
    one = await cluster.startReplica();
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
    await receiver.close();
  });

  it("finishes an attempt a replica stopped with SIGTERM was making on the other replica, counting it once", async () => {
    const id = await deliver(one, "/slow", "handed over");
    await eventually("replica 1 to be making the attempt", async () => receiver.on("/slow").length === 1, 20_000);
    two = await cluster.startReplica();

    receiver.hang = false;
    one.child.kill("SIGTERM");
    expect(await one.exited).toEqual({ code: 0, signal: null });
    one = two;
    expect(await finished(id)).toEqual({ status: "SUCCEEDED", attempts: 1, error: null });
    const keys = receiver.on("/slow").map((request) => request.headers["idempotency-key"]);
    expect(keys).toEqual([id, id]);
  }, 150_000);

  it("runs each delivery once whichever replica queued it, and a retry after its backoff", async () => {
    const spare = await cluster.startReplica();
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => deliver(i % 2 === 0 ? one : spare, "/hook", `hook ${i}`)));
    const flaky = await deliver(spare, "/flaky", "twice");

    for (const id of ids) expect(await finished(id)).toEqual({ status: "SUCCEEDED", attempts: 1, error: null });
    expect(await finished(flaky)).toEqual({ status: "SUCCEEDED", attempts: 2, error: null });
    const received = receiver.on("/hook").map((request) => request.headers["idempotency-key"]);
    expect(received.sort()).toEqual([...ids].sort());
    expect(receiver.on("/flaky").map((request) => request.headers["idempotency-key"])).toEqual([flaky, flaky]);

    // they went through BullMQ: each delivery's job completed in the queue's event stream, none left behind
    const redis = new Redis(REDIS_URL);
    try {
      const events = await redis.xrange(`${cluster.prefix}:deliveries:events`, "-", "+");
      const completed = events.map(([, fields]) => Object.fromEntries(chunks(fields))).filter((event) => event.event === "completed").map((event) => event.jobId);
      expect(completed).toEqual(expect.arrayContaining([...ids, flaky]));
      expect(await redis.zcard(`${cluster.prefix}:deliveries:delayed`)).toBe(0);
      expect(await redis.llen(`${cluster.prefix}:deliveries:active`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  }, 150_000);
});

/** ["a", "1", "b", "2"] → [["a", "1"], ["b", "2"]] */
function chunks(fields: string[]): [string, string][] {
  return Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i]!, fields[2 * i + 1]!]);
}
