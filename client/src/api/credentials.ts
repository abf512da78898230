/*
 * What the dashboard presents to the API: the API key it signed in with (kept in this browser until sign-out) as a
 * bearer token, and the header every GraphQL request that is not a JSON POST needs (urql's GET queries, multipart
 * uploads).
 */

export const API_KEY_STORAGE_KEY = "lora-studio.api-key";

/** The header a page can send only after a CORS preflight (CSRF_HEADER in server/src/contracts/http.ts). */
export const CSRF_HEADER = "x-graphql-yoga-csrf";

interface RefusalBody {
  errors?: { message?: unknown }[];
}

/** The server's reason for refusing a key (HTTP 401), read from a copy of its GraphQL answer. */
export async function refusalReason(response: Response): Promise<string> {
  const body = (await response.clone().json().catch(() => null)) as RefusalBody | null;
  const message = body?.errors?.[0]?.message;
  return typeof message === "string" && message ? message : "the server asks for an API key";
}

/**
 * A fetch that presents `apiKey` (when there is one) and the CSRF header on every request, and tells `onRefused` why
 * the server refused the key (HTTP 401: no key where one is needed, or an unknown, revoked or expired one).
 */
export function fetchWithApiKey(apiKey: string | null, onRefused: (reason: string) => void, fetchImpl: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(CSRF_HEADER, "1");
    if (apiKey) headers.set("authorization", `Bearer ${apiKey}`);
    const response = await fetchImpl(input, { ...init, headers });
    if (response.status === 401) onRefused(await refusalReason(response));
    return response;
  };
}
