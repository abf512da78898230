import { BASE_MODEL_CATALOGUE } from "../../base-models/catalogue.js";
import { invalidConfiguration } from "../../config/config.js";
import type { GenerationBackendConfig } from "../../config/generation-backends.js";
import { createA1111Client } from "./a1111.js";
import { DEFAULT_BACKEND_TIMEOUTS, type BackendTimeouts, type ImageBackendClient } from "./backend.js";
import { createComfyUiClient } from "./comfyui.js";
import { checkWorkflow, defaultWorkflow, WorkflowError, type ImageFamily } from "./comfyui-workflow.js";

/*
 * The configured generation backends with their clients, made once at start: what the configuration cannot say on its
 * own (a workflow the studio cannot fill in, a base model that is no image model) fails the start as a configuration error.
 */

export interface ImageBackend {
  config: GenerationBackendConfig;
  /** the client for jobs on this base model (a ComfyUI backend's default workflow depends on it) */
  clientFor(baseModelId: string): ImageBackendClient;
}

/** Catalogue fingerprints whose models ComfyUI's default text-to-image graph serves. */
const DEFAULT_WORKFLOW_FAMILIES: Readonly<Record<string, ImageFamily>> = { "stable-diffusion-1": "sd15", "stable-diffusion-xl": "sdxl" };

export function createImageBackends(configs: GenerationBackendConfig[], timeouts: BackendTimeouts = DEFAULT_BACKEND_TIMEOUTS): ImageBackend[] {
  const problems = configs.flatMap(configProblems);
  if (problems.length > 0) throw invalidConfiguration(problems.map((problem) => `GENERATION_BACKENDS: ${problem}`));
  return configs.map((config) => imageBackend(config, timeouts));
}

function imageBackend(config: GenerationBackendConfig, timeouts: BackendTimeouts): ImageBackend {
  const options = { url: config.url, checkpoint: config.checkpoint, timeouts };
  if (config.kind === "a1111") {
    const client = createA1111Client(options);
    return { config, clientFor: () => client };
  }
  const clients = new Map(config.baseModels.map((id) => [id, createComfyUiClient({ ...options, workflow: config.workflow?.graph ?? defaultWorkflow(familyOf(id)!) })]));
  return { config, clientFor: (id) => clients.get(id)! };
}

function configProblems(config: GenerationBackendConfig): string[] {
  const backend = `backend '${config.name}'`;
  const notImage = config.baseModels.filter((id) => (catalogued(id)?.modality ?? "IMAGE") !== "IMAGE");
  const problems = notImage.map((id) => `${backend}: base model '${id}' makes no images; list image base models such as sd15 or sdxl`);
  if (config.kind !== "comfyui") return problems;
  if (config.workflow) {
    try {
      checkWorkflow(config.workflow.graph);
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      problems.push(`${backend}: workflow ${config.workflow.path}: ${error.message}`);
    }
    return problems;
  }
  const withoutDefault = config.baseModels.filter((id) => familyOf(id) === null);
  if (withoutDefault.length > 0) {
    problems.push(`${backend}: no built-in ComfyUI workflow serves ${withoutDefault.join(", ")} (only SD 1.5 and SDXL models); give the backend a workflow file`);
  }
  return problems;
}

const catalogued = (id: string) => BASE_MODEL_CATALOGUE.find((entry) => entry.id === id);

function familyOf(baseModelId: string): ImageFamily | null {
  return DEFAULT_WORKFLOW_FAMILIES[catalogued(baseModelId)?.fingerprint ?? ""] ?? null;
}
