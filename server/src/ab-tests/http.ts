import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppDeps } from "../context.js";
import { withoutPngText } from "../formats/png-text.js";
import { padWav } from "../formats/wav.js";
import { notFound, sendBytes, sendFile } from "../http/send-file.js";
import { SAMPLE_FILES, type SampleFileKind } from "../generation/sample-files.js";
import type { DisplayedSide } from "./service.js";

/*
 * A trial's samples by their displayed side: /ab-trials/<trialId>/A.wav, B.mid, A.png ... resolved here, so a judge's
 * player never sees a sample id (which /samples/<id> and the generation queries would tie to its job and adapter).
 */

export interface BlindSampleFile {
  trialId: string;
  side: DisplayedSide;
  file: SampleFileKind;
}

const ROUTE = /^\/ab-trials\/([\w-]{1,64})\/(A|B)\.(wav|mid|png)$/;
const EXTENSION: Record<SampleFileKind, string> = { audio: "wav", midi: "mid", image: "png" };

export function blindSampleUrl(trialId: string, side: DisplayedSide, file: SampleFileKind): string {
  return `/ab-trials/${trialId}/${side}.${EXTENSION[file]}`;
}

export function blindSampleRoute(path: string): BlindSampleFile | null {
  const match = ROUTE.exec(path);
  if (!match) return null;
  const file = (Object.keys(EXTENSION) as SampleFileKind[]).find((kind) => EXTENSION[kind] === match[3])!;
  return { trialId: match[1]!, side: match[2] as DisplayedSide, file };
}

/**
 * A displayed side's file. Audio is padded with silence to the longer side's length, so both answers of a trial carry
 * the same bytes count and the same headers; every side takes this same path, whichever is longer. An image is served
 * without its text chunks, whose infotext would name its LoRA.
 */
export async function serveBlindSample(deps: AppDeps, route: BlindSampleFile, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const side = await deps.services.abTests.blindSide(route.trialId, route.side);
  if (!side) return notFound(res, "no such A/B trial");
  const { contentType } = SAMPLE_FILES[route.file];
  const headers = {
    "content-type": contentType,
    "content-disposition": `inline; filename="trial-${side.trialIndex + 1}-${route.side}.${EXTENSION[route.file]}"`,
    "cache-control": "private, max-age=3600",
  };
  const files = deps.services.generation.files;
  if (route.file === "midi") return sendFile(req, res, files.stored(side.shown.storageKey, "midi"), headers);
  if (route.file === "image") {
    const png = await files.readAll(side.shown.storageKey, "image").catch(() => null);
    return png ? sendBytes(req, res, withoutPngText(png), headers) : notFound(res, "the file is missing");
  }
  const [shown, otherSize] = await Promise.all([files.readAll(side.shown.storageKey, "audio").catch(() => null), files.sizeOf(side.other.storageKey, "audio")]);
  if (!shown || otherSize === null) return notFound(res, "the file is missing");
  sendBytes(req, res, padWav(shown, Math.max(shown.length, otherSize)), headers);
}
