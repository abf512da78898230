import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { Logger } from "pino";
import { CSRF_HEADER } from "../contracts/http.js";
import type { TypedDocumentString } from "./gql/graphql.js";

/*
 * The sidecar's only way to the API: its own GraphQL with the sidecar token. Queries and mutations go over fetch
 * (multipart, as the GraphQL multipart request spec says, when they carry files), the command subscription over
 * graphql-ws, which reconnects and resubscribes by itself when the socket drops.
 */

/**
 * unreachable: no answer, or one saying "try later" (HTTP 429, 502, 503, ...): worth retrying for as long as it takes.
 * unexpected: the API failed on it ("Unexpected error."): worth retrying a while, as a database that was briefly away.
 * refused: the API will refuse it again however often it is sent (a bad token, a run that is no longer running).
 */
export type ApiFailure = "unreachable" | "unexpected" | "refused";

export class ApiError extends Error {
  override name = "ApiError";

  constructor(message: string, readonly failure: ApiFailure, readonly code?: string) {
    super(message);
  }

  get transient(): boolean {
    return this.failure !== "refused";
  }
}

/** Codes the API gives a request it will refuse again, however often it is sent. */
const REFUSED_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "NOT_FOUND", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_REQUEST", "PAYLOAD_TOO_LARGE"]);
const REQUEST_TIMEOUT_MS = 60_000;
/** an adapter of a large model over a slow link */
const UPLOAD_TIMEOUT_MS = 30 * 60_000;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

export interface FileVariable {
  /** the variable that takes the list of files */
  name: string;
  files: File[];
}

export interface CommandSink<T> {
  next(data: T): void;
  /** the subscription ended with an error the API gave (not a dropped socket: those are retried) */
  error(error: ApiError): void;
  complete(): void;
}

export class ApiClient {
  private readonly ws: Client;
  private connections = 0;
  private reconnected: () => void = () => undefined;

  constructor(private readonly apiUrl: string, private readonly token: string, logger: Logger) {
    this.ws = createClient({
      url: `${apiUrl.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: this.authorization },
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
      on: {
        connected: () => {
          logger.info("command stream connected");
          if (this.connections++ > 0) this.reconnected();
        },
        closed: (event) => logger.debug({ code: (event as { code?: number }).code }, "command stream closed"),
      },
    });
  }

  /** Called each time graphql-ws has connected again after a drop (it resubscribes by itself). */
  whenReconnected(listener: () => void): void {
    this.reconnected = listener;
  }

  private get authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** One query or mutation; files go as a multipart request. Throws an ApiError. */
  async execute<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables, upload?: FileVariable): Promise<TResult> {
    const operations = { query: document.toString(), variables };
    const body = upload ? multipartBody(operations, upload) : JSON.stringify(operations);
    const headers: Record<string, string> = { authorization: this.authorization, [CSRF_HEADER]: "1", accept: "application/graphql-response+json, application/json" };
    if (!upload) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${this.apiUrl}/graphql`, { method: "POST", headers, body, signal: AbortSignal.timeout(upload ? UPLOAD_TIMEOUT_MS : REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new ApiError(`the API at ${this.apiUrl} did not answer: ${describe(error)}`, "unreachable");
    }
    const result = (await response.json().catch(() => null)) as GraphQLResponse<TResult> | null;
    const failure = result?.errors?.[0];
    if (failure) throw errorOf(failure.message, failure.extensions?.code, response.status);
    if (!response.ok || !result?.data) throw new ApiError(`the API answered HTTP ${response.status} without data`, statusFailure(response.status));
    return result.data;
  }

  /** A subscription that survives dropped sockets; the returned function ends it. */
  subscribe<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables, sink: CommandSink<TResult>): () => void {
    return this.ws.subscribe<TResult>(
      { query: document.toString(), variables: variables as Record<string, unknown> },
      {
        next: (result) => {
          const failure = result.errors?.[0];
          if (failure) sink.error(errorOf(failure.message, failure.extensions?.code));
          else if (result.data) sink.next(result.data);
        },
        error: (error) => sink.error(subscriptionError(error)),
        complete: () => sink.complete(),
      },
    );
  }

  /** Streams a file the API serves to the sidecar (a run's dataset) to `path`. */
  async download(path: string, to: string, signal: AbortSignal): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.apiUrl}${path}`, { headers: { authorization: this.authorization }, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError(`could not fetch ${path}: ${describe(error)}`, "unreachable");
    }
    if (!response.ok || !response.body) throw new ApiError(`could not fetch ${path}: HTTP ${response.status}`, statusFailure(response.status));
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(to), { signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError(`the download of ${path} broke off: ${describe(error)}`, "unreachable");
    }
  }

  async close(): Promise<void> {
    await this.ws.dispose();
  }
}

/** https://github.com/jaydenseric/graphql-multipart-request-spec: operations, then map, then one part per file. */
function multipartBody(operations: { query: string; variables: unknown }, upload: FileVariable): FormData {
  const variables = { ...(operations.variables as Record<string, unknown>), [upload.name]: upload.files.map(() => null) };
  const form = new FormData();
  form.set("operations", JSON.stringify({ ...operations, variables }));
  form.set("map", JSON.stringify(Object.fromEntries(upload.files.map((_, index) => [String(index), [`variables.${upload.name}.${index}`]]))));
  upload.files.forEach((file, index) => form.set(String(index), file, file.name));
  return form;
}

const UNAVAILABLE_STATUS = new Set([408, 425, 429, 502, 503, 504]);

function statusFailure(status: number): ApiFailure {
  if (UNAVAILABLE_STATUS.has(status)) return "unreachable";
  return status >= 500 ? "unexpected" : "refused";
}

function errorOf(message: string, code: unknown, status = 200): ApiError {
  const known = typeof code === "string" ? code : undefined;
  if (known !== undefined && REFUSED_CODES.has(known)) return new ApiError(message, "refused", known);
  return new ApiError(message, status === 200 ? "unexpected" : statusFailure(status), known);
}

/** graphql-ws gives the GraphQL errors of the subscribe step as an array, a fatal close as a CloseEvent. */
function subscriptionError(error: unknown): ApiError {
  if (Array.isArray(error)) {
    const first = error[0] as { message?: string; extensions?: { code?: unknown } } | undefined;
    return errorOf(first?.message ?? "the subscription was refused", first?.extensions?.code);
  }
  if (error && typeof error === "object" && "code" in error && "reason" in error) {
    return new ApiError(`the command stream closed (${String(error.code)} ${String(error.reason)})`, "unreachable");
  }
  return new ApiError(`the command stream failed: ${describe(error)}`, "unreachable");
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}

/** Exponential from 200 ms up to 10 s, with jitter so that many sidecars do not retry in step. */
export function backoffMs(attempt: number): number {
  const ceiling = Math.min(10_000, 200 * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
