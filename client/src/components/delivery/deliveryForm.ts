/** The new-delivery form: what each mode sends, and a delivery's attempts as its stored result tells them. */
import type { CreateDeliveryInput, DeliveryMode, DeliveryParamsInput, DeliveryStatus } from "../../gql/graphql";
import { asJsonObject } from "../../utils/json";

export const DELIVERY_MODES: readonly DeliveryMode[] = ["SDNEXT", "HTTP", "CLI"];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED"];

export const MODE_LABELS: Record<DeliveryMode, string> = { SDNEXT: "SD.Next / AUTOMATIC1111", HTTP: "HTTP webhook", CLI: "Command" };

/** What SD.Next's txt2img takes when a parameter is left empty, shown as placeholders. */
export const SDNEXT_DEFAULTS = { steps: 20, cfgScale: 7, sampler: "Euler a", width: 512, height: 512, seed: -1 } as const;

export interface DeliveryForm {
  mode: DeliveryMode;
  url: string;
  command: string | null;
  prompt: string;
  negativePrompt: string;
  steps: number | null;
  cfgScale: number | null;
  sampler: string;
  width: number | null;
  height: number | null;
  seed: number | null;
  timeoutSeconds: number | null;
  maxAttempts: number | null;
}

export function emptyDeliveryForm(): DeliveryForm {
  return {
    mode: "SDNEXT",
    url: "",
    command: null,
    prompt: "",
    negativePrompt: "",
    steps: null,
    cfgScale: null,
    sampler: "",
    width: null,
    height: null,
    seed: null,
    timeoutSeconds: null,
    maxAttempts: null,
  };
}

/** The parameters given; those left empty are the backend's defaults (SD.Next) or not sent (webhooks, commands). */
function givenParams(form: DeliveryForm): DeliveryParamsInput | null {
  const params: DeliveryParamsInput = {
    ...(form.negativePrompt.trim() ? { negativePrompt: form.negativePrompt.trim() } : {}),
    ...(form.sampler.trim() ? { sampler: form.sampler.trim() } : {}),
    ...Object.fromEntries((["steps", "cfgScale", "width", "height", "seed"] as const).flatMap((key) => (form[key] === null ? [] : [[key, form[key]]]))),
  };
  return Object.keys(params).length > 0 ? params : null;
}

/** The delivery to create: a URL for SD.Next and webhooks (with their timeout), a command template for commands. */
export function deliveryInput(form: DeliveryForm): CreateDeliveryInput {
  const params = givenParams(form);
  return {
    mode: form.mode,
    prompt: form.prompt.trim(),
    ...(form.mode === "CLI" ? { command: form.command } : { url: form.url.trim(), timeoutSeconds: form.timeoutSeconds }),
    ...(params ? { params } : {}),
    maxAttempts: form.maxAttempts,
  };
}

export function allowedHostsHint(hosts: readonly string[]): string {
  return hosts.length > 0
    ? `Allowed hosts: ${hosts.join(", ")}`
    : "No host is allowed yet: an operator lists the hosts deliveries may reach in DELIVERY_ALLOWED_HOSTS.";
}

export const isLiveDelivery = (status: DeliveryStatus) => status === "PENDING" || status === "RUNNING";

const PARAM_LABELS: Record<string, string> = {
  steps: "Steps",
  cfgScale: "CFG scale",
  sampler: "Sampler",
  width: "Width",
  height: "Height",
  seed: "Seed",
  negativePrompt: "Negative prompt",
  timeoutSeconds: "Timeout (s)",
};

/** The stored parameters a person set or the API defaulted, labelled; the LoRA provenance is shown on its own. */
export function paramFacts(params: unknown): { label: string; value: string }[] {
  const stored = asJsonObject(params) ?? {};
  return Object.entries(PARAM_LABELS).flatMap(([key, label]) => {
    const value = stored[key];
    return typeof value === "number" || (typeof value === "string" && value !== "") ? [{ label, value: String(value) }] : [];
  });
}

/** DELIVERY_COMMANDS as the README shows it, for the hint shown while none is configured. */
export const COMMAND_TEMPLATES_EXAMPLE =
  'DELIVERY_COMMANDS=\'[{"name": "gen", "command": ["/opt/gen", "--prompt={prompt}", "--", "{negative_prompt}"], "timeoutSeconds": 60}]\'';
