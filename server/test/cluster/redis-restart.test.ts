import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../generation-fixtures.js";
import { TEST_HEADERS } from "../test-key.js";
import { createDataset, expectWholeLog, followLogs, logText, runEnded, startRun } from "./operations.js";
import { clusterUnavailable, startCluster, type Cluster, type Replica } from "./processes.js";
import { redisUnavailable } from "./redis.js";
import { chattyScript, SCRIPTED_BASE_MODEL } from "./trainer-script.js";

/*
 * Cluster mode (README "Cluster"): the Redis of the events and the queues restarts, empty (no persistence), in the
 * middle of a run. The API stores each log chunk in PostgreSQL before it publishes it, so nothing acknowledged is
 * lost; a subscriber whose events were lost on the way reads them from the database when the bus is back.
 */

function redisServerMissing(): string | null {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return null;
  } catch {
    return "redis-server is not installed (apt-get install redis-server)";
  }
}

const unavailable = (await clusterUnavailable()) ?? redisServerMissing();
if (unavailable) console.warn(`skipping the Redis restart test: ${unavailable}`);

const CHATTY = chattyScript(400, 10);

/** A Redis of this test's own, on a port of its own, that it can stop and start again. */
function ownRedis(dir: string) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const start = () =>
    execFileSync("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", join(dir, "redis.pid"), "--dir", dir]);
  const stop = () => execFileSync("redis-cli", ["-p", String(port), "shutdown", "nosave"]);
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

describe.skipIf(unavailable !== null)("a Redis restarted during a run", () => {
  let dir: string;
  let redis: ReturnType<typeof ownRedis>;
  let cluster: Cluster;
  let replica: Replica;
  let datasetId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lora-studio-redis-restart-"));
    redis = ownRedis(dir);
    redis.start();
    await eventually("the test's Redis to answer", async () => (await redisUnavailable(redis.url)) === null, 10_000);
    cluster = await startCluster({ chatty: CHATTY.script, env: { REDIS_URL: redis.url } });
    replica = await cluster.startReplica();
    await cluster.startSidecar(replica, "worker");
    datasetId = await createDataset(replica);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
    try {
      redis?.stop();
    } catch {
      // already stopped
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loses no stored log chunk: the subscriber catches up from its cursor, and the queues work again", async () => {
    const runId = await startRun(replica, datasetId, SCRIPTED_BASE_MODEL);
    const logs = followLogs(replica, runId, 0, (chunks) => logText(chunks).length >= CHATTY.log.length);
    await eventually("the first chunks", async () => logs.chunks.length >= 5);
    redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    redis.start();

    expectWholeLog(await logs.ended, CHATTY.log);
    logs.close();
    expect((await runEnded(replica, runId)).status).toBe("COMPLETED");
    const stored = await fetch(`${replica.url}/runs/${runId}/log`, { headers: TEST_HEADERS });
    expect(await stored.text()).toBe(CHATTY.log);

    const next = await startRun(replica, datasetId, SCRIPTED_BASE_MODEL);
    expect((await runEnded(replica, next)).status).toBe("COMPLETED");
  }, 120_000);
});
