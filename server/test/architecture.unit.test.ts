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

  it("keeps infrastructure free of domain folders", () => {
    const infrastructure = /^(config|db|pubsub|storage|workers|errors|queue|auth|contracts)\//;
    const domains = /\/(api-keys|adapters|base-models|activity|datasets|training-config|experiments|runs|sidecar-registry|generation|generation-grids|prompts|deliveries|dashboard|evaluation|ab-tests|recommendations)\//;
    for (const file of files.filter((f) => infrastructure.test(f.path))) {
      expect(file.imports.filter((s) => domains.test(s)), file.path).toEqual([]);
    }
  });
});
