import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "@urql/vue";
import { createClient as createWebSocketClient } from "graphql-ws";

export const GRAPHQL_PATH = "/graphql";

/** The WebSocket address of the API on the page's own origin: wss:// under https, ws:// otherwise. */
export function graphqlWebSocketUrl(location: Pick<Location, "protocol" | "host">): string {
  const protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${location.host}${GRAPHQL_PATH}`;
}

/** Queries and mutations over HTTP, subscriptions over graphql-ws, both on the same origin. */
export function createApiClient(location: Location = window.location): Client {
  const webSocket = createWebSocketClient({ url: graphqlWebSocketUrl(location), lazy: true, retryAttempts: Infinity });
  return new Client({
    url: GRAPHQL_PATH,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: webSocket.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    ],
  });
}
