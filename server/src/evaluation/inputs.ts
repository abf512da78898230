import { z } from "zod";

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 5;

const id = z.string().trim().min(1).max(200);

export const compareAdaptersInput = z.object({
  ids: z
    .array(id)
    .min(COMPARE_MIN, `choose at least ${COMPARE_MIN} adapters to compare`)
    .max(COMPARE_MAX, `compare at most ${COMPARE_MAX} adapters at once`)
    .refine((ids) => new Set(ids).size === ids.length, "each adapter may be chosen once"),
});
