import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import sirv from "sirv";
import { WebSocketServer } from "ws";
import type { AppDeps } from "../context.js";
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

/** One port: GraphQL over HTTP, SSE and WebSocket on /graphql, /healthz, and the built dashboard. */
export async function startHttpServer(deps: AppDeps, port: number, host?: string): Promise<HttpServer> {
  const yoga = createGraphQLServer(deps);
  const clientDist = deps.config.clientDist ?? DEFAULT_CLIENT_DIST;
  const serveClient = existsSync(clientDist) ? sirv(clientDist, { single: true, gzip: true, etag: true }) : null;

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      const ok = await deps.db.ping().then(() => true, () => false);
      return sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "database unavailable", database: deps.db.kind });
    }
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
