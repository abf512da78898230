import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { ByteRange, StoredFile } from "../storage/storage.js";

/* Stored files and bytes over HTTP GET and HEAD: whole (200) or the one byte range asked for (206), as players ask when they seek. */

export function notFound(res: ServerResponse, error: string): void {
  res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error }));
}

/** The stored file, streamed from storage a chunk at a time; a client that goes away ends the read. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: StoredFile, headers: Record<string, string>): Promise<void> {
  const stats = await file.area.stat(file.key, file.name);
  if (!stats) return notFound(res, "the file is missing");
  const range = writeRangeHead(req, res, stats.sizeBytes, headers);
  if (!range) return void res.end();
  await pipeline(file.area.read(file.key, file.name, range), res).catch(() => void res.destroy());
}

/** Bytes made for the request (a blind trial's padded audio), answered as sendFile answers a file. */
export function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array, headers: Record<string, string>): void {
  const range = writeRangeHead(req, res, bytes.length, headers);
  res.end(range ? bytes.subarray(range.start, range.end + 1) : undefined);
}

/** Writes the head of a 200, 206 or 416 answer for `size` bytes; the range of bytes to send next, null for none. */
function writeRangeHead(req: IncomingMessage, res: ServerResponse, size: number, headers: Record<string, string>): ByteRange | null {
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
function byteRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [start, end] = match[1] === "" ? [Math.max(0, size - Number(match[2])), size - 1] : [Number(match[1]), match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1)];
  if (start < 0 || start > end || start >= size) return "unsatisfiable";
  return { start, end };
}
