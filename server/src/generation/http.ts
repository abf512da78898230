import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { AppDeps } from "../context.js";
import { VISIBLE_JOB } from "../ab-tests/visibility.js";
import { parseLoraTags } from "../formats/a1111-prompt.js";
import { SAMPLE_FILES, sampleDownloadName, sampleFileKind, type SampleFileKind } from "./sample-files.js";
import { paramsOf } from "./service.js";

/*
 * Files of the generation domain over plain HTTP GET: a sample's WAV and MIDI, or its PNG, for anyone who may read
 * (/samples/<id>/sample.wav, with byte ranges so players can seek), and an adapter's stored files for sidecars only
 * (/sidecar/adapters/<id>/<file>), from which they load the adapters of a job. The HTTP server checks the scope.
 */

export type GenerationFile = { kind: "sample"; sampleId: string; file: SampleFileKind } | { kind: "adapter"; adapterId: string; fileName: string };

const ROUTE = /^\/(?:samples\/([\w-]{1,64})\/([\w.-]{1,64})|sidecar\/adapters\/([\w-]{1,64})\/([\w.-]{1,128}))$/;

export function generationFileRoute(path: string): GenerationFile | null {
  const match = ROUTE.exec(path);
  if (!match) return null;
  if (match[3]) return { kind: "adapter", adapterId: match[3], fileName: match[4]! };
  const file = sampleFileKind(match[2]!);
  return file ? { kind: "sample", sampleId: match[1]!, file } : null;
}

export function notFound(res: ServerResponse, error: string): void {
  res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error }));
}

export async function serveGenerationFile(deps: AppDeps, route: GenerationFile, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const prisma = deps.db.prisma;
  if (route.kind === "adapter") {
    const adapter = await prisma.adapter.findUnique({ where: { id: route.adapterId }, select: { storageKey: true, files: true } });
    const stored = (adapter?.files as { name: string }[] | undefined)?.some((file) => file.name === route.fileName);
    if (!adapter || !stored) return notFound(res, "no such adapter file");
    return sendFile(req, res, deps.storage.pathOf(adapter.storageKey, route.fileName), { "content-type": "application/octet-stream" });
  }
  const sample = await prisma.sample.findFirst({
    where: { id: route.sampleId, job: VISIBLE_JOB },
    select: {
      storageKey: true,
      index: true,
      seed: true,
      job: { select: { prompt: true, params: true, adapters: { orderBy: { position: "asc" }, select: { weight: true, adapter: { select: { name: true } } } } } },
    },
  });
  if (!sample) return notFound(res, "no such sample");
  const { contentType } = SAMPLE_FILES[route.file];
  const { job } = sample;
  const download = sampleDownloadName(
    {
      words: parseLoraTags(job.prompt).text,
      seed: sample.seed ?? paramsOf(job).seed + sample.index,
      adapters: job.adapters.map((entry) => ({ name: entry.adapter.name, weight: entry.weight })),
    },
    route.file,
  );
  return sendFile(req, res, deps.services.generation.files.path(sample.storageKey, route.file), {
    "content-type": contentType,
    "content-disposition": `inline; filename="${download}"`,
    "cache-control": "public, max-age=31536000, immutable",
  });
}

/** The whole file, or the one byte range asked for (206), as audio players ask when they seek. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string>): Promise<void> {
  const stats = await stat(path).catch(() => null);
  if (!stats?.isFile()) return notFound(res, "the file is missing");
  const range = writeRangeHead(req, res, stats.size, headers);
  if (!range) return void res.end();
  await pipeline(createReadStream(path, { start: range.start, end: range.end }), res).catch(() => void res.destroy());
}

/** Bytes made for the request (a blind trial's padded audio), answered as sendFile answers a file. */
export function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array, headers: Record<string, string>): void {
  const range = writeRangeHead(req, res, bytes.length, headers);
  res.end(range ? bytes.subarray(range.start, range.end + 1) : undefined);
}

/** Writes the head of a 200, 206 or 416 answer for `size` bytes; the range of bytes to send next, null for none. */
function writeRangeHead(req: IncomingMessage, res: ServerResponse, size: number, headers: Record<string, string>): { start: number; end: number } | null {
  const range = byteRange(req.headers.range, size);
  if (range === "unsatisfiable") {
    res.writeHead(416, { "content-range": `bytes */${size}` });
    return null;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    "accept-ranges": "bytes",
    "content-length": String(Math.max(0, end - start + 1)),
    ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
  });
  return size === 0 ? null : { start, end };
}

/** One "bytes=a-b", "bytes=a-" or "bytes=-n" range; null for none (or several, answered whole). */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [start, end] = match[1] === "" ? [Math.max(0, size - Number(match[2])), size - 1] : [Number(match[1]), match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1)];
  if (start < 0 || start > end || start >= size) return "unsatisfiable";
  return { start, end };
}
