import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppDeps } from "../context.js";
import { sendFile } from "../generation/http.js";
import { SAMPLE_FILES, type SampleFileKind } from "../generation/sample-files.js";
import type { DisplayedSide } from "./service.js";

/*
 * A trial's samples by their displayed side: /ab-trials/<trialId>/A.wav, B.mid, ... resolved here, so a judge's player
 * never sees a sample id (which /samples/<id> and the generation queries would tie to its job and adapter).
 */

export interface BlindSampleFile {
  trialId: string;
  side: DisplayedSide;
  file: SampleFileKind;
}

const ROUTE = /^\/ab-trials\/([\w-]{1,64})\/(A|B)\.(wav|mid)$/;
const EXTENSION: Record<SampleFileKind, string> = { audio: "wav", midi: "mid" };

export function blindSampleUrl(trialId: string, side: DisplayedSide, file: SampleFileKind): string {
  return `/ab-trials/${trialId}/${side}.${EXTENSION[file]}`;
}

export function blindSampleRoute(path: string): BlindSampleFile | null {
  const match = ROUTE.exec(path);
  if (!match) return null;
  const file = (Object.keys(EXTENSION) as SampleFileKind[]).find((kind) => EXTENSION[kind] === match[3])!;
  return { trialId: match[1]!, side: match[2] as DisplayedSide, file };
}

export async function serveBlindSample(deps: AppDeps, route: BlindSampleFile, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const sample = await deps.services.abTests.shownSample(route.trialId, route.side);
  if (!sample) return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "no such A/B trial" }));
  const { contentType } = SAMPLE_FILES[route.file];
  return sendFile(req, res, deps.services.generation.files.path(sample.storageKey, route.file), {
    "content-type": contentType,
    "content-disposition": `inline; filename="trial-${sample.trialIndex + 1}-${route.side}.${EXTENSION[route.file]}"`,
    "cache-control": "private, max-age=3600",
  });
}
