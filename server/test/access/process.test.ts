import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";

/*
 * The server and the operator CLI as processes: refusing an unauthenticated public bind, printing the first admin
 * key once (stdout, never the JSON log, only its hash stored), and keys made and revoked from the command line.
 */

const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));

function spawnTs(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: SERVER_DIR, env: { ...process.env, LOG_LEVEL: "info", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function untilListening(server: ReturnType<typeof spawnTs>): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const url = /dashboard: (http:\/\/\S+)\//.exec(server.stdout())?.[1];
    if (url) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not start:\n${server.stdout()}\n${server.stderr()}`);
}

async function stop(server: ReturnType<typeof spawnTs>): Promise<void> {
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
}

/** Every file under a directory, as bytes: the embedded database's files. */
async function filesUnder(dir: string): Promise<Buffer[]> {
  const entries = await readdir(dir, { recursive: true });
  const files = await Promise.all(entries.map(async (entry) => ((await stat(join(dir, entry))).isFile() ? [await readFile(join(dir, entry))] : [])));
  return files.flat();
}

describe("starting the server", () => {
  it("refuses to bind beyond loopback without keys, saying why, unless told to", async () => {
    const server = spawnTs("src/main.ts", [], { HOST: "0.0.0.0", AUTH: "off", PORT: "0" });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain("Refusing to start: AUTH=off with HOST=0.0.0.0");
    expect(server.stderr()).toContain("ALLOW_UNAUTHENTICATED=1");
  });

  describe("with AUTH=keys and no key stored", () => {
    let dataDir: string;
    let secret: string;
    let firstLog: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), "lora-keys-"));
      const server = spawnTs("src/main.ts", [], { AUTH: "keys", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, SIDECAR: "off" });
      const url = await untilListening(server);
      secret = /^\s+(lsk_[\w-]+)$/m.exec(server.stdout())?.[1] ?? "";
      const anonymous = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ adapters { totalCount } }" }) });
      expect(anonymous.status).toBe(401);
      const signedIn = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: JSON.stringify({ query: "{ viewer { name scopes } }" }) });
      expect(await signedIn.json()).toEqual({ data: { viewer: { name: "admin (first start)", scopes: ["READ", "WRITE", "ADMIN"] } } });
      await stop(server);
      firstLog = server.stdout() + server.stderr();
    });
    afterAll(async () => rm(dataDir, { recursive: true, force: true }));

    it("prints one admin key on the console, once", async () => {
      expect(secret).toMatch(/^lsk_[\w-]{43}$/);
      expect(firstLog.match(/lsk_[\w-]{20,}/g)).toEqual([secret]);
      const again = spawnTs("src/main.ts", [], { AUTH: "keys", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, SIDECAR: "off" });
      await untilListening(again);
      await stop(again);
      expect(again.stdout() + again.stderr()).not.toMatch(/lsk_[\w-]{20,}/);
    });

    it("keeps the secret out of the JSON log and the database, storing only its hash", async () => {
      const jsonLines = firstLog.split("\n").filter((line) => line.startsWith("{"));
      expect(jsonLines.length).toBeGreaterThan(0);
      expect(jsonLines.filter((line) => line.includes(secret))).toEqual([]);
      expect(jsonLines.some((line) => line.includes("created an admin key"))).toBe(true);
      const needle = Buffer.from(secret.slice(4));
      const databaseFiles = await filesUnder(join(dataDir, "db"));
      expect(databaseFiles.length).toBeGreaterThan(0);
      expect(databaseFiles.filter((bytes) => bytes.includes(needle))).toEqual([]);
      const db = await openDatabase({ pgliteDir: join(dataDir, "db") });
      try {
        const keys = await db.prisma.apiKey.findMany();
        expect(keys).toHaveLength(1);
        expect(keys[0]!.secretHash).toBe(createHash("sha256").update(secret).digest("hex"));
      } finally {
        await db.close();
      }
    });

    it("makes, lists and revokes keys from the command line", async () => {
      const created = spawnTs("src/cli/studio.ts", ["keys", "create", "--name", "ci", "--scopes", "read,sidecar", "--expires", "2099-01-01"], { DATA_DIR: dataDir });
      expect(await created.exited, created.stderr()).toBe(0);
      const cliSecret = /^\s+(lsk_[\w-]+)$/m.exec(created.stdout())?.[1];
      expect(cliSecret).toMatch(/^lsk_/);
      const listed = spawnTs("src/cli/studio.ts", ["keys", "list"], { DATA_DIR: dataDir });
      expect(await listed.exited).toBe(0);
      expect(listed.stdout()).toMatch(/ci\s+\[read,sidecar\].*expires 2099-01-01T00:00:00Z\s+active/);
      expect(listed.stdout()).not.toContain(cliSecret);
      const prefix = cliSecret!.slice(0, 10);
      const revoked = spawnTs("src/cli/studio.ts", ["keys", "revoke", prefix], { DATA_DIR: dataDir });
      expect(await revoked.exited).toBe(0);
      const after = spawnTs("src/cli/studio.ts", ["keys", "list"], { DATA_DIR: dataDir });
      await after.exited;
      expect(after.stdout()).toMatch(/ci\s+\[read,sidecar\].*revoked/);
      const bad = spawnTs("src/cli/studio.ts", ["keys", "create", "--name", "x", "--scopes", "root"], { DATA_DIR: dataDir });
      expect(await bad.exited).toBe(2);
      expect(bad.stderr()).toContain("--scopes takes a comma-separated list of read, write, admin, sidecar (not root)");
    });
  });
});
