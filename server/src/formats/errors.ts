/** A user-supplied file or document that is not what it claims to be. */
export class FormatError extends Error {
  readonly code = "BAD_USER_INPUT" as const;
  override readonly name = "FormatError";
}

const MAX_QUOTED_CHARS = 120;

/** Quotes a name taken from a file for an error message, shortening hostile multi-megabyte names. */
export function quoteName(name: string): string {
  const shown = name.length > MAX_QUOTED_CHARS ? `${name.slice(0, MAX_QUOTED_CHARS)}…` : name;
  return JSON.stringify(shown);
}
