import type { z } from "zod";
import { BadUserInputError } from "./domain-errors.js";

/** Parses input with zod; failures become one BAD_USER_INPUT error with a message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors = result.error.issues.map((issue) => ({ field: issue.path.join(".") || "input", message: issue.message }));
  throw new BadUserInputError(fieldErrors.map((e) => `${e.field}: ${e.message}`).join("; "), fieldErrors);
}
