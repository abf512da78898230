import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, posix, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { WebSocket, WebSocketServer } from "ws";
import { pngChunk, pngImage } from "../png-fixture.js";

/*
 * A ComfyUI that answers as the real server does, for the comfyui client's tests. Its shapes are read from
 * Comfy-Org/ComfyUI (formerly comfyanonymous/ComfyUI) at commit a125cd84b054a57729b5eecab930ca9408719832 (v0.3.64):
 *   server.py          the routes below (also under /api), /ws: a status message on connect, then {type, data}
 *                      messages to the prompt's client_id; POST /interrupt {prompt_id}; POST /queue {delete}
 *   execution.py       validate_prompt and validate_inputs (the 400's error and node_errors, word for word),
 *                      PromptExecutor.execute_async (execution_start, execution_cached, executing, executed,
 *                      execution_success / execution_error / execution_interrupted, each with a timestamp),
 *                      PromptQueue (the history entry)
 *   main.py            prompt_worker (history written after execution_success, then executing {node: null}),
 *                      hijack_progress (progress {value, max, prompt_id, node})
 *   nodes.py           INPUT_TYPES and RETURN_TYPES of the nodes below; SaveImage's file names and its tEXt chunks
 *                      (prompt, and each extra_pnginfo key)
 *   comfy/samplers.py  KSampler's SAMPLER_NAMES and SCHEDULER_NAMES
 *   folder_paths.py    the model extensions listed from loras/ and checkpoints/ (listed afresh on every look;
 *                      upstream lists afresh whenever the folder's mtime changed)
 * Left out: caching between prompts (every node runs every time), progress_state and preview messages, custom nodes.
 */

export const COMFYUI_VERSION = "0.3.64";
const DEFAULT_CHECKPOINTS = ["sd_xl_base_1.0.safetensors", "v1-5-pruned-emaonly.safetensors"];
const MODEL_EXTENSIONS = new Set([".ckpt", ".pt", ".pt2", ".bin", ".pth", ".safetensors", ".pkl", ".sft"]);
const MAX_RESOLUTION = 16384;
const SAMPLER_NAMES = [
  "euler", "euler_cfg_pp", "euler_ancestral", "euler_ancestral_cfg_pp", "heun", "heunpp2", "dpm_2", "dpm_2_ancestral", "lms", "dpm_fast",
  "dpm_adaptive", "dpmpp_2s_ancestral", "dpmpp_2s_ancestral_cfg_pp", "dpmpp_sde", "dpmpp_sde_gpu", "dpmpp_2m", "dpmpp_2m_cfg_pp",
  "dpmpp_2m_sde", "dpmpp_2m_sde_gpu", "dpmpp_2m_sde_heun", "dpmpp_2m_sde_heun_gpu", "dpmpp_3m_sde", "dpmpp_3m_sde_gpu", "ddpm", "lcm",
  "ipndm", "ipndm_v", "deis", "res_multistep", "res_multistep_cfg_pp", "res_multistep_ancestral", "res_multistep_ancestral_cfg_pp",
  "gradient_estimation", "gradient_estimation_cfg_pp", "er_sde", "seeds_2", "seeds_3", "sa_solver", "sa_solver_pece", "ddim", "uni_pc", "uni_pc_bh2",
];
const SCHEDULER_NAMES = ["simple", "sgm_uniform", "karras", "exponential", "ddim_uniform", "beta", "normal", "linear_quadratic", "kl_optimal"];

export interface ComfyUiKnobs {
  /** how long each sampler step takes */
  stepMs: number;
  /** the server dies (sockets cut, port closed) when a prompt's sampler reaches this step */
  dieAtStep: number | null;
  /** nodes of this class raise this exception when they run */
  failNode: { classType: string; exceptionType: string; message: string } | null;
  /** how long after execution_success the history entry appears (prompt_worker writes it once execute() returned) */
  historyLagMs: number;
}

export interface ReceivedPrompt {
  /** the body of POST /prompt as it came */
  body: Record<string, unknown>;
  promptId: string;
  accepted: boolean;
}

export interface ComfyUiContractServer {
  url: string;
  prompts: ReceivedPrompt[];
  /** what each POST /interrupt named: a prompt id, or null for a global interrupt */
  interrupts: (string | null)[];
  /** the prompt ids POST /queue {delete} named */
  deletedFromQueue: string[];
  knobs: ComfyUiKnobs;
  close(): Promise<void>;
}

export async function startComfyUiContractServer(options: { loraDir: string; checkpoints?: string[] }): Promise<ComfyUiContractServer> {
  const comfy = new ContractComfyUi(nodeClasses(() => modelFiles(options.loraDir), () => options.checkpoints ?? DEFAULT_CHECKPOINTS));
  const url = await comfy.listen();
  return {
    url,
    prompts: comfy.prompts,
    interrupts: comfy.interrupts,
    deletedFromQueue: comfy.deletedFromQueue,
    knobs: comfy.knobs,
    close: () => comfy.close(),
  };
}

/* ---- The nodes, as nodes.py declares them ---- */

type InputType = string | string[];
type InputSpec = [type: InputType | (() => string[]), extra?: Record<string, unknown>];

interface NodeClass {
  displayName: string;
  category: string;
  required: Record<string, InputSpec>;
  hidden?: Record<string, string>;
  returns: string[];
  outputNode?: boolean;
}

function nodeClasses(loras: () => string[], checkpoints: () => string[]): Record<string, NodeClass> {
  const float = (fallback: number, min: number, max: number) => ["FLOAT", { default: fallback, min, max, step: 0.01 }] satisfies InputSpec;
  const int = (fallback: number, min: number, max: number) => ["INT", { default: fallback, min, max }] satisfies InputSpec;
  return {
    CheckpointLoaderSimple: { displayName: "Load Checkpoint", category: "loaders", required: { ckpt_name: [checkpoints] }, returns: ["MODEL", "CLIP", "VAE"] },
    LoraLoader: {
      displayName: "Load LoRA",
      category: "loaders",
      required: { model: ["MODEL"], clip: ["CLIP"], lora_name: [loras], strength_model: float(1, -100, 100), strength_clip: float(1, -100, 100) },
      returns: ["MODEL", "CLIP"],
    },
    CLIPTextEncode: {
      displayName: "CLIP Text Encode (Prompt)",
      category: "conditioning",
      required: { text: ["STRING", { multiline: true, dynamicPrompts: true }], clip: ["CLIP"] },
      returns: ["CONDITIONING"],
    },
    EmptyLatentImage: {
      displayName: "Empty Latent Image",
      category: "latent",
      required: { width: int(512, 16, MAX_RESOLUTION), height: int(512, 16, MAX_RESOLUTION), batch_size: int(1, 1, 4096) },
      returns: ["LATENT"],
    },
    KSampler: {
      displayName: "KSampler",
      category: "sampling",
      required: {
        model: ["MODEL"],
        seed: int(0, 0, 0xffffffffffffffff),
        steps: int(20, 1, 10000),
        cfg: float(8, 0, 100),
        sampler_name: [SAMPLER_NAMES],
        scheduler: [SCHEDULER_NAMES],
        positive: ["CONDITIONING"],
        negative: ["CONDITIONING"],
        latent_image: ["LATENT"],
        denoise: float(1, 0, 1),
      },
      returns: ["LATENT"],
    },
    VAEDecode: { displayName: "VAE Decode", category: "latent", required: { samples: ["LATENT"], vae: ["VAE"] }, returns: ["IMAGE"] },
    SaveImage: {
      displayName: "Save Image",
      category: "image",
      required: { images: ["IMAGE"], filename_prefix: ["STRING", { default: "ComfyUI" }] },
      hidden: { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" },
      returns: [],
      outputNode: true,
    },
  };
}

/** NODE_CLASS_MAPPINGS.get(name) */
function classOf(classes: Record<string, NodeClass>, name: string): NodeClass | undefined {
  return Object.hasOwn(classes, name) ? classes[name] : undefined;
}

function inputType([type]: InputSpec): InputType {
  return typeof type === "function" ? type() : type;
}

/** server.py node_info: what GET /object_info/{class} says of one node. */
function nodeInfo(name: string, node: NodeClass) {
  const required = Object.fromEntries(Object.entries(node.required).map(([input, spec]) => [input, [inputType(spec), spec[1] ?? {}]]));
  const input = node.hidden ? { required, hidden: node.hidden } : { required };
  return {
    input,
    input_order: Object.fromEntries(Object.entries(input).map(([group, inputs]) => [group, Object.keys(inputs)])),
    output: node.returns,
    output_is_list: node.returns.map(() => false),
    output_name: node.returns,
    name,
    display_name: node.displayName,
    description: "",
    python_module: "nodes",
    category: node.category,
    output_node: node.outputNode === true,
  };
}

/** folder_paths.get_filename_list: every model file under the folder, by relative path, sorted. */
function modelFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && MODEL_EXTENSIONS.has(extname(entry.name).toLowerCase()))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/* ---- Python, where its wording reaches the answers ---- */

/** An exception as Python raises it: `type` is full_type_name(...), `message` is str(ex). */
class PythonException extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function pyTypeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return { string: "str", boolean: "bool", object: "dict" }[typeof value as string] ?? typeof value;
}

function pyRepr(value: unknown): string {
  if (typeof value === "string") return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  return pyStr(value);
}

function pyStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (isRecord(value)) return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  return String(value);
}

/** A Python float's str: 100.0 rather than 100. */
function pyFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** dict[key] */
function pyItem(dict: Json, key: unknown): unknown {
  if (typeof key !== "string" || !Object.hasOwn(dict, key)) throw new PythonException("KeyError", pyRepr(key));
  return dict[key];
}

/** tuple[index] */
function pyIndex(tuple: string[], index: unknown): string {
  if (typeof index !== "number" || !Number.isInteger(index)) throw new PythonException("TypeError", `tuple indices must be integers or slices, not ${pyTypeName(index)}`);
  const item = tuple[index < 0 ? index + tuple.length : index];
  if (item === undefined) throw new PythonException("IndexError", "tuple index out of range");
  return item;
}

/** int(value), float(value) and str(value) as validate_inputs converts widget values. */
function convert(value: unknown, type: "INT" | "FLOAT" | "STRING"): number | string {
  if (type === "STRING") return pyStr(value);
  if (typeof value === "number") return type === "INT" ? Math.trunc(value) : value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    const text = value.trim();
    if (type === "INT" && /^[+-]?\d+$/.test(text)) return Number.parseInt(text, 10);
    if (type === "FLOAT" && text !== "" && Number.isFinite(Number(text))) return Number(text);
    throw new PythonException("ValueError", type === "INT" ? `invalid literal for int() with base 10: ${pyRepr(value)}` : `could not convert string to float: ${pyRepr(value)}`);
  }
  const accepted = type === "INT" ? "int() argument must be a string, a bytes-like object or a real number" : "float() argument must be a string or a real number";
  throw new PythonException("TypeError", `${accepted}, not '${pyTypeName(value)}'`);
}

/** json.dumps with Python's defaults: ", " and ": " between items, everything past ASCII escaped. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (isRecord(value)) return `{${Object.entries(value).map(([key, item]) => `${pythonJson(key)}: ${pythonJson(item)}`).join(", ")}}`;
  return (JSON.stringify(value) ?? "null").replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/* ---- execution.validate_prompt ---- */

interface Reason {
  type: string;
  message: string;
  details: string;
  extra_info: Json;
}

interface Verdict {
  valid: boolean;
  reasons: Reason[];
}

interface NodeErrors {
  errors: Reason[];
  dependent_outputs: string[];
  class_type: string;
}

type Validation = { ok: true; outputs: string[]; nodeErrors: Record<string, NodeErrors> } | { ok: false; error: Reason; nodeErrors: Record<string, NodeErrors> };

const promptError = (type: string, message: string, details: string): Reason => ({ type, message, details, extra_info: {} });

function validatePrompt(prompt: Json, classes: Record<string, NodeClass>, partial: unknown): Validation {
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(prompt)) {
    if (!isRecord(node)) throw new PythonException("TypeError", `argument of type '${pyTypeName(node)}' is not iterable`);
    if (!("class_type" in node)) {
      return { ok: false, error: promptError("invalid_prompt", "Cannot execute because a node is missing the class_type property.", `Node ID '#${id}'`), nodeErrors: {} };
    }
    const nodeClass = classOf(classes, pyStr(node.class_type));
    if (!nodeClass) {
      return { ok: false, error: promptError("invalid_prompt", `Cannot execute because node ${pyStr(node.class_type)} does not exist.`, `Node ID '#${id}'`), nodeErrors: {} };
    }
    if (nodeClass.outputNode && (partial === undefined || partial === null || (Array.isArray(partial) && partial.includes(id)))) outputs.push(id);
  }
  if (outputs.length === 0) return { ok: false, error: promptError("prompt_no_outputs", "Prompt has no outputs", ""), nodeErrors: {} };

  const good: string[] = [];
  const failed: [string, Reason[]][] = [];
  const nodeErrors: Record<string, NodeErrors> = {};
  const validated = new Map<string, Verdict>();
  for (const output of outputs) {
    let verdict: Verdict;
    try {
      verdict = validateInputs(prompt, output, validated, classes);
    } catch (error) {
      const { message, type } = asPython(error);
      const reason = { type: "exception_during_validation", message: "Exception when validating node", details: message, extra_info: { exception_type: type, traceback: [] } };
      verdict = { valid: false, reasons: [reason] };
      validated.set(output, verdict);
    }
    if (verdict.valid) {
      good.push(output);
      continue;
    }
    failed.push([output, verdict.reasons]);
    // As upstream: every invalid node with reasons so far, this output added to its dependent_outputs.
    for (const [id, { valid, reasons }] of validated) {
      if (valid || reasons.length === 0) continue;
      nodeErrors[id] ??= { errors: reasons, dependent_outputs: [], class_type: String((prompt[id] as Json).class_type) };
      nodeErrors[id].dependent_outputs.push(output);
    }
  }
  if (good.length === 0) {
    const details = failed.flatMap(([, reasons]) => reasons.map((reason) => `${reason.message}: ${reason.details}`)).join("\n");
    return { ok: false, error: promptError("prompt_outputs_failed_validation", "Prompt outputs failed validation", details), nodeErrors };
  }
  return { ok: true, outputs: good, nodeErrors };
}

/** What validation catches: Python's exceptions, never a bug of this file. */
function asPython(error: unknown): PythonException {
  if (!(error instanceof PythonException)) throw error;
  return error;
}

function validateInputs(prompt: Json, id: string, validated: Map<string, Verdict>, classes: Record<string, NodeClass>): Verdict {
  const known = validated.get(id);
  if (known) return known;
  const node = prompt[id] as Json;
  const inputs = pyItem(node, "inputs") as Json;
  const nodeClass = classes[String(node.class_type)]!;
  const reasons: Reason[] = [];
  let valid = true;
  for (const [name, spec] of Object.entries(nodeClass.required)) {
    const type = inputType(spec);
    const info = [type, spec[1] ?? {}];
    const reason = (kind: string, message: string, details: string, extra: Json = {}) =>
      reasons.push({ type: kind, message, details, extra_info: { input_name: name, ...extra } });
    if (!Object.hasOwn(inputs, name)) {
      reason("required_input_missing", "Required input is missing", name);
      continue;
    }
    let value = inputs[name];
    if (Array.isArray(value)) {
      if (value.length !== 2) {
        reason("bad_linked_input", "Bad linked input, must be a length-2 list of [node_id, slot_index]", name, { input_config: info, received_value: value });
        continue;
      }
      const [sourceId, slot] = value as [string, unknown];
      const source = pyItem(prompt, sourceId) as Json;
      const received = pyIndex(classes[String(source.class_type)]!.returns, slot);
      if (typeof type !== "string" || !typesOverlap(received, type)) {
        const details = `${name}, received_type(${received}) mismatch input_type(${pyStr(type)})`;
        reason("return_type_mismatch", "Return type mismatch between linked nodes", details, { input_config: info, received_type: received, linked_node: value });
        continue;
      }
      try {
        if (!validateInputs(prompt, sourceId, validated, classes).valid) valid = false;
      } catch (error) {
        valid = false;
        const { message, type: exceptionType } = asPython(error);
        const extra_info = { input_name: name, input_config: info, exception_message: message, exception_type: exceptionType, traceback: [], linked_node: value };
        validated.set(sourceId, { valid: false, reasons: [{ type: "exception_during_inner_validation", message: "Exception when validating inner node", details: message, extra_info }] });
      }
      continue;
    }
    if (isRecord(value) && "__value__" in value) inputs[name] = value = value.__value__;
    if (type === "INT" || type === "FLOAT" || type === "STRING") {
      try {
        inputs[name] = value = convert(value, type);
      } catch (error) {
        if (!(error instanceof PythonException)) throw error;
        const details = `${name}, ${pyStr(value)}, ${error.message}`;
        reason("invalid_input_type", `Failed to convert an input value to a ${type} value`, details, { input_config: info, received_value: value, exception_message: error.message });
        continue;
      }
    }
    const number = type === "FLOAT" ? pyFloat : String;
    const { min, max } = (spec[1] ?? {}) as { min?: number; max?: number };
    if (min !== undefined && (value as number) < min) {
      reason("value_smaller_than_min", `Value ${number(value as number)} smaller than min of ${number(min)}`, name, { input_config: info, received_value: value });
      continue;
    }
    if (max !== undefined && (value as number) > max) {
      reason("value_bigger_than_max", `Value ${number(value as number)} bigger than max of ${number(max)}`, name, { input_config: info, received_value: value });
      continue;
    }
    if (Array.isArray(type) && !type.includes(value as string)) {
      // Upstream leaves long lists (a big models folder) out of the answer.
      const long = type.length > 20;
      const listInfo = long ? `(list of length ${type.length})` : pyStr(type);
      reason("value_not_in_list", "Value not in list", `${name}: '${pyStr(value)}' not in ${listInfo}`, { input_config: long ? null : info, received_value: value });
    }
  }
  const verdict = reasons.length > 0 || !valid ? { valid: false, reasons } : { valid: true, reasons: [] };
  validated.set(id, verdict);
  return verdict;
}

/** comfy_execution/validation.py validate_node_input, not strict: "A,B" and "B,C" overlap. */
function typesOverlap(received: string, wanted: string): boolean {
  const wantedTypes = new Set(wanted.split(",").map((t) => t.trim()));
  return received === wanted || received.split(",").some((t) => wantedTypes.has(t.trim()));
}

/* ---- The server and its one prompt worker ---- */

interface QueueItem {
  number: number;
  promptId: string;
  prompt: Record<string, { class_type: string; inputs: Json }>;
  extraData: Json;
  outputs: string[];
}

type NodeResult = { kind: "done"; ui?: Json } | { kind: "interrupted" } | { kind: "failed"; exceptionType: string; message: string };

const queueTuple = (item: QueueItem) => [item.number, item.promptId, item.prompt, item.extraData, item.outputs];

class ContractComfyUi {
  readonly prompts: ReceivedPrompt[] = [];
  readonly interrupts: (string | null)[] = [];
  readonly deletedFromQueue: string[] = [];
  readonly knobs: ComfyUiKnobs = { stepMs: 5, dieAtStep: null, failNode: null, historyLagMs: 0 };
  private readonly http = createServer((req, res) => void this.answer(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<string, WebSocket>();
  private readonly queue: QueueItem[] = [];
  private readonly history = new Map<string, Json>();
  private readonly files = new Map<string, Buffer>();
  private running: QueueItem | null = null;
  private clientId: string | null = null;
  private lastNodeId: string | null = null;
  private interrupting = false;
  private number = 0;
  private savedCount = 0;
  private closed: Promise<void> | null = null;

  constructor(private readonly classes: Record<string, NodeClass>) {
    this.http.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://comfyui");
      if (apiPath(url) !== "/ws" || this.closed) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws, url.searchParams.get("clientId") ?? ""));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return this.die();
  }

  /** Like the process being killed: every socket cut, the port closed, the running prompt left unfinished. */
  private die(): Promise<void> {
    if (!this.closed) {
      this.closed = new Promise((resolve) => this.http.close(() => resolve()));
      for (const socket of this.wss.clients) socket.terminate();
      this.http.closeAllConnections();
      this.wss.close();
    }
    return this.closed;
  }

  private connect(ws: WebSocket, requestedSid: string): void {
    const sid = requestedSid || randomUUID().replaceAll("-", "");
    this.sockets.set(sid, ws);
    ws.on("close", () => this.sockets.delete(sid));
    this.send("status", { status: this.queueInfo(), sid }, sid);
    if (this.clientId === sid && this.lastNodeId !== null) this.send("executing", { node: this.lastNodeId }, sid);
  }

  /** server.py send_json: to one client id, or to every socket when there is none. */
  private send(type: string, data: unknown, sid: string | null): void {
    const message = JSON.stringify({ type, data });
    const targets = sid === null ? [...this.sockets.values()] : [this.sockets.get(sid)];
    for (const socket of targets) if (socket?.readyState === WebSocket.OPEN) socket.send(message);
  }

  private queueInfo() {
    return { exec_info: { queue_remaining: this.queue.length + (this.running ? 1 : 0) } };
  }

  private queueUpdated(): void {
    this.send("status", { status: this.queueInfo() }, null);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const [status, body, headers] = await this.route(req);
      if (Buffer.isBuffer(body)) res.writeHead(status, headers).end(body);
      else if (body === null) res.writeHead(status).end();
      else res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("500 Internal Server Error\n\nServer got itself in trouble");
      // A Python exception is aiohttp's 500; anything else is a bug here, for the test run to report.
      if (!(error instanceof PythonException)) throw error;
    }
  }

  private async route(req: IncomingMessage): Promise<[number, unknown, Record<string, string>?]> {
    const url = new URL(req.url ?? "/", "http://comfyui");
    const path = apiPath(url);
    const [, resource, name] = path.split("/");
    switch (`${req.method} /${resource}`) {
      case "GET /system_stats":
        return [200, systemStats()];
      case "GET /prompt":
        return [200, this.queueInfo()];
      case "POST /prompt":
        return this.postPrompt(await readJson(req));
      case "GET /queue":
        return [200, { queue_running: this.running ? [queueTuple(this.running)] : [], queue_pending: this.queue.map(queueTuple) }];
      case "POST /queue":
        return this.postQueue(await readJson(req));
      case "POST /interrupt":
        return this.postInterrupt(await readJson(req).catch(() => ({})));
      case "GET /history":
        return [200, name === undefined ? this.historyList(url.searchParams) : this.historyOf(decodeURIComponent(name))];
      case "GET /view":
        return this.view(url.searchParams);
      case "GET /object_info":
        if (name === undefined) return [200, Object.fromEntries(Object.entries(this.classes).map(([n, c]) => [n, nodeInfo(n, c)]))];
        const nodeClass = classOf(this.classes, decodeURIComponent(name));
        return [200, nodeClass ? { [decodeURIComponent(name)]: nodeInfo(decodeURIComponent(name), nodeClass) } : {}];
      default:
        return [404, Buffer.from("404: Not Found"), { "content-type": "text/plain; charset=utf-8" }];
    }
  }

  private postPrompt(json: unknown): [number, unknown] {
    if (!isRecord(json)) throw new PythonException("AttributeError", "'list' object has no attribute 'get'");
    let number: number;
    if ("number" in json) number = Number(json.number);
    else {
      number = json.front ? -this.number : this.number;
      this.number += 1;
    }
    if (!("prompt" in json)) return [400, { error: promptError("no_prompt", "No prompt provided", "No prompt provided"), node_errors: {} }];
    const promptId = "prompt_id" in json ? pyStr(json.prompt_id) : randomUUID();
    const received: ReceivedPrompt = { body: structuredClone(json), promptId, accepted: false };
    this.prompts.push(received);
    if (!isRecord(json.prompt)) throw new PythonException("TypeError", "list indices must be integers or slices, not str");
    const validation = validatePrompt(json.prompt, this.classes, json.partial_execution_targets);
    const extraData: Json = "extra_data" in json && isRecord(json.extra_data) ? json.extra_data : {};
    if ("client_id" in json) extraData.client_id = json.client_id;
    if (!validation.ok) return [400, { error: validation.error, node_errors: validation.nodeErrors }];
    received.accepted = true;
    this.queue.push({ number, promptId, prompt: json.prompt as QueueItem["prompt"], extraData, outputs: validation.outputs });
    this.queue.sort((a, b) => a.number - b.number);
    this.queueUpdated();
    void this.work();
    return [200, { prompt_id: promptId, number, node_errors: validation.nodeErrors }];
  }

  private postQueue(json: unknown): [number, null] {
    if (!isRecord(json)) throw new PythonException("TypeError", "argument of type 'list' is not iterable");
    if (json.clear) this.queue.splice(0);
    for (const id of Array.isArray(json.delete) ? json.delete : []) {
      this.deletedFromQueue.push(String(id));
      const index = this.queue.findIndex((item) => item.promptId === id);
      if (index >= 0) this.queue.splice(index, 1);
    }
    this.queueUpdated();
    return [200, null];
  }

  /** nodes.interrupt_processing(): a flag the running prompt sees before its next node or sampler step. */
  private postInterrupt(json: unknown): [number, null] {
    const promptId = isRecord(json) && json.prompt_id ? String(json.prompt_id) : null;
    this.interrupts.push(promptId);
    if (promptId === null || this.running?.promptId === promptId) this.interrupting = true;
    return [200, null];
  }

  private historyOf(promptId: string): Json {
    const entry = this.history.get(promptId);
    return entry ? { [promptId]: structuredClone(entry) } : {};
  }

  private historyList(query: URLSearchParams): Json {
    const entries = [...this.history.entries()];
    const maxItems = query.has("max_items") ? Number.parseInt(query.get("max_items")!, 10) : null;
    let offset = query.has("offset") ? Number.parseInt(query.get("offset")!, 10) : -1;
    if (offset < 0 && maxItems !== null) offset = entries.length - maxItems;
    return Object.fromEntries(entries.slice(Math.max(offset, 0), maxItems === null ? undefined : Math.max(offset, 0) + maxItems));
  }

  private view(query: URLSearchParams): [number, unknown, Record<string, string>?] {
    const filename = query.get("filename");
    if (filename === null) return [404, null];
    if (filename === "" || filename.startsWith("/") || filename.includes("..")) return [400, null];
    const type = query.get("type") ?? "output";
    if (!["output", "temp", "input"].includes(type)) return [400, null];
    const subfolder = posix.normalize(query.get("subfolder") ?? ".");
    if (subfolder.startsWith("/") || subfolder === ".." || subfolder.startsWith("../")) return [403, null];
    const name = posix.basename(filename);
    const file = this.files.get(`${type}:${posix.join(subfolder, name)}`);
    if (!file) return [404, null];
    return [200, file, { "content-type": "image/png", "content-disposition": `filename="${name}"` }];
  }

  /** main.py prompt_worker: one prompt at a time, in queue order. */
  private async work(): Promise<void> {
    if (this.running) return;
    for (let item = this.queue.shift(); item && !this.closed; item = this.queue.shift()) {
      this.running = item;
      this.queueUpdated();
      await this.execute(item);
    }
  }

  private async execute(item: QueueItem): Promise<void> {
    const promptId = item.promptId;
    const clientId = typeof item.extraData.client_id === "string" ? item.extraData.client_id : null;
    this.clientId = clientId;
    this.interrupting = false;
    const messages: [string, Json][] = [];
    const report = (event: string, data: Json, broadcast = false) => {
      const stamped = { ...data, timestamp: Date.now() };
      messages.push([event, stamped]);
      if (clientId !== null || broadcast) this.send(event, stamped, clientId);
    };
    report("execution_start", { prompt_id: promptId });
    report("execution_cached", { nodes: [], prompt_id: promptId });
    const outputs: Json = {};
    const meta: Json = {};
    const executed: string[] = [];
    let success = true;
    for (const nodeId of executionOrder(item)) {
      const node = item.prompt[nodeId]!;
      if (clientId !== null) {
        this.lastNodeId = nodeId;
        this.send("executing", { node: nodeId, display_node: nodeId, prompt_id: promptId }, clientId);
      }
      const result = await this.runNode(item, nodeId);
      if (this.closed) return;
      if (result.kind !== "done") {
        const ended = { prompt_id: promptId, node_id: nodeId, node_type: node.class_type, executed: [...executed] };
        if (result.kind === "interrupted") report("execution_interrupted", ended, true);
        else report("execution_error", { ...ended, exception_message: result.message, exception_type: result.exceptionType, traceback: [], current_inputs: {}, current_outputs: [] });
        success = false;
        break;
      }
      if (result.ui) {
        outputs[nodeId] = result.ui;
        meta[nodeId] = { node_id: nodeId, display_node: nodeId, parent_node: null, real_node_id: nodeId };
        if (clientId !== null) this.send("executed", { node: nodeId, display_node: nodeId, output: result.ui, prompt_id: promptId }, clientId);
      }
      executed.push(nodeId);
    }
    if (success) report("execution_success", { prompt_id: promptId });
    await sleep(this.knobs.historyLagMs);
    if (this.closed) return;
    this.history.set(promptId, {
      prompt: queueTuple(item),
      outputs,
      status: { status_str: success ? "success" : "error", completed: success, messages },
      meta,
    });
    this.running = null;
    this.lastNodeId = null;
    this.queueUpdated();
    if (clientId !== null) this.send("executing", { node: null, prompt_id: promptId }, clientId);
  }

  private async runNode(item: QueueItem, nodeId: string): Promise<NodeResult> {
    if (this.interrupting) return { kind: "interrupted" };
    const node = item.prompt[nodeId]!;
    const failure = this.knobs.failNode;
    if (failure?.classType === node.class_type) return { kind: "failed", exceptionType: failure.exceptionType, message: failure.message };
    if (node.class_type === "KSampler") return this.sample(item, nodeId);
    if (node.class_type === "SaveImage") return { kind: "done", ui: { images: this.saveImages(item, nodeId) } };
    return { kind: "done" };
  }

  /** The sampler's steps, each reported through main.py's progress hook, which is also where an interrupt lands. */
  private async sample(item: QueueItem, nodeId: string): Promise<NodeResult> {
    const steps = Number(item.prompt[nodeId]!.inputs.steps);
    for (let step = 1; step <= steps; step++) {
      await sleep(this.knobs.stepMs);
      if (this.closed) return { kind: "done" };
      if (this.interrupting) return { kind: "interrupted" };
      this.send("progress", { value: step, max: steps, prompt_id: item.promptId, node: nodeId }, this.clientId);
      if (this.knobs.dieAtStep === step) {
        void this.die();
        return { kind: "done" };
      }
    }
    return { kind: "done" };
  }

  /** SaveImage.save_images: <prefix>_<counter:05>_.png in output/, with the prompt and extra_pnginfo as tEXt. */
  private saveImages(item: QueueItem, nodeId: string) {
    const prefix = String(item.prompt[nodeId]!.inputs.filename_prefix);
    const { width, height, batch } = latentSize(item, nodeId);
    const extra = isRecord(item.extraData.extra_pnginfo) ? item.extraData.extra_pnginfo : {};
    const texts: [string, string][] = [["prompt", pythonJson(item.prompt)], ...Object.entries(extra).map(([key, value]): [string, string] => [key, pythonJson(value)])];
    const subfolder = posix.dirname(posix.normalize(prefix));
    return Array.from({ length: batch }, () => {
      const filename = `${posix.basename(prefix)}_${String(++this.savedCount).padStart(5, "0")}_.png`;
      this.files.set(`output:${posix.join(subfolder, filename)}`, pngWithText(width, height, texts));
      return { filename, subfolder: subfolder === "." ? "" : subfolder, type: "output" };
    });
  }
}

/** Outputs after what they depend on, each node once. */
function executionOrder(item: QueueItem): string[] {
  const order: string[] = [];
  const visit = (id: string) => {
    if (order.includes(id)) return;
    for (const value of Object.values(item.prompt[id]!.inputs)) if (Array.isArray(value)) visit(value[0] as string);
    order.push(id);
  };
  item.outputs.forEach(visit);
  return order;
}

/** The EmptyLatentImage upstream of a node: the decoded image is its size, floored to a multiple of 8. */
function latentSize(item: QueueItem, nodeId: string): { width: number; height: number; batch: number } {
  const latent = upstreamOf(item, nodeId, "EmptyLatentImage");
  if (!latent) return { width: 512, height: 512, batch: 1 };
  const { width, height, batch_size } = latent.inputs as { width: number; height: number; batch_size: number };
  return { width: Math.floor(width / 8) * 8, height: Math.floor(height / 8) * 8, batch: batch_size };
}

function upstreamOf(item: QueueItem, nodeId: string, classType: string): QueueItem["prompt"][string] | null {
  const node = item.prompt[nodeId]!;
  if (node.class_type === classType) return node;
  for (const value of Object.values(node.inputs)) {
    const found = Array.isArray(value) ? upstreamOf(item, value[0] as string, classType) : null;
    if (found) return found;
  }
  return null;
}

function pngWithText(width: number, height: number, texts: [keyword: string, text: string][]): Buffer {
  const plain = pngImage(width, height);
  const afterHeader = 8 + 25;
  const chunks = texts.map(([key, text]) => pngChunk("tEXt", Buffer.concat([Buffer.from(key, "latin1"), Buffer.from([0]), Buffer.from(text, "latin1")])));
  return Buffer.concat([plain.subarray(0, afterHeader), ...chunks, plain.subarray(afterHeader)]);
}

function systemStats() {
  return {
    system: {
      os: "posix",
      ram_total: 135_000_000_000,
      ram_free: 120_000_000_000,
      comfyui_version: COMFYUI_VERSION,
      required_frontend_version: "1.27.10",
      installed_templates_version: "0.1.95",
      required_templates_version: "0.1.95",
      python_version: "3.12.3 (main, Aug 14 2025, 17:47:21) [GCC 13.3.0]",
      pytorch_version: "2.8.0+cu128",
      embedded_python: false,
      argv: ["main.py", "--listen", "127.0.0.1"],
    },
    devices: [{ name: "cpu", type: "cpu", index: null, vram_total: 0, vram_free: 0, torch_vram_total: 0, torch_vram_free: 0 }],
  };
}

function apiPath(url: URL): string {
  return url.pathname.replace(/^\/api(?=\/)/, "");
}

/** aiohttp's request.json() */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new PythonException("json.decoder.JSONDecodeError", (error as Error).message);
  }
}
