import { z } from "zod";

/** A variable holding JSON: parsed, then read by `schema`; text that is not JSON is refused saying what it must be. */
export function jsonEnv<T extends z.ZodType>(expected: string, schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `must be ${expected}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
