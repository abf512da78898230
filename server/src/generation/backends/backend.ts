/*
 * An image generator the studio drives over HTTP (GENERATION_BACKENDS): AUTOMATIC1111 / SD.Next (`a1111`) or
 * ComfyUI (`comfyui`). The studio places each chosen adapter's file in the backend's LoRA folder as
 * `lora_<adapter id>.safetensors` before a job and removes it after; a client only names them.
 */

export type BackendKind = "a1111" | "comfyui";

/** One LoRA applied to a generation: the file's name in the backend's LoRA folder without its extension. */
export interface BackendLora {
  /** `lora_<adapter id>` */
  name: string;
  /** 0–2, applied to the UNet and the text encoder alike */
  weight: number;
}

export interface ImageRequest {
  /** the user's prompt with its own `<lora:…>` tags already removed; the client adds what its backend needs */
  prompt: string;
  negativePrompt: string;
  loras: readonly BackendLora[];
  /** the first image's seed; image i has seed + i */
  seed: number;
  /** images, 1–8 */
  count: number;
  steps: number;
  sampler: string;
  cfgScale: number;
  width: number;
  height: number;
  /** the checkpoint to load, when the backend's configuration names one */
  checkpoint?: string;
}

export interface BackendImage {
  /** the PNG exactly as the backend returned it */
  png: Buffer;
  seed: number;
  width: number;
  height: number;
  /** what the backend said about this image (A1111's infotext, ComfyUI's node and prompt ids) */
  info: Record<string, unknown>;
}

export interface ImageResult {
  images: BackendImage[];
  /** the backend's own time for the whole request, as near as the client can tell */
  backendMs: number;
}

export interface GenerationProgress {
  /** 0–1 */
  fraction: number;
  step: number | null;
  steps: number | null;
}

export interface GenerateOptions {
  signal: AbortSignal;
  onProgress(progress: GenerationProgress): void;
}

/** How long a client waits for its backend. */
export interface BackendTimeouts {
  /** the one request health() makes */
  healthMs: number;
  /** each other request (refreshing and listing LoRAs, progress, interrupt, history), and opening a socket */
  requestMs: number;
  /** one whole generate(), to the last byte of its images */
  generateMs: number;
}

export const DEFAULT_BACKEND_TIMEOUTS: BackendTimeouts = { healthMs: 3_000, requestMs: 30_000, generateMs: 600_000 };

export type BackendHealth = { ok: true; version: string | null } | { ok: false; reason: string };

/** Thrown when the backend refuses or fails a request; `message` is for the job's readers (no secrets, no stack). */
export class BackendError extends Error {
  constructor(
    message: string,
    /** a network problem or a 5xx worth trying again, rather than a refusal of the request itself */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = "BackendError";
  }
}

export interface ImageBackendClient {
  readonly kind: BackendKind;
  /** Whether it answers now (a short timeout): the dashboard's health and `generationBackends`. */
  health(signal?: AbortSignal): Promise<BackendHealth>;
  /** Makes the backend see LoRA files placed since it last looked, and checks each of `names` is now listed. */
  prepareLoras(names: readonly string[], signal: AbortSignal): Promise<void>;
  /** Runs one request to the end; an aborted `signal` interrupts the backend's work and rejects. */
  generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult>;
}
