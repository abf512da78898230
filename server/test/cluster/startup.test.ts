import { afterAll, describe, expect, it } from "vitest";
import { readMigrations } from "../../src/db/migrate.js";
import { clusterUnavailable, logged, startCluster, type Cluster } from "./processes.js";

/* Cluster mode (README "Cluster"): replicas starting together on a new database. */

const unavailable = await clusterUnavailable();
if (unavailable) console.warn(`skipping the cluster start-up test: ${unavailable}`);

describe.skipIf(unavailable !== null)("two API replicas started at the same moment on a new database", () => {
  let cluster: Cluster | undefined;

  afterAll(async () => {
    await cluster?.close();
  });

  it("apply the migrations once and recover once, and both serve", async () => {
    cluster = await startCluster();
    const [one, two] = await Promise.all([cluster.startReplica(), cluster.startReplica()]);

    for (const replica of [one, two]) {
      expect((await fetch(`${replica.url}/readyz`)).status).toBe(200);
      const health = await fetch(`${replica.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: "ok", database: "postgresql", redis: "ok", queues: { runs: 0, generation: 0, deliveries: 0 }, sidecars: { connected: 0 },
      });
    }
    const rows = await cluster.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((row) => row.migration_name)).toEqual((await readMigrations()).map((migration) => migration.name));

    const recovered = [one, two].map((replica) => logged(replica, "recovery at start done: queued work is back on the queues").length);
    const skipped = [one, two].map((replica) => logged(replica, "recovery at start skipped: another replica has just done it").length);
    expect(recovered.sort()).toEqual([0, 1]);
    expect(skipped.sort()).toEqual([0, 1]);
  }, 120_000);
});
