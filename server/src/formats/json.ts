import { FormatError } from "./errors.js";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * JSON.parse that reports bad input as a FormatError naming the document (`what`). A string holding U+0000 is refused
 * too: PostgreSQL stores it in neither text nor jsonb.
 */
export function parseJson(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FormatError(`${what} is not valid JSON: ${reason}`);
  }
  const nul = nulCharacterPath(value);
  if (nul) throw new FormatError(`${what}: ${nul.length > 0 ? `${nul.join(".")} ` : ""}holds a NUL character (\\u0000), which cannot be stored`);
  return value;
}

type PathSegment = string | number;

function isPlainContainer(value: unknown): value is JsonObject | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A value met on the walk, linked to its container so that only the path of a find is ever built. */
interface Visit {
  value: unknown;
  segment: PathSegment;
  container: Visit | null;
}

function pathOf(visit: Visit | null): PathSegment[] {
  const path: PathSegment[] = [];
  for (let at = visit; at?.container; at = at.container) path.push(at.segment);
  return path.reverse();
}

/**
 * Where a string or object key holding U+0000 sits in a value made of plain objects, arrays and scalars: its path,
 * [] for the value itself, or null when there is none. Other objects are looked into only as `textOf` shows them
 * (a plain object or a string, e.g. an uploaded file's name). Iterative and linear, so nesting of any depth is walked
 * without growing the stack.
 */
export function nulCharacterPath(value: unknown, textOf?: (object: object) => JsonObject | string | undefined): PathSegment[] | null {
  const pending: Visit[] = [{ value, segment: "", container: null }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    if (typeof visit.value === "string") {
      if (visit.value.includes("\0")) return pathOf(visit);
      continue;
    }
    if (!isPlainContainer(visit.value)) {
      const shown = typeof visit.value === "object" && visit.value !== null ? textOf?.(visit.value) : undefined;
      if (shown !== undefined) pending.push({ ...visit, value: shown });
      continue;
    }
    const isArray = Array.isArray(visit.value);
    for (const [key, item] of Object.entries(visit.value)) {
      if (key.includes("\0")) return [...pathOf(visit), key.replaceAll("\0", "\\u0000")];
      pending.push({ value: item, segment: isArray ? Number(key) : key, container: visit });
    }
  }
  return null;
}

/** Drops null and undefined values, so a record only lists what is known. */
export function withoutMissing(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== null && value !== undefined));
}
