import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { createYoga, type Plugin } from "graphql-yoga";
import { useActor } from "../auth/actor.js";
import { CSRF_HEADER } from "../contracts/http.js";
import { rateLimited, unauthenticated } from "../auth/errors.js";
import type { Principal } from "../auth/principal.js";
import type { AppDeps, Context } from "../context.js";
import { useNulCharacterGuard } from "../errors/nul-bytes.js";
import type { BaseModel } from "../generated/prisma/client.js";
import { MAX_MIDI_FILES } from "../datasets/import.js";
import { schema } from "../schema/index.js";
import { renderGraphiQL } from "./graphiql.js";
import { limitPlugins } from "./limits.js";
import { useStreamedRequestBodies } from "./request-body.js";

const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** where multipart uploads are spooled while their request runs */
export const uploadSpoolDir = (dataDir: string) => join(dataDir, "uploads");

export function createContext(deps: AppDeps, principal: Principal): Context {
  const baseModels = new Map<string, Promise<BaseModel | null>>();
  return {
    principal,
    signUrl: (path) => deps.access.signer.sign(path, principal.keyId),
    prisma: deps.db.prisma,
    services: deps.services,
    events: deps.events,
    deps,
    loadBaseModel: (id) => {
      if (!baseModels.has(id)) baseModels.set(id, deps.services.baseModels.findById(id));
      return baseModels.get(id)!;
    },
  };
}

/** Who sent an HTTP request (or SSE stream); a bad key is refused here with its code, before anything runs. */
export async function principalOfRequest(deps: AppDeps, authorization: unknown, req: IncomingMessage | undefined): Promise<Principal> {
  const result = await deps.access.authenticator.authenticate(authorization, req?.socket.remoteAddress ?? "unknown");
  if (result.ok) return result.principal;
  if (result.reason === "rate-limited") throw rateLimited(result.message, result.retryAfterSeconds ?? 60);
  throw unauthenticated(result.message);
}

/** yoga's CSRF prevention, its refusal given a code like every other protocol failure */
function useCsrfPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse!(payload);
      } catch (error) {
        Object.assign((error as { extensions: Record<string, unknown> }).extensions, { code: "CSRF_HEADER_REQUIRED" });
        (error as Error).message = `a request that is not application/json must carry the ${CSRF_HEADER} header`;
        throw error;
      }
    },
  };
}

function corsOptions(corsOrigins: string[]) {
  return (request: Request) => {
    const origin = request.headers.get("origin");
    if (!origin || !corsOrigins.includes(origin)) return false;
    return { origin: [origin], credentials: false, allowedHeaders: ["authorization", "content-type", CSRF_HEADER], methods: ["GET", "POST"], maxAge: 600 };
  };
}

export function createGraphQLServer(deps: AppDeps, observers: Plugin[] = []) {
  const { config, logger } = deps;
  return createYoga<{ req?: IncomingMessage; principal?: Principal }>({
    schema,
    context: async ({ request, req, principal }) =>
      createContext(deps, principal ?? (await principalOfRequest(deps, request.headers.get("authorization"), req))),
    graphiql: config.introspection ? { title: "LoRA Studio GraphQL", subscriptionsProtocol: "WS" } : false,
    renderGraphiQL,
    landingPage: false,
    cors: corsOptions(config.corsOrigins),
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(" ")),
      info: (...args) => logger.info(args.map(String).join(" ")),
      warn: (...args) => logger.warn(args.map(String).join(" ")),
      error: (...args) => logger.error(args.map(String).join(" ")),
    },
    // bodies are limited while they stream, per kind, by useStreamedRequestBodies
    maxRequestBodySize: false,
    plugins: [
      // The most files one request may carry: importDataset's MIDI files (uploadAdapter takes two).
      useStreamedRequestBodies({ uploadDir: uploadSpoolDir(config.dataDir), maxFileBytes: config.maxUploadBytes, maxFiles: MAX_MIDI_FILES, maxJsonBytes: MAX_JSON_BODY_BYTES }),
      useCsrfPrevention(),
      useNulCharacterGuard(),
      useActor(),
      ...limitPlugins({ introspection: config.introspection }),
      ...observers,
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;
