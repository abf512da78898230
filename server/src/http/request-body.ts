import { createWriteStream, openAsBlob } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Busboy, type BusboyFileStream } from "@fastify/busboy";
import { GraphQLError } from "graphql";
import type { GraphQLParams, Plugin } from "graphql-yoga";

/*
 * Request bodies read as they arrive, never whole into memory. A GraphQL multipart request (the spec's `operations`,
 * `map` and file parts) streams each file to disk under the upload directory as it arrives, with MAX_UPLOAD_MB
 * enforced on the bytes received (a chunked body without Content-Length included); the resolvers get Files backed by
 * those disk files, removed once the response is sent. Every other body is held to 1 MB, also while it streams.
 */

export interface BodyLimits {
  /** where uploads are spooled (one folder per request) */
  uploadDir: string;
  maxFileBytes: number;
  maxFiles: number;
  /** a JSON body, or a multipart request's `operations` and `map` fields */
  maxJsonBytes: number;
}

/**
 * How long a request's spool folder may go unwritten before a starting process takes it for one a stopped process left:
 * with DATA_DIR shared, another replica may be receiving the newer ones.
 */
export const ABANDONED_SPOOL_MS = 60 * 60 * 1000;

/** Removes the spool folders under `uploadDir` in which nothing was written for `abandonedAfterMs`. */
export async function removeAbandonedSpools(uploadDir: string, abandonedAfterMs = ABANDONED_SPOOL_MS): Promise<void> {
  const cutoff = Date.now() - abandonedAfterMs;
  const spools = await readdir(uploadDir).catch(() => []);
  await Promise.all(
    spools.map(async (name) => {
      const spool = join(uploadDir, name);
      if ((await lastWrite(spool)) < cutoff) await rm(spool, { recursive: true, force: true });
    }),
  );
}

/** The newest modification time of a folder and the files in it (0 once it is gone). */
async function lastWrite(spool: string): Promise<number> {
  const files = await readdir(spool).catch(() => []);
  const times = await Promise.all([spool, ...files.map((file) => join(spool, file))].map((path) => stat(path).then((stats) => stats.mtimeMs, () => 0)));
  return times.reduce((newest, time) => Math.max(newest, time), 0);
}

const tooLarge = (message: string) =>
  new GraphQLError(message, { extensions: { code: "REQUEST_ENTITY_TOO_LARGE", http: { status: 413, headers: { connection: "close" } } } });
const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });

export function useStreamedRequestBodies(limits: BodyLimits): Plugin<{ req?: IncomingMessage }> {
  const spools = new WeakMap<Request, string>();
  return {
    onRequestParse({ request, requestParser, serverContext, setRequestParser }) {
      if (request.method !== "POST" || !requestParser) return;
      const contentType = request.headers.get("content-type") ?? "";
      if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
        setRequestParser((req) => requestParser(withBodyLimit(req, limits.maxJsonBytes)));
        return;
      }
      setRequestParser(async () => {
        await mkdir(limits.uploadDir, { recursive: true });
        const spool = await mkdtemp(join(limits.uploadDir, "request-"));
        spools.set(request, spool);
        const body = (serverContext as { req?: IncomingMessage }).req ?? Readable.fromWeb(request.body! as never);
        return parseMultipart(body, contentType, spool, limits).catch(async (error: unknown) => {
          await rm(spool, { recursive: true, force: true });
          throw error;
        });
      });
    },
    onResponse({ request }) {
      const spool = spools.get(request);
      if (spool) void rm(spool, { recursive: true, force: true });
    },
  };
}

/** A body that errors (413) past `limit` bytes, counted as they stream. */
function withBodyLimit(request: Request, limit: number): Request {
  if (!request.body) return request;
  let bytes = 0;
  const limited = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) controller.error(tooLarge(`request body too large: at most ${limit} bytes`));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: limited, duplex: "half" } as RequestInit);
}

function parseMultipart(body: Readable, contentType: string, spool: string, limits: BodyLimits): Promise<GraphQLParams> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    const files = new Map<string, Promise<File>>();
    const streams = new Set<BusboyFileStream>();
    let failed = false;
    // stop reading at the first refusal: the rest of the body is never received (the response closes the connection)
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      body.unpipe();
      for (const stream of streams) stream.destroy();
      reject(error);
    };
    const busboy = Busboy({
      headers: { "content-type": contentType },
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 10, fieldSize: limits.maxJsonBytes, parts: limits.maxFiles + 10, headerPairs: 20 },
    });
    busboy.on("field", (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) fail(tooLarge(`the multipart field "${name}" is over ${limits.maxJsonBytes} bytes`));
      else fields.set(name, value);
    });
    busboy.on("file", (name, stream, fileName, _encoding, mimeType) => {
      streams.add(stream);
      const written = spoolFile(stream, join(spool, String(files.size)), fileName, mimeType, limits.maxFileBytes);
      written.catch(fail);
      files.set(name, written);
    });
    busboy.on("filesLimit", () => fail(tooLarge(`at most ${limits.maxFiles} files may be sent in one request`)));
    busboy.on("fieldsLimit", () => fail(badRequest("too many multipart fields: only operations, map and files are expected")));
    busboy.on("partsLimit", () => fail(badRequest("too many multipart parts")));
    busboy.on("error", (error) => fail(badRequest(`POST body sent invalid multipart data: ${(error as Error).message}`)));
    busboy.on("finish", () => {
      Promise.all([...files].map(async ([name, file]) => [name, await file] as const))
        .then((received) => resolve(assemble(fields, new Map(received))))
        .catch(fail);
    });
    body.on("error", fail);
    body.pipe(busboy);
  });
}

/** Writes one file part to disk as it arrives; refused the moment it passes the limit. */
function spoolFile(stream: BusboyFileStream, path: string, name: string, type: string, maxBytes: number): Promise<File> {
  return new Promise((resolve, reject) => {
    stream.once("limit", () => reject(tooLarge(`File size limit exceeded: ${name} is over ${maxBytes} bytes (MAX_UPLOAD_MB)`)));
    pipeline(stream, createWriteStream(path))
      .then(() => openAsBlob(path))
      .then((blob) => resolve(new File([blob], name, { type })), reject);
  });
}

/** The GraphQL multipart request spec: `operations` with each file put where `map` says. */
function assemble(fields: Map<string, string>, files: Map<string, File>): GraphQLParams {
  const operations = parseField(fields, "operations");
  if (!operations || typeof operations !== "object") throw badRequest('Missing multipart form field "operations"');
  const map = parseField(fields, "map") ?? {};
  for (const [part, paths] of Object.entries(map as Record<string, unknown>)) {
    const file = files.get(part);
    if (!file || !Array.isArray(paths)) throw badRequest(`the multipart map names a file part "${part}" that was not sent`);
    for (const path of paths) setPath(operations as Record<string, unknown>, String(path), file);
  }
  return operations as GraphQLParams;
}

function parseField(fields: Map<string, string>, name: string): unknown {
  const text = fields.get(name);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`Multipart form field "${name}" must be a valid JSON string`);
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  if (keys.some((key) => key === "__proto__" || key === "constructor" || key === "prototype")) return;
  let current = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof current[key] !== "object" || current[key] === null) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys.at(-1)!] = value;
}
