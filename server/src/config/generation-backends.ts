import { readFileSync, statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { z } from "zod";
import { checkTarget, type AllowedHost } from "./deliveries.js";
import { jsonEnv } from "./json-env.js";

/*
 * The image generators the API drives itself (GENERATION_BACKENDS): AUTOMATIC1111 / SD.Next (`a1111`, the same
 * /sdapi/v1 API) or ComfyUI (`comfyui`), each serving some image base models. Before a job the studio places the
 * chosen adapters' files in the backend's loraDir; its URL must be allowed as deliveries' are (DELIVERY_ALLOWED_HOSTS).
 */

export const BACKEND_KINDS = ["a1111", "comfyui"] as const;

/** What a job on the backend uses where it asks for nothing else; width and height default to the base model's resolution. */
const imageDefaults = z
  .object({
    steps: z.number().int().min(1).max(150).default(20),
    sampler: z.string().trim().min(1).max(100).default("Euler a"),
    cfgScale: z.number().min(1).max(30).default(7),
    width: z.number().int().min(64).max(2048).multipleOf(8).optional(),
    height: z.number().int().min(64).max(2048).multipleOf(8).optional(),
  })
  .strict();

const absoluteDirectory = z
  .string()
  .refine(isAbsolute, "must be an absolute directory path")
  .refine((path) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true, "is not an existing directory");

/** An API-format workflow file ("Export (API)"), read at start; comfyui.ts checks that the studio can fill it in. */
const workflowFile = z
  .string()
  .refine(isAbsolute, "must be an absolute file path")
  .transform((path, ctx) => {
    try {
      return { path, graph: JSON.parse(readFileSync(path, "utf8")) as unknown };
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `cannot be read as JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
  });

const generationBackend = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, "name: lower-case letters, digits, - and _, at most 50"),
    kind: z.enum(BACKEND_KINDS),
    url: z.url({ protocol: /^https?$/ }),
    baseModels: z.array(z.string().min(1).max(200)).min(1, "baseModels: at least one image base model id, such as sd15"),
    loraDir: absoluteDirectory,
    checkpoint: z.string().min(1).max(500).optional(),
    workflow: workflowFile.optional(),
    defaults: imageDefaults.default({ steps: 20, sampler: "Euler a", cfgScale: 7 }),
  })
  .strict()
  .refine((backend) => backend.kind === "comfyui" || backend.workflow === undefined, { path: ["workflow"], message: "only a comfyui backend runs a workflow" });

export type GenerationBackendConfig = z.infer<typeof generationBackend>;
export type ImageDefaults = GenerationBackendConfig["defaults"];

export const generationBackends = jsonEnv("a JSON array of {name, kind, url, baseModels, loraDir}", z.array(generationBackend).max(50)).refine(
  (list) => new Set(list.map((backend) => backend.name)).size === list.length,
  "backend names must be unique",
);

/** One line per backend whose URL the allow-list does not let the studio reach. */
export function unreachableBackends(backends: GenerationBackendConfig[], allowed: AllowedHost[]): string[] {
  return backends.flatMap((backend) => {
    const check = checkTarget(backend.url, allowed);
    return check.ok ? [] : [`GENERATION_BACKENDS: backend '${backend.name}': ${check.message}; backends are reached only on the hosts DELIVERY_ALLOWED_HOSTS lists`];
  });
}
