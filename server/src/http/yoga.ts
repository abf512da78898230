import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { createFetch } from "@whatwg-node/fetch";
import { createYoga } from "graphql-yoga";
import type { AppDeps, Context } from "../context.js";
import type { BaseModel } from "../generated/prisma/client.js";
import { MAX_MIDI_FILES } from "../datasets/import.js";
import { principalOf } from "../auth/auth.js";
import { schema } from "../schema/index.js";

/** room for the operations and map fields and the part headers around the files */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

/** The Authorization header on HTTP; the `authorization` connection parameter on WebSocket. */
function authorizationOf(initial: Record<string, unknown>): unknown {
  const request = initial.request as Request | undefined;
  const params = initial.connectionParams as Record<string, unknown> | undefined;
  return request?.headers.get("authorization") ?? params?.authorization ?? params?.Authorization;
}

export function createContext(deps: AppDeps, authorization?: unknown): Context {
  const baseModels = new Map<string, Promise<BaseModel | null>>();
  return {
    principal: principalOf(authorization, deps.config.sidecarToken),
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

export function createGraphQLServer(deps: AppDeps) {
  const { config, logger } = deps;
  return createYoga<Record<string, unknown>>({
    schema,
    context: (initial) => createContext(deps, authorizationOf(initial)),
    graphiql: { title: "LoRA Studio GraphQL", subscriptionsProtocol: "WS" },
    landingPage: false,
    cors: config.corsOrigins ? { origin: config.corsOrigins, credentials: true } : undefined,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(" ")),
      info: (...args) => logger.info(args.map(String).join(" ")),
      warn: (...args) => logger.warn(args.map(String).join(" ")),
      error: (...args) => logger.error(args.map(String).join(" ")),
    },
    maxRequestBodySize: config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES,
    // The most files one request may carry: importDataset's MIDI files (uploadAdapter takes two).
    fetchAPI: createFetch({
      formDataLimits: { fileSize: config.maxUploadBytes, files: MAX_MIDI_FILES, fieldSize: 1024 * 1024, fields: 10, headerSize: 16 * 1024 },
    }),
    plugins: [
      maxDepthPlugin({ n: 20, flattenFragments: true, ignoreIntrospection: false }),
      maxAliasesPlugin({ n: 30 }),
      costLimitPlugin({ maxCost: 20_000 }),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;
