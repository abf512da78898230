import { z } from "zod";
import { adapterWeight, createGenerationJobInput, jobSeed, recordId } from "../generation/inputs.js";

/** the most jobs (adapters × weights × seeds) one grid runs */
export const MAX_GRID_CELLS = 100;

/** A list whose entries must differ, each repeat reported at its index. */
function distinct<T extends z.ZodType>(entry: T, key: (value: z.output<T>) => unknown, what: string) {
  return z
    .array(entry)
    .min(1, `give at least one ${what}`)
    .superRefine((values, ctx) => {
      const seen = new Set<unknown>();
      values.forEach((value, index) => {
        const identity = key(value);
        if (seen.has(identity)) ctx.addIssue({ code: "custom", path: [index], message: `${what} ${String(identity)} is listed twice; give each once` });
        seen.add(identity);
      });
    });
}

/** A job's input without its adapters and seed, which the grid's cells vary. */
export const createGenerationGridInput = createGenerationJobInput
  .omit({ adapters: true, seed: true })
  .extend({
    prompt: createGenerationJobInput.shape.prompt.refine(
      (prompt) => !prompt.includes("<lora:"),
      "a grid applies its adapters itself, one per cell; remove the <lora:…> tags from the prompt and list the adapters instead",
    ),
    adapters: distinct(z.object({ adapterId: recordId }), (entry) => entry.adapterId, "adapter"),
    weights: distinct(adapterWeight, (weight) => weight, "weight"),
    seeds: distinct(jobSeed, (seed) => seed, "seed"),
  })
  .superRefine(({ adapters, weights, seeds }, ctx) => {
    const cells = adapters.length * weights.length * seeds.length;
    if (cells <= MAX_GRID_CELLS) return;
    ctx.addIssue({
      code: "custom",
      message: `a grid runs at most ${MAX_GRID_CELLS} cells (adapters × weights × seeds); ${adapters.length} × ${weights.length} × ${seeds.length} = ${cells}: drop some weights or seeds`,
    });
  });
export type CreateGenerationGridInput = z.infer<typeof createGenerationGridInput>;
