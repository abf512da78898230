#!/usr/bin/env node
// The two set-up commands of README.md: `npm start` (install, build, start) and `npm test`
// (install, check generated files, typecheck, every test). Only Node.js 20+ is assumed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = "10.34.9";
const mode = process.argv[2];

function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is needed; this is ${process.version}`);
}

/** pnpm on PATH if it is version 10, else the pinned version through npx (corepack cannot verify it offline). */
function pnpmCommand() {
  const found = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.startsWith("10.")) return ["pnpm"];
  return ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
}

const pnpm = pnpmCommand();

function run(args, env = {}) {
  const [command, ...rest] = [...pnpm, ...args];
  process.stdout.write(`\n▶ pnpm ${args.join(" ")}\n`);
  const result = spawnSync(command, rest, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) fail(`pnpm ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

function install() {
  run(["install", "--frozen-lockfile"]);
  run(["--filter", "@lora-studio/server", "exec", "prisma", "generate"]);
}

function findChromium() {
  const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

function start() {
  install();
  run(["build"]);
  process.stdout.write("\n▶ starting LoRA Studio (embedded database under ./data)\n");
  execFileSync(process.execPath, ["server/dist/main.js"], { cwd: root, stdio: "inherit" });
}

function test() {
  install();
  run(["check:generated"]);
  run(["typecheck"]);
  run(["--filter", "@lora-studio/client", "build"]);
  const chromium = findChromium();
  process.stdout.write(chromium
    ? `\nBrowser tests use Chromium at ${chromium}\n`
    : "\nNo Chromium found (CHROME_PATH, /usr/bin/chromium, ...): the browser tests will be SKIPPED. Install chromium to run them.\n");
  run(["vitest"], chromium ? { CHROME_PATH: chromium } : {});
}

checkNode();
if (mode === "start") start();
else if (mode === "test") test();
else fail("usage: node scripts/setup.mjs start|test");
