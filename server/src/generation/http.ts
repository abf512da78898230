import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppDeps } from "../context.js";
import { notFound, sendFile } from "../http/send-file.js";
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

export async function serveGenerationFile(deps: AppDeps, route: GenerationFile, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const prisma = deps.db.prisma;
  if (route.kind === "adapter") {
    const adapter = await prisma.adapter.findUnique({ where: { id: route.adapterId }, select: { storageKey: true, files: true } });
    const stored = (adapter?.files as { name: string }[] | undefined)?.some((file) => file.name === route.fileName);
    if (!adapter || !stored) return notFound(res, "no such adapter file");
    return sendFile(req, res, { area: deps.storage.adapters, key: adapter.storageKey, name: route.fileName }, { "content-type": "application/octet-stream" });
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
  return sendFile(req, res, deps.services.generation.files.stored(sample.storageKey, route.file), {
    "content-type": contentType,
    "content-disposition": `inline; filename="${download}"`,
    "cache-control": "public, max-age=31536000, immutable",
  });
}
