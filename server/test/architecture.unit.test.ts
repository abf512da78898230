import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2]!);
}

const files = sourceFiles(SRC).map((file) => ({ path: relative(SRC, file), imports: importsOf(file) }));
// onnx-proto only builds protobuf bytes and is allowed in ml/; the native runtime (onnxruntime-*) belongs in the workers.
const IO_MODULES = /^(node:(fs|net|http|https|child_process|worker_threads)|pg|@prisma|@electric-sql|graphql|graphql-yoga|@pothos|piscina|ws|onnxruntime)/;

const FILE_SYSTEM = /^(node:)?fs(\/promises)?$/;
/** What may use the file system, and for which files: none of them reaches a stored file but storage/. */
const FILE_SYSTEM_ALLOWED: Record<string, string> = {
  "storage/": "the storage implementation itself",
  "sidecar/": "a separate process with its own work directory; stored files reach it over HTTP",
  "trainer/": "a separate process working in the directory its sidecar gives it",
  "workers/": "threads reading and writing the local paths that FileArea.withLocalDir gives",
  "db/": "the PGlite directory and the migration SQL shipped with the code",
  "config/": "files the configuration names (ComfyUI workflows)",
  "inference/": "the base models' weights shipped with the code",
  "http/": "request bodies while they arrive (the upload spool) and the built dashboard",
  "adapters/staging.ts": "the user's files below IMPORT_ROOTS, copied into storage",
  "adapters/civitai-import.ts": "the user's directories below IMPORT_ROOTS",
  "generation/lora-placement.ts": "a generation backend's LoRA folder, outside DATA_DIR",
};

describe("dependency direction", () => {
  it.each(["formats/", "ml/", "stats/"])("keeps the pure core %s free of I/O, GraphQL, the database and the rest of the app", (folder) => {
    for (const file of files.filter((f) => f.path.startsWith(folder))) {
      for (const specifier of file.imports) {
        expect(IO_MODULES.test(specifier), `${file.path} imports ${specifier}`).toBe(false);
        // contracts/ are leaves (zod and nothing of ours): the cores may take their shapes and limits
        if (specifier.startsWith(".")) expect(/^\.\/|^\.\.\/contracts\//.test(specifier), `${file.path} imports ${specifier}`).toBe(true);
      }
    }
  });

  it("keeps services free of GraphQL: resolver -> service -> Prisma, never back", () => {
    for (const file of files.filter((f) => /\/(service|civitai-import)\.ts$/.test(f.path))) {
      const graphql = file.imports.filter((s) => /schema\/|types\.js$|^graphql|@pothos/.test(s));
      expect(graphql, file.path).toEqual([]);
    }
  });

  it("keeps contracts/ (what processes agree on) free of anything of ours", () => {
    for (const file of files.filter((f) => f.path.startsWith("contracts/"))) {
      expect(file.imports.filter((s) => s.startsWith("../")), file.path).toEqual([]);
    }
  });

  it("keeps the trainer on ml/, formats/, inference/ and contracts/ only: never the database, the schema or a domain", () => {
    for (const file of files.filter((f) => f.path.startsWith("trainer/"))) {
      const ours = file.imports.filter((s) => s.startsWith("../"));
      expect(ours.filter((s) => !/^\.\.\/(ml|formats|inference|contracts)\//.test(s)), file.path).toEqual([]);
      expect(file.imports.filter((s) => /^(@prisma|pg$|@electric-sql|graphql-yoga|@pothos)/.test(s)), file.path).toEqual([]);
    }
  });

  it("keeps the sidecar on ml/, formats/, config/, inference/, contracts/ and its generated client: it never touches the database or a domain", () => {
    for (const file of files.filter((f) => f.path.startsWith("sidecar/"))) {
      const ours = file.imports.filter((s) => s.startsWith("../"));
      expect(ours.filter((s) => !/^\.\.\/(ml|formats|config|inference|contracts)\//.test(s)), file.path).toEqual([]);
      expect(file.imports.filter((s) => /^(@prisma|pg$|@electric-sql|graphql-yoga|@pothos)/.test(s)), file.path).toEqual([]);
    }
  });

  it("keeps inference/ (the onnxruntime glue the trainer and the sidecar share) on ml/ and formats/ only", () => {
    for (const file of files.filter((f) => f.path.startsWith("inference/"))) {
      const ours = file.imports.filter((s) => s.startsWith("../"));
      expect(ours.filter((s) => !/^\.\.\/(ml|formats)\//.test(s)), file.path).toEqual([]);
      expect(file.imports.filter((s) => /^(@prisma|pg$|@electric-sql|graphql|@pothos|piscina)/.test(s)), file.path).toEqual([]);
    }
  });

  it("reaches stored files only through storage/: the file system only where this list says why", () => {
    const users = files.filter((file) => file.imports.some((specifier) => FILE_SYSTEM.test(specifier)));
    for (const file of users) {
      const allowed = Object.keys(FILE_SYSTEM_ALLOWED).some((prefix) => file.path.startsWith(prefix));
      expect(allowed, `${file.path} imports the file system; reach stored files through storage/ (Storage, FileArea) by key`).toBe(true);
    }
    const unused = Object.keys(FILE_SYSTEM_ALLOWED).filter((prefix) => !users.some((file) => file.path.startsWith(prefix)));
    expect(unused, "allowed without need: take them off the list").toEqual([]);
  });

  it("keeps infrastructure free of domain folders", () => {
    const infrastructure = /^(config|db|pubsub|storage|workers|errors|queue|auth|contracts)\//;
    const domains = /\/(api-keys|adapters|base-models|activity|datasets|training-config|experiments|runs|sidecar-registry|generation|generation-grids|prompts|deliveries|dashboard|evaluation|ab-tests|recommendations)\//;
    for (const file of files.filter((f) => infrastructure.test(f.path))) {
      expect(file.imports.filter((s) => domains.test(s)), file.path).toEqual([]);
    }
  });
});
