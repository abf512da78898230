import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { InvalidPngError, inspectPng } from "../../formats/png.js";
import { loraToken } from "../../formats/a1111-prompt.js";
import {
  BackendError,
  type BackendHealth,
  type BackendImage,
  type BackendLora,
  type BackendTimeouts,
  type GenerateOptions,
  type GenerationProgress,
  type ImageBackendClient,
  type ImageRequest,
  type ImageResult,
} from "./backend.js";
import { requestLabel, sendToBackend, type BackendAnswer } from "./http.js";

/*
 * AUTOMATIC1111 / SD.Next over their shared /sdapi/v1 API. The shapes read here are those of A1111's
 * modules/api/models.py and api.py (test/contract-servers/a1111.ts cites the commits and answers the same way).
 */

export interface A1111ClientOptions {
  /** the backend's base URL (`http://host:7860`, with a path prefix behind a proxy, or a full /sdapi/v1/… URL) */
  url: string;
  /** the checkpoint jobs load unless their request names one; health() reports it missing */
  checkpoint?: string;
  timeouts: BackendTimeouts;
}

const MiB = 1024 * 1024;
const MAX_TXT2IMG_ANSWER_BYTES = 256 * MiB;
/** Every LoRA's safetensors metadata comes with the list, training tag frequencies included. */
const MAX_LORA_LIST_BYTES = 32 * MiB;
const MAX_ANSWER_BYTES = MiB;
const MAX_IMAGES = 64;
const PROGRESS_POLL_MS = 300;
/** A cancelled job waits this long at most for the backend to confirm the interrupt. */
const MAX_INTERRUPT_WAIT_MS = 5_000;
const SHOWN_ERROR_CHARS = 300;

/** The URL of `/sdapi/v1/<endpoint>` under a base URL; a base that already ends in an /sdapi/v1 path is cut there. */
export function a1111Endpoint(base: string | URL, endpoint: string): URL {
  const url = new URL(base);
  const apiAt = url.pathname.indexOf("/sdapi/v1");
  const prefix = (apiAt === -1 ? url.pathname : url.pathname.slice(0, apiAt)).replace(/\/+$/, "");
  url.pathname = `${prefix}/sdapi/v1/${endpoint}`;
  url.hash = "";
  return url;
}

/** The prompt with a `<lora:name:weight>` tag per LoRA appended, as A1111 reads them. */
export function promptWithLoras(prompt: string, loras: readonly BackendLora[]): string {
  return [prompt, ...loras.map((lora) => loraToken(lora.name, lora.weight))].filter((part) => part !== "").join(" ");
}

/** The StableDiffusionTxt2ImgProcessingAPI body for a request: snake_case, every image in one batch. */
export function txt2imgBody(request: ImageRequest) {
  return {
    prompt: promptWithLoras(request.prompt, request.loras),
    negative_prompt: request.negativePrompt,
    seed: request.seed,
    batch_size: request.count,
    n_iter: 1,
    steps: request.steps,
    sampler_name: request.sampler,
    cfg_scale: request.cfgScale,
    width: request.width,
    height: request.height,
    send_images: true,
    save_images: false,
    ...(request.checkpoint === undefined
      ? {}
      : {
          override_settings: { sd_model_checkpoint: request.checkpoint },
          // Restoring would load the previous checkpoint after every job and this one again before the next.
          override_settings_restore_afterwards: false,
        }),
  };
}

const txt2imgAnswer = z.object({ images: z.array(z.string()).max(MAX_IMAGES), info: z.string() });
/** The parts of processing.py's Processed.js() the studio keeps; a grid, when returned, comes first. */
const txt2imgInfo = z.object({
  all_seeds: z.array(z.number().int()),
  infotexts: z.array(z.string()),
  index_of_first_image: z.number().int().min(0).default(0),
});
const loraList = z.array(z.object({ name: z.string(), alias: z.string().nullish() }));
const sdModelList = z.array(z.object({ title: z.string(), model_name: z.string(), hash: z.string().nullish(), sha256: z.string().nullish() }));

/** Why A1111 would not load `checkpoint`: it silently loads another one instead, so the client looks first. */
function missingCheckpoint(models: z.infer<typeof sdModelList>, checkpoint: string): string | null {
  const known = models.some((model) => [model.title, model.title.replace(/ \[\w+\]$/, ""), model.model_name, model.hash, model.sha256].includes(checkpoint));
  if (known) return null;
  const titles = models.slice(0, 5).map((model) => model.title).join(", ");
  return `checkpoint '${checkpoint}' is not among the backend's ${models.length} checkpoints (${titles}${models.length > 5 ? ", …" : ""}); name one by its title, name or hash`;
}

const progressAnswer = z.object({
  progress: z.number(),
  state: z.object({ job_count: z.number().optional(), sampling_step: z.number().int().optional(), sampling_steps: z.number().int().optional() }),
});
/** FastAPI's 422 ({detail: [{loc, msg}]}) or the API middleware's {error, detail, errors}. */
const errorAnswer = z.object({
  detail: z.union([z.string(), z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string() }))]).optional(),
  errors: z.string().optional(),
});

export interface Txt2imgImage {
  png: Buffer;
  width: number;
  height: number;
  seed: number;
  /** A1111's infotext for this image, as its PNG's `parameters` text carries it */
  infotext: string;
}

/**
 * The generated images of a txt2img answer, each checked to be a whole PNG, and the answer's info (Processed.js()) as
 * sent; throws a non-transient BackendError.
 */
export function readTxt2imgAnswer(body: Buffer): { images: Txt2imgImage[]; info: string } {
  const answer = parseJson(body.toString("utf8"), txt2imgAnswer, "the txt2img answer");
  const info = parseJson(answer.info, txt2imgInfo, "the txt2img answer's info");
  const generated = answer.images.slice(info.index_of_first_image, info.index_of_first_image + info.all_seeds.length);
  const images = generated.map((base64, index) => {
    // a data: URL prefix is accepted, as the SD.Next delivery always has
    const png = Buffer.from(base64.replace(/^data:image\/png;base64,/, ""), "base64");
    return { png, ...checkedPng(png, index), seed: info.all_seeds[index]!, infotext: info.infotexts[info.index_of_first_image + index] ?? "" };
  });
  return { images, info: answer.info };
}

function checkedPng(png: Buffer, index: number) {
  try {
    return inspectPng(png);
  } catch (error) {
    if (!(error instanceof InvalidPngError)) throw error;
    throw new BackendError(`image ${index} of the txt2img answer is ${error.message}; set the backend's samples_format option to png`, false);
  }
}

function parseJson<T>(text: string, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackendError(`${what} is not JSON: ${JSON.stringify(text.slice(0, 80))}`, false);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new BackendError(`${what} is not what the A1111 API answers: ${issue.path.join(".") || "the whole answer"}: ${issue.message}`, false);
}

interface Call {
  method: "GET" | "POST";
  endpoint: string;
  query?: Record<string, string>;
  json?: unknown;
  maxBytes: number;
  /** left out where the caller keeps its own deadline in `signal` */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What went wrong when the backend refused: FastAPI's validation detail, the exception's text, or the body's start. */
function refusalReason(body: Buffer): string {
  const text = body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.slice(0, SHOWN_ERROR_CHARS);
  }
  const parsed = errorAnswer.safeParse(json);
  if (!parsed.success) return text.slice(0, SHOWN_ERROR_CHARS);
  const { detail, errors } = parsed.data;
  const detailText = Array.isArray(detail) ? detail.map((item) => `${item.loc.join(".")}: ${item.msg}`).join("; ") : detail;
  return (detailText || errors || text).slice(0, SHOWN_ERROR_CHARS);
}

const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** Creates a client; it holds no connection or state of its own between calls. */
export function createA1111Client(options: A1111ClientOptions): ImageBackendClient {
  const { timeouts } = options;

  async function send({ endpoint, query = {}, ...call }: Call): Promise<BackendAnswer> {
    const url = a1111Endpoint(options.url, endpoint);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const answer = await sendToBackend({ url, ...call });
    if (answer.status < 200 || answer.status > 299) {
      throw new BackendError(`${requestLabel(call.method, url)} answered HTTP ${answer.status}: ${refusalReason(answer.body)}`, isTransientStatus(answer.status));
    }
    return answer;
  }

  async function getJson<T>(call: Omit<Call, "method">, schema: z.ZodType<T>): Promise<T> {
    const { body } = await send({ method: "GET", ...call });
    return parseJson(body.toString("utf8"), schema, `the answer to GET ${call.endpoint}`);
  }

  async function listCheckpoints(timeoutMs: number, signal?: AbortSignal) {
    return getJson({ endpoint: "sd-models", maxBytes: MAX_ANSWER_BYTES, timeoutMs, signal }, sdModelList);
  }

  /**
   * Interrupts whatever the backend is running: A1111 runs one job at a time and names none, so when another
   * client's job runs ahead of ours, that one stops instead.
   */
  async function interrupt(): Promise<void> {
    const timeoutMs = Math.min(timeouts.requestMs, MAX_INTERRUPT_WAIT_MS);
    await send({ method: "POST", endpoint: "interrupt", json: {}, maxBytes: MAX_ANSWER_BYTES, timeoutMs }).catch(() => undefined);
  }

  async function readProgress(signal: AbortSignal): Promise<GenerationProgress> {
    const query = { skip_current_image: "true" };
    const answer = await getJson({ endpoint: "progress", query, maxBytes: MAX_ANSWER_BYTES, timeoutMs: timeouts.requestMs, signal }, progressAnswer);
    // job_count 0: no job runs yet, and the steps are those of the last one
    const running = answer.state.job_count !== 0;
    return {
      fraction: Math.min(Math.max(answer.progress, 0), 1),
      step: running ? (answer.state.sampling_step ?? null) : null,
      steps: running ? (answer.state.sampling_steps ?? null) : null,
    };
  }

  /** Best effort: a failed poll is skipped, and a listener that throws ends the reports, never the generation. */
  async function reportProgress(onProgress: GenerateOptions["onProgress"], stop: AbortSignal): Promise<void> {
    let last = "";
    while (!stop.aborted) {
      await sleep(PROGRESS_POLL_MS, undefined, { signal: stop });
      const progress = await readProgress(stop).catch(() => null);
      const key = JSON.stringify(progress);
      if (progress === null || stop.aborted || key === last) continue;
      last = key;
      onProgress(progress);
    }
  }

  /** POSTs txt2img; when `signal` aborts or the deadline passes, interrupts the backend, then rejects. */
  async function runTxt2img(body: object, signal: AbortSignal): Promise<BackendAnswer> {
    const deadline = AbortSignal.timeout(timeouts.generateMs);
    const cancelled = AbortSignal.any([signal, deadline]);
    const cancelReason = () =>
      signal.aborted ? signal.reason : new BackendError(`txt2img: no complete answer within ${timeouts.generateMs / 1000} s; the backend was told to stop`, true);
    const request = new AbortController();
    const cancel = () => void interrupt().finally(() => request.abort(cancelReason()));
    cancelled.addEventListener("abort", cancel, { once: true });
    try {
      const answer = await send({ method: "POST", endpoint: "txt2img", json: body, maxBytes: MAX_TXT2IMG_ANSWER_BYTES, signal: request.signal });
      if (cancelled.aborted) throw cancelReason();
      return answer;
    } finally {
      cancelled.removeEventListener("abort", cancel);
    }
  }

  return {
    kind: "a1111",

    async health(signal?: AbortSignal): Promise<BackendHealth> {
      try {
        const models = await listCheckpoints(timeouts.healthMs, signal);
        const problem = options.checkpoint === undefined ? null : missingCheckpoint(models, options.checkpoint);
        return problem === null ? { ok: true, version: null } : { ok: false, reason: problem };
      } catch (error) {
        if (error instanceof BackendError) return { ok: false, reason: error.message };
        throw error;
      }
    },

    async prepareLoras(names: readonly string[], signal: AbortSignal): Promise<void> {
      if (names.length === 0) return;
      await send({ method: "POST", endpoint: "refresh-loras", json: {}, maxBytes: MAX_ANSWER_BYTES, timeoutMs: timeouts.requestMs, signal });
      const listed = await getJson({ endpoint: "loras", maxBytes: MAX_LORA_LIST_BYTES, timeoutMs: timeouts.requestMs, signal }, loraList);
      const known = new Set(listed.flatMap((lora) => [lora.name, lora.alias ?? lora.name]));
      const missing = names.filter((name) => !known.has(name));
      if (missing.length > 0) {
        throw new BackendError(
          `the backend does not list ${missing.map((name) => `'${name}'`).join(", ")} after refreshing its LoRAs (it lists ${listed.length}); ` +
            "check that the backend's loraDir is the folder A1111 reads LoRAs from (--lora-dir)",
          false,
        );
      }
    },

    async generate(request: ImageRequest, { signal, onProgress }: GenerateOptions): Promise<ImageResult> {
      signal.throwIfAborted();
      const checkpoint = request.checkpoint ?? options.checkpoint;
      if (checkpoint !== undefined) {
        const problem = missingCheckpoint(await listCheckpoints(timeouts.requestMs, signal), checkpoint);
        if (problem !== null) throw new BackendError(problem, false);
      }

      const started = performance.now();
      const stopProgress = new AbortController();
      const progress = reportProgress(onProgress, stopProgress.signal).catch(() => undefined);
      try {
        const answer = await runTxt2img(txt2imgBody({ ...request, checkpoint }), signal);
        const { images } = readTxt2imgAnswer(answer.body);
        if (images.length !== request.count) throw new BackendError(`txt2img returned ${images.length} images for the ${request.count} asked for`, false);
        const processSeconds = Number(answer.headers.get("x-process-time"));
        return {
          images: images.map(({ infotext, ...image }): BackendImage => ({ ...image, info: { infotext } })),
          backendMs: Number.isFinite(processSeconds) && processSeconds > 0 ? Math.round(processSeconds * 1000) : Math.round(performance.now() - started),
        };
      } finally {
        stopProgress.abort();
        await progress;
      }
    },
  };
}
