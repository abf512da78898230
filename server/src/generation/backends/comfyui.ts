import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import WebSocket from "ws";
import { z } from "zod";
import { InvalidPngError, inspectPng } from "../../formats/png.js";
import {
  BackendError,
  type BackendHealth,
  type BackendImage,
  type BackendTimeouts,
  type GenerateOptions,
  type GenerationProgress,
  type ImageBackendClient,
  type ImageRequest,
  type ImageResult,
} from "./backend.js";
import { sendToBackend, type BackendAnswer } from "./http.js";
import { applyRequest, chainLoras, checkWorkflow, loraFileName, WorkflowError, workflowAnchors, type Workflow } from "./comfyui-workflow.js";

/*
 * A ComfyUI server driven through its HTTP API and its WebSocket (server.py, script_examples/websockets_api_example.py):
 * POST /prompt queues a workflow, /ws?clientId= reports its progress and end, /history/<prompt id> names the images
 * SaveImage wrote and /view serves them.
 */

export interface ComfyUiClientOptions {
  url: string;
  /** an API-format workflow: as read from the configured JSON file, or defaultWorkflow(family) */
  workflow: unknown;
  /** the checkpoint the workflow loads, when a request names none */
  checkpoint?: string;
  timeouts: BackendTimeouts;
}

/** interrupting a prompt after the job failed: best effort, and quick */
const CANCEL_TIMEOUT_MS = 3000;
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;
const MAX_MESSAGE_CHARS = 2000;
/** execution_success is sent before the worker writes the history entry (main.py prompt_worker), so it may lag */
const HISTORY_POLL_MS = 100;
const HISTORY_POLLS = 50;

const systemStatsSchema = z.object({ system: z.looseObject({ comfyui_version: z.string().optional() }) });

/** A combo input's choices: [[choice, ...], {...}] for classic nodes, ["COMBO", {options: [...]}] for v3 ones. */
const comboChoicesSchema = z.union([
  z.tuple([z.array(z.string())], z.unknown()).transform(([choices]) => choices),
  z.tuple([z.literal("COMBO"), z.object({ options: z.array(z.string()) })], z.unknown()).transform(([, { options }]) => options),
]);

const loraLoaderInfoSchema = z.object({
  LoraLoader: z.object({ input: z.object({ required: z.object({ lora_name: comboChoicesSchema }) }) }).optional(),
});

const promptAcceptedSchema = z.object({ prompt_id: z.string(), number: z.number(), node_errors: z.record(z.string(), z.unknown()) });

const validationErrorSchema = z.object({ type: z.string(), message: z.string(), details: z.string() });

/** The 400 of POST /prompt: execution.validate_prompt's error and its node_errors. */
const promptRefusedSchema = z.object({
  error: z.union([validationErrorSchema, z.string()]),
  node_errors: z.record(z.string(), z.object({ class_type: z.string(), errors: z.array(validationErrorSchema) })),
});

const savedImageSchema = z.object({ filename: z.string(), subfolder: z.string(), type: z.string() });
const saveOutputSchema = z.object({ images: z.array(savedImageSchema) });

const historyEntrySchema = z.object({
  outputs: z.record(z.string(), z.unknown()),
  status: z.object({ messages: z.array(z.tuple([z.string(), z.looseObject({ timestamp: z.number().optional() })])) }).nullish(),
});

const historySchema = z.record(z.string(), historyEntrySchema);

type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** The socket messages a job follows, each as the event it means. */
const messageSchemas = {
  progress: z
    .object({ value: z.number(), max: z.number().positive(), prompt_id: z.string(), node: z.string().nullish() })
    .transform((d) => ({ kind: "progress" as const, promptId: d.prompt_id, node: d.node ?? null, value: d.value, max: d.max })),
  executing: z
    .object({ node: z.string().nullable(), prompt_id: z.string().optional() })
    .transform((d) => (d.node === null && d.prompt_id ? { kind: "finished" as const, promptId: d.prompt_id } : null)),
  execution_success: z.object({ prompt_id: z.string() }).transform((d) => ({ kind: "finished" as const, promptId: d.prompt_id })),
  execution_error: z
    .object({ prompt_id: z.string(), node_id: z.string(), node_type: z.string(), exception_type: z.string(), exception_message: z.string() })
    .transform((d) => ({ kind: "failed" as const, promptId: d.prompt_id, ...d })),
  execution_interrupted: z
    .object({ prompt_id: z.string(), node_id: z.string(), node_type: z.string() })
    .transform((d) => ({ kind: "interrupted" as const, promptId: d.prompt_id, ...d })),
};

type FollowedType = keyof typeof messageSchemas;
type JobEvent = NonNullable<z.output<(typeof messageSchemas)[FollowedType]>>;

const envelopeSchema = z.object({ type: z.string(), data: z.unknown() });

/** Throws WorkflowError when the configured workflow is one the studio cannot fill in: a configuration error. */
export function createComfyUiClient(options: ComfyUiClientOptions): ImageBackendClient {
  return new ComfyUiClient(new ComfyHttp(options.url, options.timeouts.requestMs), checkWorkflow(options.workflow), options);
}

class ComfyUiClient implements ImageBackendClient {
  readonly kind = "comfyui";

  constructor(
    private readonly http: ComfyHttp,
    private readonly workflow: Workflow,
    private readonly options: ComfyUiClientOptions,
  ) {}

  async health(signal?: AbortSignal): Promise<BackendHealth> {
    try {
      const stats = await this.http.json("system_stats", systemStatsSchema, { signal, timeoutMs: this.options.timeouts.healthMs });
      return { ok: true, version: stats.system.comfyui_version ?? null };
    } catch (error) {
      if (error instanceof BackendError) return { ok: false, reason: error.message };
      throw error;
    }
  }

  /**
   * ComfyUI caches each model folder's listing but lists it afresh once the folder's modification time changed
   * (folder_paths.cached_filename_list_), so a file placed since the last look shows up without a restart. Only a
   * filesystem with coarse timestamps, where the placement falls in the same tick as the last listing, hides it.
   */
  async prepareLoras(names: readonly string[], signal: AbortSignal): Promise<void> {
    if (names.length === 0) return;
    const info = await this.http.json("object_info/LoraLoader", loraLoaderInfoSchema, { signal });
    if (!info.LoraLoader) throw new BackendError("ComfyUI has no LoraLoader node", false);
    const listed = new Set(info.LoraLoader.input.required.lora_name);
    const missing = names.map(loraFileName).filter((file) => !listed.has(file));
    if (missing.length > 0) {
      throw new BackendError(
        `ComfyUI does not list ${missing.join(", ")} among its ${listed.size} LoRA files: is the backend's loraDir a folder ComfyUI reads LoRAs from (models/loras, or one in extra_model_paths.yaml)?`,
        false,
      );
    }
  }

  /**
   * Queues one prompt per image, each a batch of one with seed + i: ComfyUI draws a whole batch's noise from one
   * generator (comfy/sample.py prepare_noise), so image i of a batch could not be made again from any one seed.
   */
  async generate(request: ImageRequest, { signal, onProgress }: GenerateOptions): Promise<ImageResult> {
    const workflows = this.workflowsFor(request);
    const job = AbortSignal.any([signal, AbortSignal.timeout(this.options.timeouts.generateMs)]);
    const clientId = randomUUID();
    try {
      const events = await JobEvents.open(this.http.socketUrl(clientId), job, this.options.timeouts.requestMs);
      try {
        const images: BackendImage[] = [];
        let backendMs = 0;
        for (const [index, workflow] of workflows.entries()) {
          const report = (progress: GenerationProgress) => onProgress({ ...progress, fraction: (index + progress.fraction) / workflows.length });
          const run = await this.run(workflow, clientId, events, job, report);
          const entry = await this.history(run.promptId, job);
          backendMs += executionMs(entry) ?? run.elapsedMs;
          images.push(...(await this.download(entry, run.promptId, workflow, request.seed + index, job)));
        }
        return { images, backendMs };
      } finally {
        events.close();
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (job.aborted) throw new BackendError(`ComfyUI did not finish within ${this.options.timeouts.generateMs / 1000} s`, true);
      throw error;
    }
  }

  private workflowsFor(request: ImageRequest): Workflow[] {
    try {
      const chained = chainLoras(this.workflow, request.loras);
      const checkpoint = request.checkpoint ?? this.options.checkpoint;
      return Array.from({ length: request.count }, (_, index) => applyRequest(chained, { ...request, checkpoint, seed: request.seed + index, count: 1 }));
    } catch (error) {
      if (error instanceof WorkflowError) throw new BackendError(error.message, false);
      throw error;
    }
  }

  /** Queues one workflow and follows it to its end; interrupts it when the job is given up. */
  private async run(workflow: Workflow, clientId: string, events: JobEvents, job: AbortSignal, onProgress: (progress: GenerationProgress) => void) {
    const started = Date.now();
    let promptId: string = randomUUID();
    try {
      promptId = await this.queue(workflow, promptId, clientId, job);
      await follow(events, promptId, workflowAnchors(workflow).sampler, job, onProgress);
    } catch (error) {
      if (job.aborted || events.closed) await this.cancel(promptId);
      throw error;
    }
    return { promptId, elapsedMs: Date.now() - started };
  }

  /** POST /prompt with our own prompt_id, so the prompt can be interrupted even when its answer never came. */
  private async queue(workflow: Workflow, promptId: string, clientId: string, signal: AbortSignal): Promise<string> {
    const answer = await this.http.send("prompt", { method: "POST", json: { prompt: workflow, client_id: clientId, prompt_id: promptId }, signal, maxBytes: MAX_JSON_BYTES });
    if (answer.status === 400) throw new BackendError(describeRefusal(parseJson(answer.body, promptRefusedSchema, "POST /prompt")), false);
    failUnlessOk(answer.status, "POST /prompt");
    return parseJson(answer.body, promptAcceptedSchema, "POST /prompt").prompt_id;
  }

  /** Takes the prompt off the queue when it waits there, and interrupts it when it runs (POST /queue, POST /interrupt). */
  private async cancel(promptId: string): Promise<void> {
    const signal = AbortSignal.timeout(CANCEL_TIMEOUT_MS);
    // The job already failed for a reason of its own, which is what its readers need; ComfyUI may be gone.
    await this.http.send("queue", { method: "POST", json: { delete: [promptId] }, signal, maxBytes: MAX_JSON_BYTES }).catch(() => undefined);
    await this.http.send("interrupt", { method: "POST", json: { prompt_id: promptId }, signal, maxBytes: MAX_JSON_BYTES }).catch(() => undefined);
  }

  /** Each image the workflow's SaveImage nodes wrote, as GET /view serves it. */
  private async download(entry: HistoryEntry, promptId: string, workflow: Workflow, seed: number, signal: AbortSignal): Promise<BackendImage[]> {
    const saved = workflowAnchors(workflow).saves.flatMap((nodeId) => {
      const output = entry.outputs[nodeId];
      if (output === undefined) return [];
      const parsed = saveOutputSchema.safeParse(output);
      if (!parsed.success) throw new BackendError(`ComfyUI's history names SaveImage ${nodeId}'s images in a shape this client does not read`, false);
      return parsed.data.images.map((image) => ({ nodeId, ...image }));
    });
    if (saved.length === 0) throw new BackendError(`ComfyUI finished prompt ${promptId} but its history has no SaveImage images`, false);
    const images: BackendImage[] = [];
    for (const image of saved) {
      const query = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder, type: image.type });
      const answer = await this.http.send(`view?${query}`, { signal, maxBytes: MAX_IMAGE_BYTES });
      failUnlessOk(answer.status, `GET /view for ${image.filename}`);
      images.push({ png: answer.body, seed, ...pngSize(answer.body, image.filename), info: { promptId, nodeId: image.nodeId, filename: image.filename } });
    }
    return images;
  }

  private async history(promptId: string, signal: AbortSignal): Promise<HistoryEntry> {
    for (let poll = 0; poll < HISTORY_POLLS; poll++) {
      const history = await this.http.json(`history/${encodeURIComponent(promptId)}`, historySchema, { signal });
      const entry = history[promptId];
      if (entry) return entry;
      await sleep(HISTORY_POLL_MS, undefined, { signal });
    }
    throw new BackendError(`ComfyUI finished prompt ${promptId} but has no history of it`, true);
  }
}

/** Follows the socket until the prompt ends: resolves when it succeeded, throws BackendError when it did not. */
async function follow(events: JobEvents, promptId: string, samplerId: string, signal: AbortSignal, onProgress: (progress: GenerationProgress) => void): Promise<void> {
  for (;;) {
    const event = await events.next(signal);
    if (event.promptId !== promptId) continue;
    switch (event.kind) {
      case "progress":
        // Other nodes report progress too (a tiled VAE decode, an upscaler); the steps are the sampler's.
        if (event.node === null || event.node === samplerId) onProgress({ fraction: Math.min(1, event.value / event.max), step: event.value, steps: event.max });
        break;
      case "finished":
        return;
      case "failed":
        throw new BackendError(
          clip(`ComfyUI failed at node ${event.node_id} (${event.node_type}): ${event.exception_type}: ${event.exception_message}`),
          /OutOfMemory/i.test(event.exception_type),
        );
      case "interrupted":
        throw new BackendError(`ComfyUI interrupted prompt ${promptId} at node ${event.node_id} (${event.node_type}); was it cancelled in ComfyUI?`, false);
    }
  }
}

/** The socket's job messages, queued as they come, so none is lost between POST /prompt and following its id. */
class JobEvents {
  private readonly queued: JobEvent[] = [];
  private wake: (() => void) | null = null;
  private failure: BackendError | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data, isBinary) => {
      if (!isBinary) this.receive(data.toString());
    });
    socket.on("close", (code) => this.end(new BackendError(`the connection to ComfyUI closed (code ${code}) before the job finished`, true)));
    socket.on("error", (error) => this.end(new BackendError(`the connection to ComfyUI failed: ${error.message}`, true)));
  }

  static open(url: URL, signal: AbortSignal, timeoutMs: number): Promise<JobEvents> {
    return new Promise((resolve, reject) => {
      signal.throwIfAborted();
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
      const fail = (error: Error) => {
        signal.removeEventListener("abort", abort);
        socket.terminate();
        reject(signal.aborted ? signal.reason : new BackendError(`could not open ComfyUI's WebSocket at ${url.host}: ${error.message}`, true));
      };
      const abort = () => fail(new Error("aborted"));
      signal.addEventListener("abort", abort, { once: true });
      socket.on("error", fail);
      socket.once("open", () => {
        signal.removeEventListener("abort", abort);
        socket.off("error", fail);
        resolve(new JobEvents(socket));
      });
    });
  }

  get closed(): boolean {
    return this.failure !== null;
  }

  async next(signal: AbortSignal): Promise<JobEvent> {
    for (;;) {
      signal.throwIfAborted();
      const event = this.queued.shift();
      if (event) return event;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.wake = null;
          resolve();
        };
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.on("error", () => undefined);
    this.socket.terminate();
  }

  private receive(text: string): void {
    const envelope = envelopeSchema.safeParse(safeJson(text));
    if (!envelope.success || !Object.hasOwn(messageSchemas, envelope.data.type)) return;
    const type = envelope.data.type as FollowedType;
    const parsed = messageSchemas[type].safeParse(envelope.data.data);
    if (!parsed.success) {
      this.end(new BackendError(`ComfyUI sent a '${type}' message this client does not understand: ${z.prettifyError(parsed.error)}`, false));
      this.socket.terminate();
      return;
    }
    if (parsed.data) this.queued.push(parsed.data);
    this.wake?.();
  }

  private end(failure: BackendError): void {
    this.failure ??= failure;
    this.wake?.();
  }
}

interface SendOptions {
  method?: "GET" | "POST";
  json?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes: number;
}

/** Requests to one ComfyUI base URL. */
class ComfyHttp {
  private readonly base: URL;

  constructor(url: string, private readonly requestMs: number) {
    this.base = new URL(url.endsWith("/") ? url : `${url}/`);
  }

  socketUrl(clientId: string): URL {
    const url = new URL(`ws?clientId=${encodeURIComponent(clientId)}`, this.base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url;
  }

  async json<T extends z.ZodType>(path: string, schema: T, options: Omit<SendOptions, "maxBytes">): Promise<z.output<T>> {
    const answer = await this.send(path, { ...options, maxBytes: MAX_JSON_BYTES });
    failUnlessOk(answer.status, `GET /${path}`);
    return parseJson(answer.body, schema, `GET /${path}`);
  }

  send(path: string, { method = "GET", json, signal, timeoutMs = this.requestMs, maxBytes }: SendOptions): Promise<BackendAnswer> {
    return sendToBackend({ method, url: new URL(path, this.base), json, signal, timeoutMs, maxBytes });
  }
}

function failUnlessOk(status: number, what: string): void {
  if (status >= 200 && status < 300) return;
  throw new BackendError(`ComfyUI answered HTTP ${status} to ${what}`, status >= 500 || status === 429);
}

function parseJson<T extends z.ZodType>(body: Buffer, schema: T, what: string): z.output<T> {
  const parsed = schema.safeParse(safeJson(body.toString("utf8")));
  if (!parsed.success) throw new BackendError(clip(`ComfyUI's answer to ${what} is not what this client reads: ${z.prettifyError(parsed.error)}`), false);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** validate_prompt's refusal, node by node: its top-level details are empty when a node upstream of an output failed. */
function describeRefusal(refusal: z.output<typeof promptRefusedSchema>): string {
  const error = typeof refusal.error === "string" ? { message: refusal.error, details: "" } : refusal.error;
  const nodes = Object.entries(refusal.node_errors).map(
    ([id, node]) => `node ${id} (${node.class_type}): ${node.errors.map((e) => (e.details ? `${e.message}: ${e.details}` : e.message)).join("; ")}`,
  );
  const reasons = nodes.length > 0 ? nodes.join("; ") : error.details;
  return clip(`ComfyUI refused the workflow: ${error.message}${reasons ? ` — ${reasons}` : ""}`);
}

/** The time ComfyUI's history gives from execution_start to execution_success, when it stamps them. */
function executionMs(entry: HistoryEntry): number | null {
  const stamp = (event: string) => entry.status?.messages.find(([name]) => name === event)?.[1].timestamp;
  const start = stamp("execution_start");
  const end = stamp("execution_success");
  return start !== undefined && end !== undefined ? end - start : null;
}

function pngSize(png: Buffer, filename: string): { width: number; height: number } {
  try {
    return inspectPng(png);
  } catch (error) {
    if (error instanceof InvalidPngError) throw new BackendError(`ComfyUI's ${filename} is not a valid PNG: ${error.message}`, false);
    throw error;
  }
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}
