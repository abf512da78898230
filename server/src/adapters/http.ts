import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { create as contentDisposition } from "content-disposition";
import { Zip, ZipPassThrough } from "fflate";
import type { AppDeps } from "../context.js";
import { sendFile } from "../http/send-file.js";
import type { FileArea } from "../storage/storage.js";
import { storedFilesOf } from "./stored-files.js";

/*
 * An adapter as a download (/adapters/<id>/download): a single-file LoRA under the name it was added with, a PEFT
 * pair as a zip holding adapter_config.json and the weights, as PEFT loads them from a directory. The HTTP server
 * checks the read scope (or the URL the API signed for the caller).
 */

const ROUTE = /^\/adapters\/([\w-]{1,64})\/download$/;

export const adapterDownloadPath = (adapterId: string) => `/adapters/${adapterId}/download`;

export function adapterDownloadRoute(path: string): { adapterId: string } | null {
  const match = ROUTE.exec(path);
  return match ? { adapterId: match[1]! } : null;
}

/** The zip name of a PEFT pair: the adapter's name and version, as a directory of it would be called. */
export function pairArchiveName(adapter: { name: string; version: string }): string {
  return `${adapter.name}-${adapter.version}.zip`;
}

export async function serveAdapterDownload(deps: AppDeps, route: { adapterId: string }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const adapter = await deps.db.prisma.adapter.findUnique({ where: { id: route.adapterId } });
  if (!adapter) return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "no such adapter" }));
  const files = storedFilesOf(adapter);
  if (files.length === 1) {
    return sendFile(req, res, { area: deps.storage.adapters, key: adapter.storageKey, name: files[0]!.name }, {
      "content-type": "application/octet-stream",
      "content-disposition": contentDisposition(adapter.originalFilename),
    });
  }
  res.writeHead(200, { "content-type": "application/zip", "content-disposition": contentDisposition(pairArchiveName(adapter)) });
  if (req.method === "HEAD") return void res.end();
  const names = files.map((file) => file.name);
  await pipeline(Readable.from(zipStream(deps.storage.adapters, adapter.storageKey, names)), res).catch(() => void res.destroy());
}

/** A zip of the key's files, stored uncompressed (weights do not compress), read and written a chunk at a time. */
async function* zipStream(area: FileArea, key: string, names: string[]): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    ready.push(chunk);
  });
  for (const name of names) {
    const file = new ZipPassThrough(name);
    zip.add(file);
    for await (const chunk of area.read(key, name)) {
      file.push(chunk as Buffer);
      yield* ready.splice(0);
    }
    file.push(new Uint8Array(0), true);
    yield* ready.splice(0);
  }
  zip.end();
  yield* ready.splice(0);
}
