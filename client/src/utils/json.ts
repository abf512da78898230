export type JsonObject = Record<string, unknown>;

/** The value as a plain JSON object, or null for null, arrays and scalars. */
export function asJsonObject(value: unknown): JsonObject | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : null;
}
