import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/*
 * The server package's other programs (the sidecar, the built-in trainer) as commands: the compiled
 * JavaScript in a build, the TypeScript source through tsx's loader when running from source.
 */

const isTypeScript = import.meta.url.endsWith(".ts");

export type EntryPoint = "sidecar/main" | "trainer/main";

export function entryPointCommand(entry: EntryPoint): string[] {
  const file = fileURLToPath(new URL(`../${entry}.${isTypeScript ? "ts" : "js"}`, import.meta.url));
  if (!isTypeScript) return [process.execPath, file];
  const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return [process.execPath, "--import", loader, file];
}
