import { z } from "zod";
import type { BackendLora, ImageRequest } from "./backend.js";

/*
 * ComfyUI's API-format workflow (what "Export (API)" saves): node id → { class_type, inputs }, where an input is
 * either a widget value or a link [source node id, output index]. These functions fill one in for an ImageRequest
 * and touch no network; comfyui.ts sends the result.
 */

export type ImageFamily = "sd15" | "sdxl";
export type Link = [nodeId: string, outputIndex: number];

export interface WorkflowNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

export type Workflow = Record<string, WorkflowNode>;

/** A workflow the studio cannot fill in, or a request it cannot express in one. */
export class WorkflowError extends Error {
  override name = "WorkflowError";
}

/** The nodes the studio writes into, by id. */
export interface WorkflowAnchors {
  checkpoint: string;
  sampler: string;
  positive: string;
  negative: string;
  latent: string;
  saves: string[];
}

const workflowSchema = z.record(z.string(), z.looseObject({ class_type: z.string().min(1), inputs: z.record(z.string(), z.unknown()) }));

/** CheckpointLoaderSimple's outputs, in RETURN_TYPES order. */
const MODEL_OUTPUT = 0;
const CLIP_OUTPUT = 1;
const VAE_OUTPUT = 2;

const DEFAULTS: Record<ImageFamily, { checkpoint: string; size: number }> = {
  sd15: { checkpoint: "v1-5-pruned-emaonly.safetensors", size: 512 },
  sdxl: { checkpoint: "sd_xl_base_1.0.safetensors", size: 1024 },
};

export interface ComfySampler {
  sampler_name: string;
  scheduler: string;
}

/** AUTOMATIC1111's sampler names, which the studio speaks, as ComfyUI's KSampler sampler_name and scheduler. */
export const A1111_SAMPLERS: Readonly<Record<string, ComfySampler>> = {
  Euler: { sampler_name: "euler", scheduler: "normal" },
  "Euler a": { sampler_name: "euler_ancestral", scheduler: "normal" },
  Heun: { sampler_name: "heun", scheduler: "normal" },
  LMS: { sampler_name: "lms", scheduler: "normal" },
  "LMS Karras": { sampler_name: "lms", scheduler: "karras" },
  DPM2: { sampler_name: "dpm_2", scheduler: "normal" },
  "DPM2 Karras": { sampler_name: "dpm_2", scheduler: "karras" },
  "DPM2 a": { sampler_name: "dpm_2_ancestral", scheduler: "normal" },
  "DPM2 a Karras": { sampler_name: "dpm_2_ancestral", scheduler: "karras" },
  "DPM++ 2S a": { sampler_name: "dpmpp_2s_ancestral", scheduler: "normal" },
  "DPM++ 2S a Karras": { sampler_name: "dpmpp_2s_ancestral", scheduler: "karras" },
  "DPM++ 2M": { sampler_name: "dpmpp_2m", scheduler: "normal" },
  "DPM++ 2M Karras": { sampler_name: "dpmpp_2m", scheduler: "karras" },
  "DPM++ SDE": { sampler_name: "dpmpp_sde", scheduler: "normal" },
  "DPM++ SDE Karras": { sampler_name: "dpmpp_sde", scheduler: "karras" },
  "DPM++ 2M SDE": { sampler_name: "dpmpp_2m_sde", scheduler: "normal" },
  "DPM++ 2M SDE Karras": { sampler_name: "dpmpp_2m_sde", scheduler: "karras" },
  "DPM++ 2M SDE Exponential": { sampler_name: "dpmpp_2m_sde", scheduler: "exponential" },
  "DPM++ 2M SDE Heun": { sampler_name: "dpmpp_2m_sde_heun", scheduler: "normal" },
  "DPM++ 2M SDE Heun Karras": { sampler_name: "dpmpp_2m_sde_heun", scheduler: "karras" },
  "DPM++ 3M SDE": { sampler_name: "dpmpp_3m_sde", scheduler: "normal" },
  "DPM++ 3M SDE Karras": { sampler_name: "dpmpp_3m_sde", scheduler: "karras" },
  "DPM++ 3M SDE Exponential": { sampler_name: "dpmpp_3m_sde", scheduler: "exponential" },
  "DPM fast": { sampler_name: "dpm_fast", scheduler: "normal" },
  "DPM adaptive": { sampler_name: "dpm_adaptive", scheduler: "normal" },
  // A1111's DDIM steps through evenly spaced timesteps, which is ComfyUI's ddim_uniform schedule.
  DDIM: { sampler_name: "ddim", scheduler: "ddim_uniform" },
  UniPC: { sampler_name: "uni_pc", scheduler: "normal" },
  LCM: { sampler_name: "lcm", scheduler: "sgm_uniform" },
};

const SAMPLERS_BY_LOWER_NAME = new Map(Object.entries(A1111_SAMPLERS).map(([name, sampler]) => [name.toLowerCase(), sampler]));

export function comfySampler(name: string): ComfySampler {
  const sampler = SAMPLERS_BY_LOWER_NAME.get(name.trim().toLowerCase());
  if (!sampler) throw new WorkflowError(`sampler '${name}' has no ComfyUI equivalent here; use one of: ${Object.keys(A1111_SAMPLERS).join(", ")}`);
  return sampler;
}

/** The file a LoRA is placed in, in the backend's LoRA folder. */
export function loraFileName(name: string): string {
  return `${name}.safetensors`;
}

/** ComfyUI's default text-to-image graph (script_examples/basic_api_example.py), sized for the family. */
export function defaultWorkflow(family: ImageFamily): Workflow {
  const { checkpoint, size } = DEFAULTS[family];
  return {
    "3": {
      class_type: "KSampler",
      inputs: {
        seed: 0, steps: 20, cfg: 7, sampler_name: "euler", scheduler: "normal", denoise: 1,
        model: ["4", MODEL_OUTPUT], positive: ["6", 0], negative: ["7", 0], latent_image: ["5", 0],
      },
    },
    "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: checkpoint } },
    "5": { class_type: "EmptyLatentImage", inputs: { width: size, height: size, batch_size: 1 } },
    "6": { class_type: "CLIPTextEncode", inputs: { text: "", clip: ["4", CLIP_OUTPUT] } },
    "7": { class_type: "CLIPTextEncode", inputs: { text: "", clip: ["4", CLIP_OUTPUT] } },
    "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", VAE_OUTPUT] } },
    "9": { class_type: "SaveImage", inputs: { filename_prefix: "lora-studio", images: ["8", 0] } },
  };
}

/** Reads a configured workflow and refuses one the studio could not fill in, or whose links lead nowhere. */
export function checkWorkflow(value: unknown): Workflow {
  const parsed = workflowSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WorkflowError(`not an API-format ComfyUI workflow ("Export (API)"): at ${issue.path.join(".") || "the top"}: ${issue.message}`);
  }
  const workflow = parsed.data as Workflow;
  if (Object.keys(workflow).length === 0) throw new WorkflowError("the workflow has no nodes");
  checkLinks(workflow);
  workflowAnchors(workflow);
  return workflow;
}

function checkLinks(workflow: Workflow): void {
  for (const [id, node] of Object.entries(workflow)) {
    for (const [input, value] of Object.entries(node.inputs)) {
      if (!Array.isArray(value)) continue;
      const link = asLink(value);
      if (!link) throw new WorkflowError(`node ${id} (${node.class_type}): input '${input}' is a list but not a link [node id, output index]`);
      if (!nodeAt(workflow, link[0])) throw new WorkflowError(`node ${id} (${node.class_type}): input '${input}' links to node ${link[0]}, which is not in the workflow`);
    }
  }
}

function nodeAt(workflow: Workflow, id: string): WorkflowNode | undefined {
  return Object.hasOwn(workflow, id) ? workflow[id] : undefined;
}

function asLink(value: unknown): Link | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [nodeId, output] = value as unknown[];
  return typeof nodeId === "string" && Number.isInteger(output) && (output as number) >= 0 ? [nodeId, output as number] : null;
}

/** Finds the nodes the studio writes into; throws WorkflowError naming what is missing or ambiguous. */
export function workflowAnchors(workflow: Workflow): WorkflowAnchors {
  const sampler = onlyNode(workflow, "KSampler", "the studio sets its seed, steps, cfg and sampler");
  const positive = linkedNode(workflow, sampler, "positive", "CLIPTextEncode");
  const negative = linkedNode(workflow, sampler, "negative", "CLIPTextEncode");
  if (positive === negative) throw new WorkflowError(`KSampler ${sampler} takes its positive and negative prompts from the same CLIPTextEncode ${positive}; give each its own`);
  const saves = nodesOf(workflow, "SaveImage");
  if (saves.length === 0) throw new WorkflowError("the workflow has no SaveImage node: the studio downloads the images SaveImage writes");
  const checkpoint = onlyNode(workflow, "CheckpointLoaderSimple", "the studio chains LoRAs after it");
  for (const [output, name] of [[MODEL_OUTPUT, "MODEL"], [CLIP_OUTPUT, "CLIP"]] as const) {
    if (consumersOf(workflow, checkpoint, [output]).length === 0) {
      throw new WorkflowError(`nothing takes CheckpointLoaderSimple ${checkpoint}'s ${name}: LoRAs chained after it would change nothing`);
    }
  }
  return {
    checkpoint,
    sampler,
    positive,
    negative,
    latent: linkedNode(workflow, sampler, "latent_image", "EmptyLatentImage"),
    saves,
  };
}

function nodesOf(workflow: Workflow, classType: string): string[] {
  return Object.keys(workflow).filter((id) => workflow[id]!.class_type === classType);
}

function onlyNode(workflow: Workflow, classType: string, why: string): string {
  const ids = nodesOf(workflow, classType);
  if (ids.length !== 1) {
    const found = ids.length === 0 ? "has no" : `has ${ids.length} (${ids.join(", ")}) instead of one`;
    throw new WorkflowError(`the workflow ${found} ${classType} node: ${why}`);
  }
  return ids[0]!;
}

function linkedNode(workflow: Workflow, nodeId: string, input: string, classType: string): string {
  const node = workflow[nodeId]!;
  const link = asLink(node.inputs[input]);
  const source = link ? nodeAt(workflow, link[0]) : undefined;
  if (!link || source?.class_type !== classType) {
    const actual = link ? `comes from node ${link[0]}, class ${source?.class_type ?? "none: no such node"}` : "is not linked";
    throw new WorkflowError(`${node.class_type} ${nodeId}'s input ${input} must come from a node of class ${classType} (it ${actual})`);
  }
  return link[0];
}

/** The workflow with the request's prompts, seed, sampler, size and batch written into it (a copy). */
export function applyRequest(workflow: Workflow, request: ImageRequest): Workflow {
  const filled = structuredClone(workflow);
  const anchors = workflowAnchors(filled);
  const node = (id: string) => filled[id]!;
  Object.assign(node(anchors.sampler).inputs, { seed: request.seed, steps: request.steps, cfg: request.cfgScale, ...comfySampler(request.sampler) });
  Object.assign(node(anchors.latent).inputs, { width: request.width, height: request.height, batch_size: request.count });
  node(anchors.positive).inputs.text = request.prompt;
  node(anchors.negative).inputs.text = request.negativePrompt;
  if (request.checkpoint !== undefined) node(anchors.checkpoint).inputs.ckpt_name = request.checkpoint;
  return filled;
}

/**
 * The workflow with one LoraLoader per LoRA, in order, between the checkpoint loader and everything that took its
 * MODEL or CLIP (a copy): those consumers now take the last LoraLoader's outputs.
 */
export function chainLoras(workflow: Workflow, loras: readonly BackendLora[]): Workflow {
  const chained = structuredClone(workflow);
  if (loras.length === 0) return chained;
  const checkpoint = onlyNode(chained, "CheckpointLoaderSimple", "the studio chains LoRAs after it");
  const consumers = consumersOf(chained, checkpoint, [MODEL_OUTPUT, CLIP_OUTPUT]);
  let model: Link = [checkpoint, MODEL_OUTPUT];
  let clip: Link = [checkpoint, CLIP_OUTPUT];
  for (const lora of loras) {
    const id = freshId(chained);
    chained[id] = {
      class_type: "LoraLoader",
      inputs: { model, clip, lora_name: loraFileName(lora.name), strength_model: lora.weight, strength_clip: lora.weight },
      _meta: { title: `LoRA ${lora.name}` },
    };
    model = [id, MODEL_OUTPUT];
    clip = [id, CLIP_OUTPUT];
  }
  for (const { inputs, input, output } of consumers) inputs[input] = output === MODEL_OUTPUT ? model : clip;
  return chained;
}

function consumersOf(workflow: Workflow, source: string, outputs: number[]) {
  return Object.values(workflow).flatMap((node) =>
    Object.entries(node.inputs).flatMap(([input, value]) => {
      const link = asLink(value);
      return link && link[0] === source && outputs.includes(link[1]) ? [{ inputs: node.inputs, input, output: link[1] }] : [];
    }),
  );
}

function freshId(workflow: Workflow): string {
  const highest = Object.keys(workflow)
    .filter((id) => /^\d+$/.test(id))
    .reduce((max, id) => Math.max(max, Number(id)), 0);
  return String(highest + 1);
}
