import { BadUserInputError } from "../errors/domain-errors.js";
import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";

export class PathOutsideRootsError extends Error {}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Resolves a user-given path and proves it stays below one of the allowed roots, after
 * following symlinks (a link inside a root that points outside it is refused).
 */
export async function resolveBelowRoots(input: string, roots: string[]): Promise<string> {
  if (input.includes("\0")) throw new PathOutsideRootsError("path contains a NUL byte");
  const candidate = resolve(input);
  const lexicalRoot = roots.find((root) => isInside(root, candidate));
  // the roots themselves are the server's business, never named to a caller
  if (!lexicalRoot) throw new PathOutsideRootsError(`${input} is outside the allowed import directories`);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    throw new PathOutsideRootsError(`${input} does not exist`);
  }
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => root)));
  if (!realRoots.some((root) => isInside(root, real))) {
    throw new PathOutsideRootsError(`${input} resolves (through a symbolic link) to a place outside the allowed import directories`);
  }
  return real;
}

/** resolveBelowRoots for a path a user gave in `field`: a refusal is that field's BAD_USER_INPUT. */
export function resolveUserPath(input: string, roots: string[], field: string): Promise<string> {
  return resolveBelowRoots(input, roots).catch((error: unknown) => {
    if (error instanceof PathOutsideRootsError) throw BadUserInputError.forField(field, error.message);
    throw error;
  });
}

export async function isRegularFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}
