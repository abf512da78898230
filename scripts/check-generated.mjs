#!/usr/bin/env node
// Regenerates schema.graphql and the typed documents of the client and the sidecar and fails when the committed
// files differ: generated code must be committed together with the change that causes it.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const GENERATED = ["schema.graphql", "client/src/gql", "server/src/sidecar/gql"];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

function fingerprint() {
  return Object.fromEntries(GENERATED.flatMap((p) => files(join(root, p))).map((file) => [relative(root, file), createHash("sha256").update(readFileSync(file)).digest("hex")]));
}

const before = fingerprint();
execFileSync(process.execPath, ["--import", "tsx", "scripts/print-schema.ts"], { cwd: join(root, "server"), stdio: "inherit" });
execFileSync("graphql-codegen", ["--config", "codegen.ts"], { cwd: root, stdio: "inherit" });
const after = fingerprint();
const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((file) => before[file] !== after[file]);
if (changed.length) {
  process.stderr.write(`\n✖ generated files were stale (now regenerated; commit them):\n${changed.map((f) => `  ${f}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write("generated files are up to date\n");
