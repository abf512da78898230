import { createHash } from "node:crypto";
import { SECRET_ENV } from "../config/config.js";
import { checkTarget, type AllowedHost, type DeliveryCommand } from "../config/deliveries.js";
import type { Delivery } from "../generated/prisma/client.js";
import { runCommand } from "./command.js";
import { isTransientStatus, postJson, retryAfterMs, type PostAnswer } from "./http-post.js";
import { SDNEXT_DEFAULTS, storedParams, type StoredParams } from "./inputs.js";
import { DeliveryFailure, type DeliveryResult, type StoredImage } from "./outcome.js";
import { a1111Endpoint, readTxt2imgAnswer, txt2imgBody, type Txt2imgImage } from "../generation/backends/a1111.js";
import { BackendError, type ImageRequest } from "../generation/backends/backend.js";
import type { FileArea } from "../storage/storage.js";

/** What is kept of a webhook's answer, a failed txt2img answer and each of a command's streams. */
export const MAX_KEPT_BYTES = 64 * 1024;
const MAX_TXT2IMG_ANSWER_BYTES = 256 * 1024 * 1024;
const USER_AGENT = "lora-studio-delivery";

export interface ExecutorDeps {
  allowedHosts: AllowedHost[];
  commands: DeliveryCommand[];
  /** the deliveries area, a delivery's id its key: the images SD.Next returned, and a command's working directory */
  files: FileArea;
}

export function imageFileName(index: number): string {
  return `${index}.png`;
}

/** One attempt of a delivery; throws DeliveryFailure (or DeliveryInterrupted when `signal` aborts). */
export async function executeDelivery(delivery: Delivery, deps: ExecutorDeps, signal: AbortSignal): Promise<DeliveryResult> {
  const params = storedParams.parse(delivery.params);
  switch (delivery.mode) {
    case "HTTP":
      return postWebhook(delivery, params, deps, signal);
    case "SDNEXT":
      return txt2img(delivery, params, deps, signal);
    case "CLI":
      return runTemplate(delivery, params, deps, signal);
  }
}

/** The JSON a webhook receives, and the {params} a command template gets. */
export function webhookPayload(delivery: Pick<Delivery, "id" | "prompt">, params: StoredParams) {
  const { negativePrompt, loraTokens, loras, loraHashes, timeoutSeconds: _timeout, ...generation } = params;
  return {
    deliveryId: delivery.id,
    prompt: delivery.prompt,
    negativePrompt,
    params: Object.fromEntries(Object.entries(generation).filter(([, value]) => value !== null)),
    loraTokens,
    adapters: loras,
    loraHashes,
  };
}

function allowedUrl(delivery: Delivery, deps: ExecutorDeps): URL {
  const check = checkTarget(delivery.target, deps.allowedHosts);
  if (!check.ok) throw new DeliveryFailure(`${check.message} (the configuration changed after the delivery was created)`, false);
  return check.url;
}

const requestHeaders = (delivery: Delivery) => ({ "user-agent": USER_AGENT, "idempotency-key": delivery.id });

function answerFailure(url: URL, answer: PostAnswer): DeliveryFailure {
  const redirect = answer.status >= 300 && answer.status < 400 ? ` (redirects are not followed; Location: ${answer.headers.get("location") ?? "none"})` : "";
  return new DeliveryFailure(`${url.host} answered HTTP ${answer.status}${redirect}`, isTransientStatus(answer.status), keptAnswer(answer), retryAfterMs(answer.headers));
}

function keptAnswer(answer: PostAnswer): DeliveryResult {
  const body = answer.body.subarray(0, MAX_KEPT_BYTES);
  return { durationMs: answer.durationMs, httpStatus: answer.status, body: body.toString("utf8"), bodyTruncated: answer.truncated || body.length < answer.body.length };
}

async function postWebhook(delivery: Delivery, params: StoredParams, deps: ExecutorDeps, signal: AbortSignal): Promise<DeliveryResult> {
  const url = allowedUrl(delivery, deps);
  const answer = await postJson(url, webhookPayload(delivery, params), {
    timeoutMs: params.timeoutSeconds * 1000, signal, headers: requestHeaders(delivery), maxBodyBytes: MAX_KEPT_BYTES, overflow: "truncate",
  });
  if (answer.status < 200 || answer.status > 299) throw answerFailure(url, answer);
  return keptAnswer(answer);
}

/** The delivery as one txt2img request, SD.Next's defaults where it left a setting out; its prompt keeps its <lora:…> tags. */
export function sdnextRequest(prompt: string, params: StoredParams): ImageRequest {
  return {
    prompt,
    negativePrompt: params.negativePrompt ?? "",
    loras: [],
    seed: params.seed ?? SDNEXT_DEFAULTS.seed,
    count: 1,
    steps: params.steps ?? SDNEXT_DEFAULTS.steps,
    sampler: params.sampler ?? SDNEXT_DEFAULTS.sampler,
    cfgScale: params.cfgScale ?? SDNEXT_DEFAULTS.cfgScale,
    width: params.width ?? SDNEXT_DEFAULTS.width,
    height: params.height ?? SDNEXT_DEFAULTS.height,
  };
}

async function txt2img(delivery: Delivery, params: StoredParams, deps: ExecutorDeps, signal: AbortSignal): Promise<DeliveryResult> {
  const url = a1111Endpoint(allowedUrl(delivery, deps), "txt2img");
  const answer = await postJson(url, txt2imgBody(sdnextRequest(delivery.prompt, params)), {
    timeoutMs: params.timeoutSeconds * 1000, signal, headers: requestHeaders(delivery), maxBodyBytes: MAX_TXT2IMG_ANSWER_BYTES, overflow: "fail",
  });
  if (answer.status < 200 || answer.status > 299) throw answerFailure(url, answer);
  const { images, info } = readAnswer(answer);
  const stored = await storeImages(deps.files, delivery.id, images);
  return { durationMs: answer.durationMs, httpStatus: answer.status, images: stored, info: info.slice(0, MAX_KEPT_BYTES) };
}

/** The images, each a whole PNG, and the info of an answer; an answer A1111 would not give fails the delivery, kept. */
function readAnswer(answer: PostAnswer): ReturnType<typeof readTxt2imgAnswer> {
  try {
    return readTxt2imgAnswer(answer.body);
  } catch (error) {
    if (error instanceof BackendError) throw new DeliveryFailure(error.message, false, keptAnswer(answer));
    throw error;
  }
}

async function storeImages(files: FileArea, deliveryId: string, images: Txt2imgImage[]): Promise<StoredImage[]> {
  await files.remove(deliveryId);
  for (const [index, image] of images.entries()) await files.put(deliveryId, imageFileName(index), image.png);
  return images.map(({ png, width, height }, index) => ({ index, width, height, sizeBytes: png.length, sha256: createHash("sha256").update(png).digest("hex") }));
}

async function runTemplate(delivery: Delivery, params: StoredParams, deps: ExecutorDeps, signal: AbortSignal): Promise<DeliveryResult> {
  const command = deps.commands.find((c) => c.name === delivery.target);
  if (!command) throw new DeliveryFailure(`command template '${delivery.target}' is no longer configured in DELIVERY_COMMANDS`, false);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SECRET_ENV.includes(name)));
  const values = {
    prompt: delivery.prompt,
    negative_prompt: params.negativePrompt ?? "",
    params: JSON.stringify(webhookPayload(delivery, params)),
    delivery_id: delivery.id,
  };
  return deps.files.withLocalDir(delivery.id, "write", (dir) => runCommand({ command, values, cwd: dir.path, env, maxOutputBytes: MAX_KEPT_BYTES, signal }));
}
