import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { AppDeps } from "../context.js";
import { SAMPLE_FILES, sampleFileKind, type SampleFileKind } from "./sample-files.js";

/*
 * Files of the generation domain over plain HTTP GET: a sample's WAV and MIDI for anyone who may read
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

function notFound(res: ServerResponse, error: string): void {
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
  const sample = await prisma.sample.findUnique({ where: { id: route.sampleId }, select: { storageKey: true, index: true, jobId: true } });
  if (!sample) return notFound(res, "no such sample");
  const { name, contentType } = SAMPLE_FILES[route.file];
  const download = `sample-${sample.jobId.slice(0, 8)}-${sample.index + 1}${name.slice(name.lastIndexOf("."))}`;
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
  const range = byteRange(req.headers.range, stats.size);
  if (range === "unsatisfiable") return void res.writeHead(416, { "content-range": `bytes */${stats.size}` }).end();
  const { start, end } = range ?? { start: 0, end: stats.size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    "accept-ranges": "bytes",
    "content-length": String(Math.max(0, end - start + 1)),
    ...(range ? { "content-range": `bytes ${start}-${end}/${stats.size}` } : {}),
  });
  if (stats.size === 0) return void res.end();
  await pipeline(createReadStream(path, { start, end }), res).catch(() => void res.destroy());
}

/** One "bytes=a-b", "bytes=a-" or "bytes=-n" range; null for none (or several, answered whole). */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [start, end] = match[1] === "" ? [Math.max(0, size - Number(match[2])), size - 1] : [Number(match[1]), match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1)];
  if (start < 0 || start > end || start >= size) return "unsatisfiable";
  return { start, end };
}
