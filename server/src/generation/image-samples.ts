import { loraHashesLine } from "../formats/a1111-prompt.js";
import { readPngText, withPngText } from "../formats/png-text.js";
import { promptWithLoras } from "./backends/a1111.js";
import type { BackendImage, ImageRequest } from "./backends/backend.js";
import type { ImageSampleInput } from "./service.js";

/*
 * What a job keeps of a backend's image: the PNG as returned, its `parameters` text (AUTOMATIC1111's infotext, which
 * Civitai and the web UIs read back) kept, with `Lora hashes` added when missing; for a backend that writes none
 * (ComfyUI keeps its graph instead) an infotext in A1111's form is written from the request.
 */

const PARAMETERS = "parameters";

export interface ImageProvenance {
  request: ImageRequest;
  /** the placed LoRAs as the prompt names them, with their files' sha256 */
  loras: readonly { name: string; sha256: string }[];
  backend: string;
  /** the backend's own time for the whole request */
  backendMs: number;
}

export function imageSample(image: BackendImage, provenance: ImageProvenance): ImageSampleInput {
  const hashes = loraHashesLine(provenance.loras);
  const written = readPngText(image.png, PARAMETERS);
  const parameters = written === null ? infotext(provenance.request, image, hashes) : withLoraHashes(written, hashes);
  return {
    png: parameters === written ? image.png : withPngText(image.png, PARAMETERS, parameters),
    seed: image.seed,
    width: image.width,
    height: image.height,
    parameters,
    info: { backend: provenance.backend, backendMs: provenance.backendMs, ...image.info },
  };
}

/** The infotext with its Lora hashes: kept as written when it has them, else added to its settings line. */
function withLoraHashes(text: string, hashes: string | null): string {
  if (hashes === null || text.includes("Lora hashes:")) return text;
  const lastLine = text.slice(text.lastIndexOf("\n") + 1);
  return /(^|, )Steps: /.test(lastLine) ? `${text}, ${hashes}` : `${text}\n${hashes}`;
}

/** A1111's create_infotext layout: the prompt with its LoRA tags, the negative prompt, then one line of settings. */
function infotext(request: ImageRequest, image: BackendImage, hashes: string | null): string {
  const settings = [
    `Steps: ${request.steps}`,
    `Sampler: ${request.sampler}`,
    `CFG scale: ${request.cfgScale}`,
    `Seed: ${image.seed}`,
    `Size: ${image.width}x${image.height}`,
    ...(hashes ? [hashes] : []),
  ];
  const negative = request.negativePrompt ? [`Negative prompt: ${request.negativePrompt}`] : [];
  return [promptWithLoras(request.prompt, request.loras), ...negative, settings.join(", ")].join("\n");
}
