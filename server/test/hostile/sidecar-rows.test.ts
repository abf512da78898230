import { mkdtemp, rm } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LISTED_AFTER_DISCONNECT_MS } from "../../src/sidecar-registry/service.js";
import { eventually } from "../generation-fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";

/*
 * Issue 10 item 12: every restart added another "embedded" row to the dashboard's health list. Now the embedded
 * sidecar keeps its record across restarts, and the list holds one row per live sidecar plus those that went away
 * within the hour, a sidecar restarted under a new id replacing its old row.
 */

type Row = { id: string; name: string; connected: boolean };
const SIDECARS = `{ sidecars { id name connected } dashboard { health { sidecars { id name connected } } } }`;

async function listed(app: TestApp): Promise<Row[]> {
  const { data, errors } = await app.gql<{ sidecars: Row[]; dashboard: { health: { sidecars: Row[] } } }>(SIDECARS);
  expect(errors).toBeUndefined();
  expect(data!.dashboard.health.sidecars).toEqual(data!.sidecars);
  return data!.sidecars;
}

describe("the sidecar list across restarts", () => {
  let pgliteDir: string;

  beforeAll(async () => {
    pgliteDir = await mkdtemp(join(tmpdir(), "lora-studio-sidecar-rows-"));
  });

  afterAll(async () => {
    await rm(pgliteDir, { recursive: true, force: true });
  });

  it("shows the embedded sidecar once however often the API restarts", async () => {
    for (let start = 1; start <= 3; start++) {
      const app = await startTestApp({ pgliteDir, env: { SIDECAR: "embedded" } });
      try {
        const rows = await eventually(
          "the embedded sidecar to connect",
          async () => {
            const current = await listed(app);
            return current.some((row) => row.connected) && current;
          },
          60_000,
        );
        expect(rows, `start ${start}`).toEqual([{ id: expect.any(String), name: "embedded", connected: true }]);
        expect(await app.deps.db.prisma.sidecar.count({ where: { name: "embedded" } })).toBe(1);
        await expectLive(app);
      } finally {
        await app.close();
      }
    }
  });
});

describe("sidecars that went away", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  const asSidecar = () => ({ "content-type": "application/json", authorization: `Bearer ${app.deps.config.sidecarToken}` });

  async function register(name: string): Promise<string> {
    const id = randomUUID();
    const input = { id, name, executionProviders: ["CPU"], baseModels: ["tunes-s"], trainers: ["builtin"], concurrency: 1 };
    const response = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: asSidecar(),
      body: JSON.stringify({ query: `mutation($input: RegisterSidecarInput!) { registerSidecar(input: $input) { id } }`, variables: { input } }),
    });
    expect(((await response.json()) as any).data.registerSidecar.id).toBe(id);
    return id;
  }

  async function lastSeen(id: string): Promise<number> {
    return (await app.deps.db.prisma.sidecar.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();
  }

  /** Connects as the sidecar (its command subscription, which marks it seen) and hangs up, as a process that dies does. */
  async function connectAndHangUp(id: string): Promise<void> {
    const registered = await lastSeen(id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const client = app.wsClient({ connectionParams: { authorization: asSidecar().authorization } });
    const unsubscribe = client.subscribe({ query: `subscription($id: ID!) { sidecarCommands(sidecarId: $id) { kind } }`, variables: { id } }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await eventually("the command subscription", async () => (await lastSeen(id)) > registered);
    unsubscribe();
    await client.dispose();
    await eventually(`sidecar ${id} to be marked gone`, async () => (await listed(app)).some((row) => row.id === id && !row.connected));
  }

  it("lists one row per live sidecar: one restarted under a new id replaces its old row, one gone for an hour leaves", async () => {
    const first = await register("gpu-a");
    await connectAndHangUp(first);
    const other = await register("gpu-b");
    await connectAndHangUp(other);
    expect(await listed(app)).toEqual(expect.arrayContaining([{ id: first, name: "gpu-a", connected: false }, { id: other, name: "gpu-b", connected: false }]));

    const restarted = await register("gpu-a");
    await app.deps.db.prisma.sidecar.update({ where: { id: other }, data: { lastSeenAt: new Date(Date.now() - LISTED_AFTER_DISCONNECT_MS - 60_000) } });
    expect(await listed(app)).toEqual([{ id: restarted, name: "gpu-a", connected: true }]);
    expect(await app.deps.db.prisma.sidecar.count()).toBe(3);
    await expectLive(app);
  });
});
