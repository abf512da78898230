import { BackendError } from "./backend.js";

/*
 * The HTTP both backend clients speak: one request with a deadline, its answer read up to a cap, and every failure to
 * get a whole answer turned into a transient BackendError that names the request and the socket's reason.
 */

const MiB = 1024 * 1024;

export interface BackendRequest {
  method: "GET" | "POST";
  url: URL;
  json?: unknown;
  maxBytes: number;
  /** left out where the caller keeps its own deadline in `signal` */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface BackendAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** `METHOD /path`, as the clients' messages name a request. */
export const requestLabel = (method: string, url: URL) => `${method} ${url.pathname}`;

/** Sends one request; an aborted `signal` rejects with its reason, anything else that stops the answer with a BackendError. */
export async function sendToBackend(request: BackendRequest): Promise<BackendAnswer> {
  const { method, url, json, maxBytes, timeoutMs, signal } = request;
  const what = requestLabel(method, url);
  const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signals = [signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  try {
    const response = await fetch(url, {
      method,
      headers: json === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.any(signals),
    });
    return { status: response.status, headers: response.headers, body: await readCapped(response, maxBytes, what) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof BackendError) throw error;
    if (deadline?.aborted) throw new BackendError(`${what}: no complete answer from ${url.host} within ${timeoutMs! / 1000} s`, true);
    throw new BackendError(`${what} at ${url.host} failed: ${networkReason(error)}`, true);
  }
}

/** The body, refused past `maxBytes` (announced or read) without reading the rest. */
async function readCapped(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const tooLarge = () => new BackendError(`${what}: the answer is larger than ${maxBytes / MiB} MiB`, false);
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
}

/** A connection refused, reset or closed mid-answer: undici's "fetch failed" and "terminated" carry the socket's reason. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  return code === "" || message.includes(code) ? message : `${message} (${code})`;
}
