import { z } from "zod";
import { adapterWeight } from "../generation/inputs.js";

export const MAX_PROMPTS = 20;
export const MAX_TRIALS_PER_PROMPT = 20;
/** sample i of a side is drawn with seed + i, so the seed leaves room for every trial */
export const MAX_AB_SEED = 2 ** 31 - 1 - MAX_TRIALS_PER_PROMPT;
export const AB_CHOICES = ["A", "B", "TIE"] as const;
export type AbChoiceValue = (typeof AB_CHOICES)[number];

/** The judge chose a displayed side; "A" is adapter A's sample exactly when it was shown first. */
export function inAdapterTerms(choice: AbChoiceValue, aShownFirst: boolean): AbChoiceValue {
  if (choice === "TIE" || aShownFirst) return choice;
  return choice === "A" ? "B" : "A";
}

const id = z.string().trim().min(1).max(200);

export const createAbTestInput = z
  .object({
    name: z.string().trim().min(1, "name must not be empty").max(100, "name must be at most 100 characters"),
    adapterAId: id,
    adapterBId: id.nullish().transform((value) => value ?? null),
    /** null: adapter A's own default weight */
    weightA: adapterWeight.nullish().transform((value) => value ?? null),
    /** null: adapter B's own default weight */
    weightB: adapterWeight.nullish().transform((value) => value ?? null),
    prompts: z
      .array(z.string().trim().min(1, "a prompt must not be empty").max(2000, "a prompt must be at most 2000 characters"))
      .min(1, `give 1 to ${MAX_PROMPTS} prompts`)
      .max(MAX_PROMPTS, `give 1 to ${MAX_PROMPTS} prompts`)
      .superRefine((prompts, ctx) => {
        prompts.forEach((prompt, index) => {
          if (prompts.indexOf(prompt) !== index) ctx.addIssue({ code: "custom", path: [index], message: `"${prompt}" is listed twice; raise trialsPerPrompt for more trials of it` });
        });
      }),
    trialsPerPrompt: z.number().int().min(1, `trialsPerPrompt must be between 1 and ${MAX_TRIALS_PER_PROMPT}`).max(MAX_TRIALS_PER_PROMPT, `trialsPerPrompt must be between 1 and ${MAX_TRIALS_PER_PROMPT}`),
    seed: z.number().int().min(0, `seed must be between 0 and ${MAX_AB_SEED}`).max(MAX_AB_SEED, `seed must be between 0 and ${MAX_AB_SEED}`).nullish(),
    durationSeconds: z.number().positive("durationSeconds must be positive").nullish(),
  })
  .refine((input) => input.adapterBId !== null || input.weightB === null, {
    path: ["weightB"],
    message: "weightB applies adapter B; leave it empty when side B is the base model",
  });
export type CreateAbTestInput = z.infer<typeof createAbTestInput>;

export const recordAbChoiceInput = z.object({ trialId: id, choice: z.enum(AB_CHOICES) });
