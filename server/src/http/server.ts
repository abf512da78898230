import { createReadStream, existsSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import sirv from "sirv";
import { WebSocketServer } from "ws";
import { principalOf } from "../auth/auth.js";
import type { AppDeps } from "../context.js";
import { blindSampleRoute, serveBlindSample } from "../ab-tests/http.js";
import { generationFileRoute, serveGenerationFile } from "../generation/http.js";
import { deliveryImageRoute, serveDeliveryImage } from "../deliveries/http-route.js";
import { createGraphQLServer } from "./yoga.js";

const MAX_JSON_BODY_BYTES = 1024 * 1024;
const DEFAULT_CLIENT_DIST = fileURLToPath(new URL("../../../client/dist", import.meta.url));

export interface HttpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === "GraphQLError";
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

async function serveRunFile(deps: AppDeps, file: RunFile, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { runs } = deps.services;
  const run = await runs.find(file.runId).catch(() => null);
  if (!run) return sendJson(res, 404, { error: "no such run" });
  if (file.kind === "dataset") {
    if (!principalOf(req.headers.authorization, deps.config.sidecarToken).sidecar) return sendJson(res, 401, { error: "the sidecar token is required" });
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    return pipeline(createReadStream(runs.datasetPath(run.id)), res).catch(() => void res.destroy());
  }
  const name = `${run.name}-${run.id.slice(0, 8)}.log`.replace(/[^\w.-]/g, "_");
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });
  await pipeline(Readable.from(runs.logText(run.id)), res).catch(() => void res.destroy());
}

/** One port: GraphQL over HTTP, SSE and WebSocket on /graphql, /healthz, and the built dashboard. */
export async function startHttpServer(deps: AppDeps, port: number, host?: string): Promise<HttpServer> {
  const yoga = createGraphQLServer(deps);
  const clientDist = deps.config.clientDist ?? DEFAULT_CLIENT_DIST;
  const serveClient = existsSync(clientDist) ? sirv(clientDist, { single: true, gzip: true, etag: true }) : null;

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/healthz") {
      const ok = await deps.db.ping().then(() => true, () => false);
      return sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "database unavailable", database: deps.db.kind });
    }
    const file = runFileRoute(path);
    if (file && req.method === "GET") return serveRunFile(deps, file, req, res);
    const generationFile = generationFileRoute(path);
    if (generationFile && req.method === "GET") return serveGenerationFile(deps, generationFile, req, res);
    const blindSample = blindSampleRoute(path);
    if (blindSample && req.method === "GET") return serveBlindSample(deps, blindSample, req, res);
    const deliveryImage = deliveryImageRoute(path);
    if (deliveryImage && req.method === "GET") return serveDeliveryImage(deps.services.deliveries, deliveryImage, res);
    if (path === yoga.graphqlEndpoint) {
      if (oversizeBody(req, deps.config.maxUploadBytes)) {
        return sendJson(res, 413, { errors: [{ message: "request body too large", extensions: { code: "PAYLOAD_TOO_LARGE" } }] });
      }
      return yoga(req, res);
    }
    if (serveClient) return serveClient(req, res, () => sendJson(res, 404, { error: "not found" }));
    sendJson(res, 404, { error: "not found; the dashboard is not built (pnpm build)" });
  });

  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: MAX_JSON_BODY_BYTES });
  const ws = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params,
        });
        try {
          const document = parse(params.query);
          const errors = validate(schema, document);
          if (errors.length) return errors;
          return {
            schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          // Syntax errors and the limit rules (which throw) answer as errors, not as a dropped socket.
          if (isGraphQLError(error)) return [error];
          throw error;
        }
      },
    },
    wss,
  );

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  const shownHost = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: async () => {
      await ws.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
