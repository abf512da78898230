import { createHash, randomInt } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { basename, extname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PNG_SIGNATURE, pngChunk, pngImage } from "../png-fixture.js";

/*
 * AUTOMATIC1111's /sdapi/v1 API (SD.Next serves the same routes), answering as the real server does, from these
 * files of github.com/AUTOMATIC1111/stable-diffusion-webui:
 * - modules/api/api.py @ 2fec94710bbba31b282fe123b198068aef38df21: the routes; text2imgapi (the queue lock, send_images,
 *   an unknown sampler replaced by the default one); progressapi (its progress formula, 0 when no job runs);
 *   interruptapi ({}); get_sd_models; get_config; the middleware's X-Process-Time header and its
 *   {error, detail, body, errors} answer to an exception (HTTP 500).
 * - modules/api/models.py @ f4f5bcac3ba4095bb80a32d96e3f8d4cecf6f151: the txt2img model, one Optional field per
 *   StableDiffusionProcessing(Txt2Img).__init__ argument (the base class's default wins), unknown fields ignored;
 *   TextToImageResponse {images, parameters, info}; ProgressResponse; SDModelItem.
 * - requirements_versions.txt @ 0540e389be8ee477761b02cec717b092dc526f6e: fastapi 0.94 with pydantic 1, hence
 *   pydantic 1's lax coercion ("20" is an int) and FastAPI's 422 {"detail": [{loc, msg, type}]}.
 * - modules/processing.py @ 9a224a5cb83cbcf75ab0108c03196b8519d29ab6: process_images (override_settings),
 *   all_seeds = seed + i, an interrupted batch still decoded and returned with the later ones skipped,
 *   create_infotext (order, quoting), Processed.js() (the info JSON).
 * - modules/generation_parameters_copypaste.py @ 9d8af4bd6aaf09b8a94dc10dd5e99c82e23dec38: quote().
 * - modules/shared_state.py @ f2844bd024ff3cf7ee712153a514afd9085980db: state.dict(), begin, end, interrupt.
 * - modules/sd_models.py @ 5929ece1f3dc11fabe5ef4f30db43657c63e5ed4: a checkpoint's title, hashes and aliases; an
 *   unknown sd_model_checkpoint loads the first checkpoint instead.
 * - extensions-builtin/Lora/networks.py @ 873edba44bedf0086d52343f282552b3601baeb8: list_available_networks
 *   (.pt/.ckpt/.safetensors under the LoRA folder, named by file stem); load_networks rescans for unknown names, then
 *   generates without the ones still missing ("Failed to find networks" goes to the web UI's comments only).
 * - extensions-builtin/Lora/network.py @ f2844bd024ff3cf7ee712153a514afd9085980db: alias (ss_output_name), the
 *   shorthash (12 hex digits of the addnet hash for safetensors).
 * - extensions-builtin/Lora/extra_networks_lora.py @ 1b90460a3f3dc2874285f72fb3cb91d0a0afae19: "Lora hashes".
 * - extensions-builtin/Lora/scripts/lora_script.py @ 39ec4f06ffb2c26e1298b2c5d80874dc3fd693ac: GET /sdapi/v1/loras
 *   [{name, alias, path, metadata}], POST /sdapi/v1/refresh-loras (answers null).
 * Images are real PNGs with the infotext in a `parameters` text chunk, as PIL writes it when enable_pnginfo is on.
 */

export interface A1111Knobs {
  /** sampling time per step, so that progress and interrupt can be observed */
  stepDelayMs: number;
  /** the process dies at this sampling step: every socket destroyed and nothing listening any more */
  dieAtStep: number | null;
  /** txt2img raises this (as torch's out-of-memory error would): HTTP 500 with the API's exception body */
  txt2imgException: { type: string; message: string } | null;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface A1111ContractServer {
  url: string;
  /** every request, in the order received */
  requests: ReceivedRequest[];
  knobs: A1111Knobs;
  close(): Promise<void>;
}

export interface A1111ContractOptions {
  /** the folder read as A1111's --lora-dir */
  loraDir: string;
  /** checkpoint file names under models/Stable-diffusion; the first is loaded */
  checkpoints?: string[];
}

const LORA_EXTENSIONS = new Set([".pt", ".ckpt", ".safetensors"]);
/** The first sampler is the default (sd_samplers.samplers[0]). */
const SAMPLERS = ["DPM++ 2M", "DPM++ SDE", "DPM++ 2M SDE", "Euler a", "Euler", "LMS", "Heun", "DDIM", "UniPC"];
const MAX_BODY_BYTES = 64 * 1024 * 1024;

type PyType = "str" | "int" | "float" | "bool" | "dict" | "list";

/** StableDiffusionTxt2ImgProcessingAPI's fields (models.py) with their types and defaults. */
const TXT2IMG_FIELDS: Record<string, { type: PyType; default: unknown }> = {
  prompt: { type: "str", default: "" },
  negative_prompt: { type: "str", default: null },
  styles: { type: "list", default: null },
  seed: { type: "int", default: -1 },
  subseed: { type: "int", default: -1 },
  subseed_strength: { type: "float", default: 0 },
  seed_resize_from_h: { type: "int", default: -1 },
  seed_resize_from_w: { type: "int", default: -1 },
  sampler_name: { type: "str", default: null },
  batch_size: { type: "int", default: 1 },
  n_iter: { type: "int", default: 1 },
  steps: { type: "int", default: 50 },
  cfg_scale: { type: "float", default: 7 },
  width: { type: "int", default: 512 },
  height: { type: "int", default: 512 },
  restore_faces: { type: "bool", default: false },
  tiling: { type: "bool", default: false },
  do_not_save_samples: { type: "bool", default: false },
  do_not_save_grid: { type: "bool", default: false },
  eta: { type: "float", default: null },
  denoising_strength: { type: "float", default: 0 },
  s_churn: { type: "float", default: 0 },
  s_tmax: { type: "float", default: null },
  s_tmin: { type: "float", default: 0 },
  s_noise: { type: "float", default: 1 },
  override_settings: { type: "dict", default: null },
  override_settings_restore_afterwards: { type: "bool", default: true },
  script_args: { type: "list", default: [] },
  enable_hr: { type: "bool", default: false },
  firstphase_width: { type: "int", default: 0 },
  firstphase_height: { type: "int", default: 0 },
  hr_scale: { type: "float", default: 2 },
  hr_upscaler: { type: "str", default: null },
  hr_second_pass_steps: { type: "int", default: 0 },
  hr_resize_x: { type: "int", default: 0 },
  hr_resize_y: { type: "int", default: 0 },
  sampler_index: { type: "str", default: "Euler" },
  script_name: { type: "str", default: null },
  send_images: { type: "bool", default: true },
  save_images: { type: "bool", default: false },
  alwayson_scripts: { type: "dict", default: {} },
};

interface ValidationError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

type Coerced = { ok: true; value: unknown } | { ok: false; msg: string; type: string };

const BOOL_TRUE = new Set(["1", "on", "t", "true", "y", "yes"]);
const BOOL_FALSE = new Set(["0", "off", "f", "false", "n", "no"]);

/** pydantic 1's validators for Optional fields: lax, so "20" is an int and 7.9 becomes 7. */
function coerce(type: PyType, value: unknown): Coerced {
  if (value === null) return { ok: true, value: null };
  switch (type) {
    case "str":
      if (typeof value === "string") return { ok: true, value };
      if (typeof value === "number") return { ok: true, value: String(value) };
      if (typeof value === "boolean") return { ok: true, value: value ? "True" : "False" };
      return { ok: false, msg: "str type expected", type: "type_error.str" };
    case "int":
      if (typeof value === "number") return { ok: true, value: Math.trunc(value) };
      if (typeof value === "boolean") return { ok: true, value: Number(value) };
      if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return { ok: true, value: Number(value) };
      return { ok: false, msg: "value is not a valid integer", type: "type_error.integer" };
    case "float":
      if (typeof value === "number") return { ok: true, value };
      if (typeof value === "boolean") return { ok: true, value: Number(value) };
      if (typeof value === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) return { ok: true, value: Number(value) };
      return { ok: false, msg: "value is not a valid float", type: "type_error.float" };
    case "bool": {
      const text = String(value).toLowerCase();
      if (typeof value === "boolean") return { ok: true, value };
      if ((typeof value === "number" || typeof value === "string") && BOOL_TRUE.has(text)) return { ok: true, value: true };
      if ((typeof value === "number" || typeof value === "string") && BOOL_FALSE.has(text)) return { ok: true, value: false };
      return { ok: false, msg: "value could not be parsed to a boolean", type: "type_error.bool" };
    }
    case "dict":
      if (typeof value === "object" && !Array.isArray(value)) return { ok: true, value };
      return { ok: false, msg: "value is not a valid dict", type: "type_error.dict" };
    case "list":
      if (Array.isArray(value)) return { ok: true, value };
      return { ok: false, msg: "value is not a valid list", type: "type_error.list" };
  }
}

type Txt2imgParams = Record<string, unknown> & {
  prompt: string;
  negative_prompt: string | null;
  styles: unknown[] | null;
  seed: number;
  subseed_strength: number;
  seed_resize_from_h: number;
  seed_resize_from_w: number;
  sampler_name: string | null;
  batch_size: number;
  n_iter: number;
  steps: number;
  cfg_scale: number;
  width: number;
  height: number;
  denoising_strength: number;
  restore_faces: boolean;
  override_settings: Record<string, unknown> | null;
  override_settings_restore_afterwards: boolean;
  send_images: boolean;
};

const isJsonType = (contentType: string | undefined) => contentType === undefined || /^application\/(.+\+)?json\b/i.test(contentType);

/**
 * FastAPI's reading of the one body parameter: JSON when the content type is JSON or absent (otherwise the raw
 * bytes, which are no dict), then each known field coerced and unknown ones dropped.
 */
function readTxt2imgBody(raw: Buffer, contentType: string | undefined): { params: Txt2imgParams } | { errors: ValidationError[] } {
  if (raw.length === 0) return { errors: [{ loc: ["body"], msg: "field required", type: "value_error.missing" }] };
  let body: unknown = raw;
  if (isJsonType(contentType)) {
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch (error) {
      return { errors: [{ loc: ["body", 0], msg: (error as Error).message, type: "value_error.jsondecode" }] };
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
    return { errors: [{ loc: ["body"], msg: "value is not a valid dict", type: "type_error.dict" }] };
  }
  const params: Record<string, unknown> = {};
  const errors: ValidationError[] = [];
  for (const [field, { type, default: fallback }] of Object.entries(TXT2IMG_FIELDS)) {
    if (!(field in body)) {
      params[field] = fallback;
      continue;
    }
    const coerced = coerce(type, (body as Record<string, unknown>)[field]);
    if (coerced.ok) params[field] = coerced.value;
    else errors.push({ loc: ["body", field], msg: coerced.msg, type: coerced.type });
  }
  return errors.length > 0 ? { errors } : { params: params as Txt2imgParams };
}

interface Checkpoint {
  title: string;
  model_name: string;
  hash: string;
  sha256: string;
  filename: string;
  config: null;
}

function checkpointOf(fileName: string): Checkpoint {
  const sha256 = createHash("sha256").update(fileName).digest("hex");
  const shorthash = sha256.slice(0, 10);
  return {
    title: `${fileName} [${shorthash}]`,
    model_name: fileName.slice(0, -extname(fileName).length),
    hash: shorthash,
    sha256,
    filename: `/stable-diffusion-webui/models/Stable-diffusion/${fileName}`,
    config: null,
  };
}

/** sd_models' checkpoint_aliases: a checkpoint answers to its title, file name, model name and hashes. */
const checkpointIds = (checkpoint: Checkpoint) => [checkpoint.title, basename(checkpoint.filename), checkpoint.model_name, checkpoint.hash, checkpoint.sha256];

interface LoraOnDisk {
  name: string;
  alias: string;
  path: string;
  metadata: Record<string, unknown>;
}

/** safetensors' `__metadata__`; a file that cannot be read as one has none, and is listed all the same. */
function safetensorsMetadata(bytes: Buffer): Record<string, unknown> {
  try {
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header: unknown = JSON.parse(bytes.toString("utf8", 8, 8 + headerLength));
    const metadata = (header as { __metadata__?: unknown }).__metadata__;
    return typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function listLoras(loraDir: string): Promise<Map<string, LoraOnDisk>> {
  const files = (await readdir(loraDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() && LORA_EXTENSIONS.has(extname(entry.name).toLowerCase()));
  const loras = new Map<string, LoraOnDisk>();
  for (const file of files) {
    const path = join(file.parentPath, file.name);
    const name = file.name.slice(0, -extname(file.name).length);
    const metadata = extname(path).toLowerCase() === ".safetensors" ? safetensorsMetadata(await readFile(path)) : {};
    loras.set(name, { name, alias: typeof metadata.ss_output_name === "string" ? metadata.ss_output_name : name, path, metadata });
  }
  return loras;
}

/** network.py's shorthash: 12 hex digits of the addnet hash (the tensors after the header) or of the whole file. */
async function loraShorthash(lora: LoraOnDisk): Promise<string> {
  const bytes = await readFile(lora.path);
  const tensors = extname(lora.path).toLowerCase() === ".safetensors" && bytes.length >= 8 ? bytes.subarray(Math.min(Number(bytes.readBigUInt64LE(0)) + 8, bytes.length)) : bytes;
  return createHash("sha256").update(tensors).digest("hex").slice(0, 12);
}

/** Python's str() of a float: 7.0, not 7. */
const pyFloat = (value: number) => (Number.isInteger(value) ? value.toFixed(1) : String(value));

/** generation_parameters_copypaste.quote: JSON-quoted when it holds a comma, a newline or a colon. */
const quote = (text: string) => (/[,\n:]/.test(text) ? JSON.stringify(text) : text);

function jobTimestamp(date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** A PNG with its infotext in a `parameters` chunk, placed after IHDR as PIL does: tEXt when Latin-1 will do, else iTXt. */
function pngWithParameters(width: number, height: number, infotext: string): Buffer {
  const png = pngImage(width, height);
  const afterHeader = PNG_SIGNATURE.length + 12 + 13;
  const latin1 = /^[\u0000-\u00ff]*$/.test(infotext);
  const chunk = latin1
    ? pngChunk("tEXt", Buffer.from(`parameters\0${infotext}`, "latin1"))
    : pngChunk("iTXt", Buffer.concat([Buffer.from("parameters\0\0\0\0\0", "latin1"), Buffer.from(infotext, "utf8")]));
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}

/** The extra networks of a prompt (extra_networks.parse_prompt): `<lora:name:…>` tags, by the name they give. */
const loraNames = (prompt: string) => [...prompt.matchAll(/<(\w+):([^>]+)>/g)].filter((m) => m[1] === "lora").map((m) => m[2]!.split(":")[0]!);

interface Job {
  p: Txt2imgParams;
  sampler: string;
  checkpoint: Checkpoint;
  seeds: number[];
  extra: Record<string, string>;
  infotexts: string[];
}

/** get_fixed_seed and all_seeds: -1 draws one, and image i gets seed + i. */
function seriesFrom(seed: number, count: number): number[] {
  const first = seed === -1 ? randomInt(4294967294) : seed;
  return Array.from({ length: count }, (_, i) => first + i);
}

/** extra_networks_lora: "Lora hashes" names each LoRA it loaded as the prompt did, without ":" and ",". */
function loraHashes(loaded: { name: string; shorthash: string }[]): Record<string, string> {
  if (loaded.length === 0) return {};
  return { "Lora hashes": loaded.map((lora) => `${lora.name.replace(/[:,]/g, "")}: ${lora.shorthash}`).join(", ") };
}

function infotext({ p, sampler, checkpoint, extra }: Job, seed: number): string {
  const params: [string, string][] = [
    ["Steps", String(p.steps)],
    ["Sampler", sampler],
    ["CFG scale", pyFloat(p.cfg_scale)],
    ["Seed", String(seed)],
    ["Size", `${p.width}x${p.height}`],
    ["Model hash", checkpoint.hash],
    ["Model", checkpoint.model_name.replace(/[,:]/g, "")],
    ["Denoising strength", pyFloat(p.denoising_strength)],
    ...Object.entries(extra),
  ];
  const negative = p.negative_prompt ? `\nNegative prompt: ${p.negative_prompt}` : "";
  return `${p.prompt}${negative}\n${params.map(([key, value]) => `${key}: ${quote(value)}`).join(", ")}`.trim();
}

/** Processed.js(), key for key. */
function processedJs({ p, sampler, checkpoint, seeds, extra, infotexts }: Job, jobTimestamp: string) {
  const subseeds = seriesFrom(-1, seeds.length);
  return {
    prompt: p.prompt,
    all_prompts: seeds.map(() => p.prompt),
    negative_prompt: p.negative_prompt ?? "",
    all_negative_prompts: seeds.map(() => p.negative_prompt ?? ""),
    seed: seeds[0],
    all_seeds: seeds,
    subseed: subseeds[0],
    all_subseeds: subseeds,
    subseed_strength: p.subseed_strength,
    width: p.width,
    height: p.height,
    sampler_name: sampler,
    cfg_scale: p.cfg_scale,
    steps: p.steps,
    batch_size: p.batch_size,
    restore_faces: p.restore_faces,
    face_restoration_model: null,
    sd_model_hash: checkpoint.hash,
    seed_resize_from_w: p.seed_resize_from_w,
    seed_resize_from_h: p.seed_resize_from_h,
    denoising_strength: p.denoising_strength,
    extra_generation_params: extra,
    index_of_first_image: 0,
    infotexts,
    styles: p.styles ?? [],
    job_timestamp: jobTimestamp,
    clip_skip: 1,
    is_using_inpainting_conditioning: false,
  };
}

class ServerDied extends Error {}

/** An HTTP status and the JSON answered with it. */
type Reply = [status: number, body: unknown];

export async function startA1111ContractServer(options: A1111ContractOptions): Promise<A1111ContractServer> {
  const checkpoints = (options.checkpoints ?? ["v1-5-pruned-emaonly.safetensors", "sd_xl_base_1.0.safetensors"]).map(checkpointOf);
  let loadedCheckpoint = checkpoints[0]!;
  let sdModelCheckpointOption = loadedCheckpoint.title;
  let loras = await listLoras(options.loraDir);
  const requests: ReceivedRequest[] = [];
  const knobs: A1111Knobs = { stepDelayMs: 0, dieAtStep: null, txt2imgException: null };
  const sockets = new Set<Socket>();
  let dead = false;
  /** shared.state */
  const state = { skipped: false, interrupted: false, job: "", job_count: 0, job_timestamp: "0", job_no: 0, sampling_step: 0, sampling_steps: 0, textinfo: null, time_start: 0 };
  /** the API's queue_lock: one generation at a time */
  let queue: Promise<unknown> = Promise.resolve();

  function die(): never {
    dead = true;
    server.close();
    for (const socket of sockets) socket.destroy();
    throw new ServerDied("the contract server died, as asked");
  }

  function resolveCheckpoint(wanted: unknown): Checkpoint {
    return checkpoints.find((checkpoint) => checkpointIds(checkpoint).includes(String(wanted))) ?? checkpoints[0]!;
  }

  /** load_networks: the names it finds (after a rescan when one is unknown), each with its shorthash. */
  async function loadLoras(names: string[]): Promise<{ name: string; shorthash: string }[]> {
    const find = (name: string) => loras.get(name) ?? [...loras.values()].find((lora) => lora.alias === name);
    if (names.some((name) => find(name) === undefined)) loras = await listLoras(options.loraDir);
    const found = names.flatMap((name) => {
      const lora = find(name);
      return lora ? [{ name, lora }] : [];
    });
    return Promise.all(found.map(async ({ name, lora }) => ({ name, shorthash: await loraShorthash(lora) })));
  }

  /** Sampling of one batch: a step at a time until done or interrupted (the sampler then returns what it has). */
  async function sample(steps: number): Promise<void> {
    state.sampling_steps = steps;
    for (let step = 1; step <= steps && !state.interrupted; step++) {
      await sleep(knobs.stepDelayMs);
      if (dead) throw new ServerDied("closed");
      if (step === knobs.dieAtStep) die();
      state.sampling_step = step;
    }
  }

  async function generate(p: Txt2imgParams) {
    const sampler = SAMPLERS.includes(p.sampler_name ?? "") ? p.sampler_name! : SAMPLERS[0]!;
    const restore = p.override_settings_restore_afterwards ? { loaded: loadedCheckpoint, option: sdModelCheckpointOption } : null;
    if (p.override_settings?.sd_model_checkpoint !== undefined) {
      sdModelCheckpointOption = String(p.override_settings.sd_model_checkpoint);
      loadedCheckpoint = resolveCheckpoint(p.override_settings.sd_model_checkpoint);
    }
    try {
      const job: Job = { p, sampler, checkpoint: loadedCheckpoint, seeds: seriesFrom(p.seed, p.batch_size * p.n_iter), extra: {}, infotexts: [] };
      job.extra = loraHashes(await loadLoras(loraNames(p.prompt)));
      const images: Buffer[] = [];
      state.job_count = p.n_iter;
      for (let n = 0; n < p.n_iter && !state.interrupted; n++) {
        if (p.n_iter > 1) state.job = `Batch ${n + 1} out of ${p.n_iter}`;
        await sample(p.steps);
        for (const seed of job.seeds.slice(n * p.batch_size, (n + 1) * p.batch_size)) {
          const text = infotext(job, seed);
          job.infotexts.push(text);
          images.push(pngWithParameters(p.width, p.height, text));
        }
        state.job_no += 1;
        state.sampling_step = 0;
      }
      const info = processedJs(job, state.job_timestamp);
      return { images: p.send_images ? images.map((png) => png.toString("base64")) : [], parameters: p, info: JSON.stringify(info) };
    } finally {
      if (restore) ({ loaded: loadedCheckpoint, option: sdModelCheckpointOption } = restore);
    }
  }

  async function txt2img(body: Buffer, req: IncomingMessage): Promise<Reply> {
    const read = readTxt2imgBody(body, req.headers["content-type"]);
    if ("errors" in read) return [422, { detail: read.errors }];
    const turn = queue.then(async (): Promise<Reply> => {
      Object.assign(state, { job: "scripts_txt2img", job_count: -1, job_no: 0, sampling_step: 0, skipped: false, interrupted: false, textinfo: null, time_start: Date.now(), job_timestamp: jobTimestamp() });
      try {
        if (knobs.txt2imgException) {
          const { type, message } = knobs.txt2imgException;
          return [500, { error: type, detail: "", body: "", errors: message }];
        }
        return [200, await generate(read.params)];
      } finally {
        Object.assign(state, { job: "", job_count: 0 });
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  }

  function progress(query: URLSearchParams): Reply {
    const skip = coerce("bool", query.get("skip_current_image") ?? "false");
    if (!skip.ok) return [422, { detail: [{ loc: ["query", "skip_current_image"], msg: skip.msg, type: skip.type }] }];
    const snapshot = { skipped: state.skipped, interrupted: state.interrupted, job: state.job, job_count: state.job_count, job_timestamp: state.job_timestamp, job_no: state.job_no, sampling_step: state.sampling_step, sampling_steps: state.sampling_steps };
    if (state.job_count === 0) return [200, { progress: 0, eta_relative: 0, state: snapshot, current_image: null, textinfo: state.textinfo }];
    let fraction = 0.01;
    if (state.job_count > 0) fraction += state.job_no / state.job_count;
    if (state.sampling_steps > 0) fraction += (1 / state.job_count) * (state.sampling_step / state.sampling_steps);
    const sinceStart = (Date.now() - state.time_start) / 1000;
    return [200, { progress: Math.min(fraction, 1), eta_relative: sinceStart / fraction - sinceStart, state: snapshot, current_image: null, textinfo: state.textinfo }];
  }

  /** A few of the hundreds of options the real one lists, the ones a client might read. */
  const listedOptions = () => ({
    sd_model_checkpoint: sdModelCheckpointOption,
    sd_checkpoint_hash: loadedCheckpoint.sha256,
    samples_format: "png",
    enable_pnginfo: true,
    sd_lora: "None",
    lora_preferred_name: "Alias from file",
    lora_add_hashes_to_infotext: true,
    CLIP_stop_at_last_layers: 1,
    eta_noise_seed_delta: 0,
  });

  type Handler = (body: Buffer, req: IncomingMessage, query: URLSearchParams) => Reply | Promise<Reply>;
  const routes: Record<string, Record<string, Handler>> = {
    "/sdapi/v1/txt2img": { POST: txt2img },
    "/sdapi/v1/progress": { GET: (_, __, query) => progress(query) },
    "/sdapi/v1/interrupt": {
      POST: () => {
        state.interrupted = true;
        return [200, {}];
      },
    },
    "/sdapi/v1/refresh-loras": {
      POST: async () => {
        loras = await listLoras(options.loraDir);
        return [200, null];
      },
    },
    "/sdapi/v1/loras": { GET: () => [200, [...loras.values()]] },
    "/sdapi/v1/options": { GET: () => [200, listedOptions()] },
    "/sdapi/v1/sd-models": { GET: () => [200, checkpoints] },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://a1111");
    const body = await readBody(req);
    const json = body.length > 0 ? tryJson(body) : undefined;
    requests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), body: json });
    const route = routes[url.pathname];
    const handler = route?.[req.method ?? ""];
    const [status, answer] = !route ? [404, { detail: "Not Found" }] : !handler ? [405, { detail: "Method Not Allowed" }] : await handler(body, req, url.searchParams);
    res.writeHead(status, {
      "content-type": "application/json",
      "x-process-time": String(Math.round(performance.now() - started) / 1000),
    });
    res.end(JSON.stringify(answer));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ServerDied) return;
      res.destroy(error as Error);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    knobs,
    async close() {
      dead = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tryJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return body.toString("utf8");
  }
}
