import { z } from "zod";
import { imageSettingFields } from "../generation/inputs.js";
import { MAX_PROMPT_CHARS } from "../prompts/inputs.js";

export const DELIVERY_MODES = ["HTTP", "CLI", "SDNEXT"] as const;
export type DeliveryModeName = (typeof DELIVERY_MODES)[number];

const MAX_URL_CHARS = 2048;
export const MAX_TIMEOUT_SECONDS = 600;
const DEFAULT_TIMEOUT_SECONDS = 120;
const DEFAULT_MAX_ATTEMPTS = 3;

/** What txt2img needs and what SD.Next / A1111 default to when a field is left out. */
export const SDNEXT_DEFAULTS = { steps: 20, cfgScale: 7, sampler: "Euler a", width: 512, height: 512, seed: -1 } as const;

const generationParams = z.object({
  ...imageSettingFields,
  seed: z.number().int("seed must be a whole number").min(-1, "seed must be -1 (random) or more").nullish(),
});

export const createDeliveryInput = z
  .object({
    mode: z.enum(DELIVERY_MODES),
    url: z.string().trim().min(1).max(MAX_URL_CHARS, `the URL must be at most ${MAX_URL_CHARS} characters`).nullish(),
    command: z.string().trim().min(1).max(50).nullish(),
    prompt: z.string().max(MAX_PROMPT_CHARS, `the prompt must be at most ${MAX_PROMPT_CHARS} characters`).refine((p) => p.trim() !== "", "the prompt must not be empty"),
    params: generationParams.nullish(),
    timeoutSeconds: z.number().int().min(1, `timeoutSeconds must be 1–${MAX_TIMEOUT_SECONDS}`).max(MAX_TIMEOUT_SECONDS, `timeoutSeconds must be 1–${MAX_TIMEOUT_SECONDS}`).nullish(),
    maxAttempts: z.number().int().min(1, "maxAttempts must be 1–10").max(10, "maxAttempts must be 1–10").nullish(),
  })
  .superRefine((input, ctx) => {
    const needsUrl = input.mode !== "CLI";
    if (needsUrl && !input.url) ctx.addIssue({ code: "custom", path: ["url"], message: `${input.mode} deliveries need a url` });
    if (!needsUrl && input.url) ctx.addIssue({ code: "custom", path: ["url"], message: "a CLI delivery runs a configured command; leave url out" });
    if (!needsUrl && !input.command) ctx.addIssue({ code: "custom", path: ["command"], message: "a CLI delivery needs the name of a command template (DELIVERY_COMMANDS)" });
    if (needsUrl && input.command) ctx.addIssue({ code: "custom", path: ["command"], message: `${input.mode} deliveries post to their url; leave command out` });
    if (!needsUrl && input.timeoutSeconds != null) {
      ctx.addIssue({ code: "custom", path: ["timeoutSeconds"], message: "a CLI delivery runs within its command template's timeoutSeconds" });
    }
  });
export type CreateDeliveryInput = z.infer<typeof createDeliveryInput>;

export const DEFAULTS = { timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, maxAttempts: DEFAULT_MAX_ATTEMPTS };

/** The adapters a delivery's prompt names, as stored with it for provenance. */
const deliveryLora = z.object({
  name: z.string(),
  weight: z.number().nullable(),
  adapterId: z.string().nullable(),
  version: z.string().nullable(),
  autoV2: z.string().nullable(),
});

/** Delivery.params: fixed at creation, so every attempt sends the same thing. */
export const storedParams = z.object({
  negativePrompt: z.string().nullable(),
  steps: z.number().nullable(),
  cfgScale: z.number().nullable(),
  sampler: z.string().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  seed: z.number().nullable(),
  timeoutSeconds: z.number(),
  loraTokens: z.array(z.string()),
  loras: z.array(deliveryLora),
  loraHashes: z.string().nullable(),
});
export type StoredParams = z.infer<typeof storedParams>;
export type DeliveryLora = z.infer<typeof deliveryLora>;
