import type { IncomingMessage, Server } from "node:http";
import { GraphQLError } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import { firstForbiddenRootField } from "../auth/operation-scopes.js";
import type { Principal } from "../auth/principal.js";
import type { AppDeps } from "../context.js";
import { hostAllowed, originAllowed, type NetworkPolicy } from "./network.js";
import type { GraphQLServer } from "./yoga.js";

/*
 * graphql-ws on the GraphQL path. The upgrade is refused for a foreign Host or Origin; the connection needs a key when
 * keys are required (the `authorization` connection parameter, or the header for programs): without one it closes
 * 4401, with a revoked or expired one 4403, and an operation beyond the key's scopes closes it 4403. Open sockets are
 * re-checked every 2 s, so one whose key is revoked anywhere is closed within 5 s.
 */

const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
const KEY_SWEEP_MS = 2_000;
const CLOSE_RATE_LIMITED = 4429;
/** "Service Restart": the server is going away on purpose; a client reconnects (through the load balancer, to another replica) */
const CLOSE_SERVICE_RESTART = 1012;

const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof Error && error.name === "GraphQLError";

export function attachWebSocketServer(deps: AppDeps, server: Server, yoga: GraphQLServer, policy: () => NetworkPolicy) {
  const principals = new Map<WebSocket, Principal>();
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ req }: { req: IncomingMessage }, done: (allowed: boolean, status?: number, message?: string) => void) =>
      hostAllowed(policy(), req.headers.host) && originAllowed(policy(), req) ? done(true) : done(false, 403, "Host or Origin not allowed"),
  });
  const ws = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onConnect: async ({ connectionParams, extra }) => {
        const authorization = connectionParams?.authorization ?? connectionParams?.Authorization ?? extra.request.headers.authorization;
        const result = await deps.access.authenticator.authenticate(authorization, extra.request.socket.remoteAddress ?? "unknown");
        if (!result.ok) {
          const code = result.reason === "rate-limited" ? CLOSE_RATE_LIMITED : result.reason === "unknown" ? CloseCode.Unauthorized : CloseCode.Forbidden;
          extra.socket.close(code, result.message);
          return false;
        }
        if (deps.access.authenticator.keysRequired && !result.principal.authenticated) {
          extra.socket.close(CloseCode.Unauthorized, "an API key is required: pass it as the authorization connection parameter");
          return false;
        }
        principals.set(extra.socket, result.principal);
        extra.socket.once("close", () => principals.delete(extra.socket));
        return true;
      },
      onSubscribe: async (ctx, _id, params) => {
        const principal = principals.get(ctx.extra.socket)!;
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [new GraphQLError(`at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} operations may be open on one connection`, { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } })];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, principal,
        });
        try {
          const document = parse(params.query);
          const errors = validate(schema, document);
          if (errors.length) return errors;
          const forbiddenField = firstForbiddenRootField(schema, document, params.operationName, principal);
          if (forbiddenField) {
            ctx.extra.socket.close(CloseCode.Forbidden, `this key may not use ${forbiddenField}`);
            return [new GraphQLError(`this key may not use ${forbiddenField}`, { extensions: { code: "FORBIDDEN" } })];
          }
          return { schema, operationName: params.operationName, document, variableValues: params.variables, contextValue: await contextFactory(), rootValue: { execute, subscribe } };
        } catch (error) {
          // Syntax errors and the limit rules (which throw) answer as errors, not as a dropped socket.
          if (isGraphQLError(error)) return [error];
          throw error;
        }
      },
    },
    wss,
  );

  const sweep = setInterval(() => void closeRevoked(deps, principals).catch((error: unknown) => deps.logger.warn({ err: error }, "could not re-check the keys of open sockets")), KEY_SWEEP_MS);
  sweep.unref();
  return {
    dispose: async () => {
      clearInterval(sweep);
      for (const socket of wss.clients) socket.close(CLOSE_SERVICE_RESTART, "the server is restarting: reconnect");
      await ws.dispose();
    },
  };
}

async function closeRevoked(deps: AppDeps, principals: Map<WebSocket, Principal>): Promise<void> {
  const keyIds = [...new Set([...principals.values()].flatMap((principal) => (principal.keyId ? [principal.keyId] : [])))];
  const invalid = await deps.access.keys.invalidAmong(keyIds);
  for (const [socket, principal] of principals) {
    if (principal.keyId && invalid.has(principal.keyId)) socket.close(CloseCode.Forbidden, "the API key was revoked or has expired");
  }
}
