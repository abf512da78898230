import { DeliveryFailure, DeliveryInterrupted } from "./outcome.js";

export interface PostOptions {
  timeoutMs: number;
  /** aborts when the API shuts down */
  signal: AbortSignal;
  headers: Record<string, string>;
  /** the most bytes of the answer read */
  maxBodyBytes: number;
  /** past maxBodyBytes: keep the start and mark it truncated, or fail the delivery */
  overflow: "truncate" | "fail";
}

export interface PostAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  truncated: boolean;
  durationMs: number;
}

const MAX_RETRY_AFTER_MS = 3600_000;

/** Status codes worth another attempt: the receiver is busy, restarting or rate-limiting. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const value = headers.get("retry-after")?.trim();
  if (!value) return null;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : null;
}

/**
 * POSTs JSON without following redirects (a redirect could lead off the allowed hosts), within a deadline that
 * covers reading the answer, which is read only up to a cap.
 */
export async function postJson(url: URL, payload: unknown, options: PostOptions): Promise<PostAnswer> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, deadline]);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, */*;q=0.5", ...options.headers },
      body: JSON.stringify(payload),
      redirect: "manual",
      signal,
    });
    const { body, truncated } = await readCapped(res, options);
    return { status: res.status, headers: res.headers, body, truncated, durationMs: Date.now() - started };
  } catch (error) {
    if (error instanceof DeliveryFailure) throw error;
    if (options.signal.aborted) throw new DeliveryInterrupted("the API is shutting down");
    if (deadline.aborted) throw new DeliveryFailure(`no complete answer from ${url.host} within ${options.timeoutMs / 1000} s`, true);
    throw networkFailure(error, url);
  }
}

async function readCapped(res: Response, options: PostOptions): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return { body: Buffer.alloc(0), truncated: false };
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body: Buffer.concat(chunks), truncated: false };
    size += value.byteLength;
    if (size > options.maxBodyBytes) {
      await reader.cancel().catch(() => undefined);
      if (options.overflow === "fail") {
        throw new DeliveryFailure(`the answer is larger than ${Math.round(options.maxBodyBytes / 1024 / 1024)} MiB`, false);
      }
      chunks.push(Buffer.from(value.subarray(0, value.byteLength - (size - options.maxBodyBytes))));
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(Buffer.from(value));
  }
}

/** fetch's "fetch failed" with the socket's reason; TLS and certificate problems will not mend by retrying. */
function networkFailure(error: unknown, url: URL): DeliveryFailure {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  const reason = code || (cause instanceof Error ? cause.message : String(cause));
  const permanent = /CERT|TLS|SSL/i.test(code);
  return new DeliveryFailure(`could not reach ${url.host}: ${reason}`, !permanent);
}
