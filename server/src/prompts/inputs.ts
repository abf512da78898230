import { z } from "zod";
import { adapterWeight } from "../adapters/inputs.js";

/** Long enough for any real prompt (A1111 chunks at 75 tokens, a few hundred words at most); bounds parsing work. */
export const MAX_PROMPT_CHARS = 10_000;
/** A generation or delivery applies at most this many adapters (DESIGN §1). */
export const MAX_PROMPT_ADAPTERS = 5;
export const MIN_ADAPTER_WEIGHT = 0;
export const MAX_ADAPTER_WEIGHT = 2;

const id = z.string().trim().min(1).max(200);

export const promptText = z.string().max(MAX_PROMPT_CHARS, `the prompt must be at most ${MAX_PROMPT_CHARS} characters`);

export const parsePromptInput = z.object({ prompt: promptText, baseModelId: id.nullish() });
export type ParsePromptInput = z.infer<typeof parsePromptInput>;

const promptPart = (what: string) =>
  z.string().max(MAX_PROMPT_CHARS, `${what} must be at most ${MAX_PROMPT_CHARS} characters`).nullish().transform((text) => text ?? "");
const flag = (fallback: boolean) => z.boolean().nullish().transform((value) => value ?? fallback);

export const composePromptInput = z.object({
  prefix: promptPart("prefix"),
  suffix: promptPart("suffix"),
  /** null: the active adapters, by ordinal then name */
  adapters: z.array(z.object({ adapterId: id, weight: adapterWeight.nullish() })).max(50, "at most 50 adapters").nullish(),
  includeTriggers: flag(true),
  includeActivationText: flag(false),
  baseModelId: id.nullish(),
});
export type ComposePromptInput = z.infer<typeof composePromptInput>;
