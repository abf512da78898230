import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import sirv from "sirv";
import type { Scope } from "../auth/scopes.js";
import type { AppDeps } from "../context.js";
import { adapterDownloadRoute, serveAdapterDownload } from "../adapters/http.js";
import { blindSampleRoute, serveBlindSample } from "../ab-tests/http.js";
import { generationFileRoute, serveGenerationFile } from "../generation/http.js";
import { deliveryImageRoute, serveDeliveryImage } from "../deliveries/http-route.js";
import { authorizeFile, sendRefusal } from "./file-access.js";
import { graphiqlAssetRoute, serveGraphiQLAsset } from "./graphiql.js";
import { createHealthCheck } from "./health.js";
import { setApiHeaders, setDashboardHeaders, setGraphiQLHeaders } from "./headers.js";
import { defaultAllowedHosts, hostAllowed, originAllowed, type NetworkPolicy } from "./network.js";
import { createMetrics } from "./metrics.js";
import { attachWebSocketServer } from "./websocket.js";
import { removeAbandonedSpools } from "./request-body.js";
import { createGraphQLServer, uploadSpoolDir } from "./yoga.js";

const MAX_JSON_BODY_BYTES = 1024 * 1024;
const DEFAULT_CLIENT_DIST = fileURLToPath(new URL("../../../client/dist", import.meta.url));

export interface HttpServer {
  server: Server;
  url: string;
  /** from now on /readyz answers 503, so a load balancer sends the requests to other replicas */
  beginDrain(): void;
  /** WebSockets closed (1012), no new connection, requests in flight given up to `graceMs` to finish */
  close(graceMs?: number): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function oversizeBody(req: IncomingMessage, maxUploadBytes: number): boolean {
  const length = Number(req.headers["content-length"] ?? 0);
  const isMultipart = req.headers["content-type"]?.startsWith("multipart/form-data") ?? false;
  return length > (isMultipart ? maxUploadBytes + MAX_JSON_BODY_BYTES : MAX_JSON_BODY_BYTES);
}

type RunFile = { kind: "log" | "dataset"; runId: string };

/** /runs/<id>/log (the full log, for anyone who may read) and /sidecar/runs/<id>/dataset.jsonl (sidecars only). */
function runFileRoute(path: string): RunFile | null {
  const match = /^\/(?:runs\/([\w-]{1,64})\/log|sidecar\/runs\/([\w-]{1,64})\/dataset\.jsonl)$/.exec(path);
  if (!match) return null;
  return match[1] ? { kind: "log", runId: match[1] } : { kind: "dataset", runId: match[2]! };
}

async function serveRunFile(deps: AppDeps, file: RunFile, res: ServerResponse): Promise<void> {
  const { runs } = deps.services;
  const run = await runs.find(file.runId).catch(() => null);
  if (!run) return sendJson(res, 404, { error: "no such run" });
  if (file.kind === "dataset") {
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    return pipeline(runs.readDataset(run.id), res).catch(() => void res.destroy());
  }
  const name = `${run.name}-${run.id.slice(0, 8)}.log`.replace(/[^\w.-]/g, "_");
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });
  await pipeline(Readable.from(runs.logText(run.id)), res).catch(() => void res.destroy());
}

interface FileRoute {
  scope: Scope;
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Every file served outside GraphQL, with the scope it needs: the sidecar's inputs, and what people read. */
function fileRoute(deps: AppDeps, path: string): FileRoute | null {
  const runFile = runFileRoute(path);
  if (runFile) return { scope: runFile.kind === "dataset" ? "sidecar" : "read", serve: (_req, res) => serveRunFile(deps, runFile, res) };
  const generationFile = generationFileRoute(path);
  if (generationFile) return { scope: generationFile.kind === "adapter" ? "sidecar" : "read", serve: (req, res) => serveGenerationFile(deps, generationFile, req, res) };
  const blindSample = blindSampleRoute(path);
  if (blindSample) return { scope: "read", serve: (req, res) => serveBlindSample(deps, blindSample, req, res) };
  const adapterDownload = adapterDownloadRoute(path);
  if (adapterDownload) return { scope: "read", serve: (req, res) => serveAdapterDownload(deps, adapterDownload, req, res) };
  const deliveryImage = deliveryImageRoute(path);
  if (deliveryImage) return { scope: "read", serve: (_req, res) => serveDeliveryImage(deps.services.deliveries, deliveryImage, res) };
  return null;
}

/** The dashboard's CSP, GraphiQL's (a GET of the GraphQL path asking for HTML), or the API's. */
function securityHeaders(req: IncomingMessage, isGraphQLPath: boolean, isApi: boolean) {
  if (isGraphQLPath && req.method === "GET" && req.headers.accept?.includes("text/html")) return setGraphiQLHeaders;
  return isApi ? setApiHeaders : setDashboardHeaders;
}

function networkPolicy(deps: AppDeps, port: number): NetworkPolicy {
  const { config } = deps;
  const publicUrl = config.publicUrl ?? null;
  return {
    allowedHosts: config.allowedHosts ?? defaultAllowedHosts({ port, bindHost: config.host, publicUrl }),
    publicOrigin: publicUrl ? new URL(publicUrl).origin : null,
    corsOrigins: config.corsOrigins,
  };
}

/** One port: GraphQL over HTTP, SSE and WebSocket on /graphql, /healthz, the file routes and the built dashboard. */
export async function startHttpServer(deps: AppDeps, port: number, host?: string): Promise<HttpServer> {
  const metrics = createMetrics(deps);
  const health = createHealthCheck(deps);
  const yoga = createGraphQLServer(deps, [metrics.plugin]);
  // what a stopped process was receiving, not what another replica on the same DATA_DIR is receiving now
  await removeAbandonedSpools(uploadSpoolDir(deps.config.dataDir));
  const clientDist = deps.config.clientDist ?? DEFAULT_CLIENT_DIST;
  const serveClient = existsSync(clientDist) ? sirv(clientDist, { single: true, gzip: true, etag: true }) : null;
  // the port is known once listening (PORT=0 picks one); requests arrive only after that
  let policy: NetworkPolicy = networkPolicy(deps, port);
  let draining = false;

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/healthz") {
      setApiHeaders(req, res);
      const report = await health.report();
      return sendJson(res, report.status === "ok" ? 200 : 503, report);
    }
    if (path === "/readyz") {
      setApiHeaders(req, res);
      return sendJson(res, draining ? 503 : 200, { status: draining ? "draining" : "ready" });
    }
    // a scraper holding METRICS_TOKEN may reach the replica by any name; a read key goes through the Host check
    if (path === "/metrics" && metrics.presentsToken(req)) {
      setApiHeaders(req, res);
      return metrics.serve(res);
    }
    const graphiqlAsset = deps.config.introspection ? graphiqlAssetRoute(path) : null;
    const route = path === yoga.graphqlEndpoint || graphiqlAsset ? null : fileRoute(deps, path);
    const isApi = route !== null || path === yoga.graphqlEndpoint || path === "/metrics";
    (graphiqlAsset ? setGraphiQLHeaders : securityHeaders(req, path === yoga.graphqlEndpoint, isApi))(req, res);
    if (!hostAllowed(policy, req.headers.host)) {
      return sendRefusal(res, 403, "HOST_NOT_ALLOWED", `the Host "${req.headers.host ?? ""}" is not one this server answers to: add it to ALLOWED_HOSTS (or set PUBLIC_URL)`);
    }
    // GraphiQL's own files: public like the page that loads them, which asks for the key only to run operations
    if (graphiqlAsset) return serveGraphiQLAsset(graphiqlAsset, req, res);
    if (isApi && !originAllowed(policy, req)) {
      return sendRefusal(res, 403, "ORIGIN_NOT_ALLOWED", `requests from the origin ${req.headers.origin} are not allowed: add it to CORS_ORIGINS`);
    }
    if (path === "/metrics") {
      if (await authorizeFile(deps, req, res, "read")) await metrics.serve(res);
      return;
    }
    if (route) {
      if (req.method !== "GET" && req.method !== "HEAD") return sendRefusal(res, 405, "METHOD_NOT_ALLOWED", "files are read with GET");
      if (await authorizeFile(deps, req, res, route.scope)) await route.serve(req, res);
      return;
    }
    if (path === yoga.graphqlEndpoint) {
      if (oversizeBody(req, deps.config.maxUploadBytes)) return sendRefusal(res, 413, "PAYLOAD_TOO_LARGE", "request body too large");
      return yoga(req, res);
    }
    if (serveClient) return serveClient(req, res, () => sendJson(res, 404, { error: "not found" }));
    sendJson(res, 404, { error: "not found; the dashboard is not built (pnpm build)" });
  });

  const ws = attachWebSocketServer(deps, server, yoga, () => policy);

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  policy = networkPolicy(deps, address.port);
  const shownHost = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    beginDrain: () => {
      draining = true;
    },
    close: async (graceMs = 0) => {
      await ws.dispose();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // a keep-alive connection goes once its request has been answered; what still runs at the deadline is cut
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearInterval(idle);
      clearTimeout(deadline);
      await health.close();
    },
  };
}
