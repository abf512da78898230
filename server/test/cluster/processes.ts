import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type Client, type ClientOptions } from "graphql-ws";
import pg from "pg";
import { WebSocket } from "ws";
import { eventually } from "../generation-fixtures.js";
import { createScratchDatabase, postgresUnavailable } from "../postgres.js";
import { TEST_ADMIN_KEY, TEST_HEADERS } from "../test-key.js";
import { dropPrefix, REDIS_URL, redisUnavailable, testPrefix } from "./redis.js";
import { scriptedTrainers, type Script } from "./trainer-script.js";

/*
 * A cluster of real processes for the cluster tests (README "Cluster"): API replicas (`node --import tsx
 * src/main.ts`) on one scratch PostgreSQL database and one Redis key prefix, sharing one DATA_DIR as replicas do, and
 * sidecar processes started as an operator would on another machine (`--api URL --key KEY`), each with a work
 * directory of its own.
 */

const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** Why the cluster tests cannot run here (no PostgreSQL or no Redis), or null. */
export async function clusterUnavailable(): Promise<string | null> {
  return (await postgresUnavailable()) ?? (await redisUnavailable());
}

export interface ManagedProcess {
  child: ChildProcess;
  /** what it wrote to stdout and stderr so far */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(args: string[], env: Record<string, string>): ManagedProcess {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: SERVER_DIR, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

const running = (managed: ManagedProcess) => managed.child.exitCode === null && managed.child.signalCode === null;

export interface Replica extends ManagedProcess {
  url: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  /** graphql-ws on this replica with the admin key */
  ws(options?: Partial<ClientOptions>): Client;
}

export interface SidecarProcess extends ManagedProcess {
  name: string;
  workDir: string;
}

export interface Cluster {
  prefix: string;
  dataDir: string;
  sidecarToken: string;
  replicas: Replica[];
  sidecars: SidecarProcess[];
  /** another API replica; `env` adds to (or overrides) the cluster's */
  startReplica(env?: Record<string, string>): Promise<Replica>;
  /** a sidecar process connected to `replica`, registered once this resolves */
  startSidecar(replica: Replica, name: string, env?: Record<string, string>): Promise<SidecarProcess>;
  /** a sidecar's id as the API knows it */
  sidecarId(name: string): Promise<string>;
  /** a query on the cluster's database */
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** what every replica gets besides the cluster's own settings (timings, REDIS_URL) */
  env?: Record<string, string>;
  /** the script of the chatty trainer the replicas and sidecars get in TRAINERS (trainer-script.ts) */
  chatty?: Script;
}

export async function startCluster({ env = {}, chatty }: ClusterOptions = {}): Promise<Cluster> {
  const database = await createScratchDatabase();
  const scripts = await mkdtemp(join(tmpdir(), "lora-studio-cluster-scripts-"));
  const sql = new pg.Pool({ connectionString: database.url, max: 2 });
  const prefix = testPrefix();
  const dataDir = await mkdtemp(join(tmpdir(), "lora-studio-cluster-"));
  const sidecarToken = randomBytes(24).toString("base64url");
  const replicas: Replica[] = [];
  const sidecars: SidecarProcess[] = [];
  const clusterEnv: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    IMPORT_ROOTS: join(dataDir, "imports"),
    PORT: "0",
    HOST: "127.0.0.1",
    AUTH: "keys",
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    SIDECAR: "off",
    SIDECAR_TOKEN: sidecarToken,
    WORKER_THREADS: "1",
    LOG_LEVEL: "info",
    ...(chatty ? { TRAINERS: await scriptedTrainers(scripts, chatty) } : {}),
    ...env,
  };

  const cluster: Cluster = {
    prefix,
    dataDir,
    sidecarToken,
    replicas,
    sidecars,
    async startReplica(extra = {}) {
      const started = launch(["src/main.ts"], { ...clusterEnv, ...extra });
      const url = await eventually(
        "an API replica to listen",
        async () => {
          if (!running(started)) throw new Error(`the replica exited: ${started.output()}`);
          return /dashboard: (http:\/\/\S+?)\/\s/.exec(started.output())?.[1];
        },
        60_000,
      );
      const replica: Replica = {
        ...started,
        url,
        gql: async (query, variables) => {
          const response = await fetch(`${url}/graphql`, { method: "POST", headers: { ...TEST_HEADERS, "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
          return response.json() as Promise<any>;
        },
        ws: (options = {}) =>
          createClient({ url: `${url.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: TEST_HEADERS.authorization }, ...options }),
      };
      replicas.push(replica);
      return replica;
    },
    async startSidecar(replica, name, extra = {}) {
      const workDir = await mkdtemp(join(tmpdir(), `lora-studio-${name}-`));
      // --key=…: a random token may start with "-", which cannot follow an option as an argument of its own
      const started = launch(["src/sidecar/main.ts", "--api", replica.url, `--key=${sidecarToken}`, "--name", name], {
        SIDECAR_WORK_DIR: workDir,
        SIDECAR_INFERENCE_THREADS: "1",
        LOG_LEVEL: "info",
        ...(clusterEnv.TRAINERS ? { TRAINERS: clusterEnv.TRAINERS } : {}),
        ...extra,
      });
      const sidecar = { ...started, name, workDir };
      sidecars.push(sidecar);
      // a replica records the command stream it serves a sidecar as the sidecar's connectionId
      await eventually(
        `sidecar ${name} to take commands`,
        async () => {
          if (!running(started)) throw new Error(`sidecar ${name} exited: ${started.output()}`);
          const { rows } = await sql.query(`SELECT 1 FROM "Sidecar" WHERE name = $1 AND connected AND "connectionId" IS NOT NULL`, [name]);
          return rows.length > 0;
        },
        60_000,
      );
      return sidecar;
    },
    query: async (text, values) => (await sql.query(text, values)).rows,
    async sidecarId(name) {
      const { data } = await replicas.find(running)!.gql<{ sidecars: { id: string; name: string }[] }>(`{ sidecars { id name } }`);
      return data!.sidecars.find((listed) => listed.name === name)!.id;
    },
    async close() {
      const all = [...sidecars, ...replicas];
      for (const managed of all) managed.child.kill("SIGKILL");
      await Promise.all(all.map((managed) => managed.exited));
      await killOrphanedTrainers(sidecars.map((sidecar) => sidecar.workDir));
      await sql.end();
      await database.drop();
      await dropPrefix(prefix, clusterEnv.REDIS_URL);
      await Promise.all([dataDir, scripts, ...sidecars.map((sidecar) => sidecar.workDir)].map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
  return cluster;
}

/** Trainers whose sidecar was killed under them (their command line names a run directory in its work directory). */
async function killOrphanedTrainers(workDirs: string[]): Promise<void> {
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (!workDirs.some((dir) => commandLine.includes(dir))) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
    } catch {
      // it ended meanwhile
    }
  }
}

/** The pino lines a process logged with this message. */
export function logged(process: ManagedProcess, message: string): Record<string, unknown>[] {
  return process
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes(message))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === message);
}
