import { Client, fetchExchange, subscriptionExchange } from "@urql/vue";
import { CloseCode, createClient as createWebSocketClient } from "graphql-ws";
import { createCacheExchange } from "./cache";
import { fetchWithApiKey } from "./credentials";

export const GRAPHQL_PATH = "/graphql";

/** The WebSocket address of the API on the page's own origin: wss:// under https, ws:// otherwise. */
export function graphqlWebSocketUrl(location: Pick<Location, "protocol" | "host">): string {
  const protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${location.host}${GRAPHQL_PATH}`;
}

/**
 * Whether the API closed the socket over its key: 4401 (no key, or an unknown one) or 4403 (a revoked or expired one,
 * or an operation beyond its scopes, which only asking again over HTTP tells apart).
 */
export function isKeyChallenge(event: unknown): boolean {
  const code = (event as { code?: unknown } | null)?.code;
  return code === CloseCode.Unauthorized || code === CloseCode.Forbidden;
}

export interface ConnectionHandlers {
  /** the API refused the key over HTTP (401), with its reason */
  onKeyRefused(reason: string): void;
  /** the API closed the socket over the key: whether it is still good is for HTTP to say */
  onKeyChallenged(): void;
}

/** The API as one API key (or none) sees it: urql over HTTP and graphql-ws, and a fetch for multipart posts. */
export interface ApiConnection {
  apiKey: string | null;
  client: Client;
  fetch: typeof fetch;
  /** closes the WebSocket: a connection is dropped when the key changes */
  dispose(): void;
}

/** Queries and mutations over HTTP, subscriptions over graphql-ws, both on the page's origin, both presenting `apiKey`. */
export function createApiConnection(apiKey: string | null, handlers: ConnectionHandlers, location: Location = window.location): ApiConnection {
  const authorizedFetch = fetchWithApiKey(apiKey, handlers.onKeyRefused);
  const webSocket = createWebSocketClient({
    url: graphqlWebSocketUrl(location),
    lazy: true,
    retryAttempts: Infinity,
    connectionParams: () => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    on: { closed: (event) => isKeyChallenge(event) && handlers.onKeyChallenged() },
  });
  const client = new Client({
    url: GRAPHQL_PATH,
    fetch: authorizedFetch,
    exchanges: [
      createCacheExchange(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: webSocket.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    ],
  });
  return { apiKey, client, fetch: authorizedFetch, dispose: () => void webSocket.dispose() };
}
