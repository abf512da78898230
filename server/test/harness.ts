import { mkdtemp, rm } from "node:fs/promises";
import { createClient, type Client, type ClientOptions } from "graphql-ws";
import { WebSocket } from "ws";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp, type App } from "../src/app.js";
import { loadConfig, type Config } from "../src/config/config.js";
import { createLogger } from "../src/config/logger.js";
import type { AppDeps } from "../src/context.js";
import type { DatabaseOptions } from "../src/db/client.js";
import type { HttpServer } from "../src/http/server.js";
import { loadSnapshot } from "./pglite-snapshot.js";
import { TEST_ADMIN_KEY, TEST_HEADERS } from "./test-key.js";

export interface TestApp {
  app: App;
  deps: AppDeps;
  http: HttpServer;
  url: string;
  dataDir: string;
  importRoot: string;
  /** what every request of the test presents: the admin API key, and the CSRF header multipart posts need */
  headers: Record<string, string>;
  /** a graphql-ws client on the app, presenting the admin API key */
  wsClient(options?: Partial<ClientOptions>): Client;
  /** POSTs a GraphQL operation and returns the parsed body */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** a PostgreSQL URL; default: a fresh in-memory PGlite */
  databaseUrl?: string;
  /** a PGlite directory that outlives the app, so another app can start on what this one left */
  pgliteDir?: string;
  env?: Record<string, string>;
  onQuery?: DatabaseOptions["onQuery"];
}


/** The Prisma calls a request makes for its operation, not those checking its API key (cached, and the same for any operation). */
function withoutKeyChecks(onQuery: NonNullable<DatabaseOptions["onQuery"]>): DatabaseOptions["onQuery"] {
  return (model, operation) => {
    if (model !== "ApiKey") onQuery(model, operation);
  };
}

/** The real server on an ephemeral port, with its own data directory and database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), "lora-studio-app-"));
  const importRoot = join(dataDir, "imports");
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    IMPORT_ROOTS: importRoot,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    WORKER_THREADS: "2",
    SIDECAR: "off",
    PORT: "0",
    HOST: "127.0.0.1",
    AUTH: "keys",
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.pgliteDir ? { PGLITE_DIR: options.pgliteDir } : {}),
    ...options.env,
  });
  const snapshot = options.databaseUrl || options.pgliteDir ? undefined : await loadSnapshot();
  const app = await startApp(config, createLogger(config), { pgliteSnapshot: snapshot, onQuery: options.onQuery && withoutKeyChecks(options.onQuery) });
  const { deps, http } = app;
  return {
    app,
    deps,
    http,
    url: http.url,
    dataDir,
    importRoot,
    headers: TEST_HEADERS,
    wsClient: (clientOptions = {}) =>
      createClient({
        url: `${http.url.replace("http", "ws")}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: TEST_HEADERS.authorization },
        ...clientOptions,
      }),
    gql: async (query, variables) => {
      const res = await fetch(`${http.url}/graphql`, {
        method: "POST",
        headers: { ...TEST_HEADERS, "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return res.json() as Promise<any>;
    },
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
