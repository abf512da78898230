// A trainer that writes numbered lines of 96 bytes to stdout for `--seconds` (default 3), as fast as it can or at
// `--mb-per-second`, then a last line saying how many it wrote, and exits 0 without an adapter.
// Usage: flood-trainer.mjs --seconds 3 [--mb-per-second 20] [--config ... --dataset ... --output ...]
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const seconds = option("--seconds", 3);
const bytesPerMs = (option("--mb-per-second", Infinity) * 1024 * 1024) / 1000;
const LINES_PER_WRITE = 1000;
const padding = "x".repeat(80);

const started = Date.now();
const deadline = started + seconds * 1000;
let lines = 0;
let written = 0;
while (Date.now() < deadline) {
  let block = "";
  for (let i = 0; i < LINES_PER_WRITE; i += 1) block += `line ${String(lines++).padStart(9, "0")} ${padding}\n`;
  // As a trainer blocked on its write: nothing more until the sidecar reads.
  if (!process.stdout.write(block)) await once(process.stdout, "drain");
  written += block.length;
  const ahead = started + written / bytesPerMs - Date.now();
  if (ahead > 0) await sleep(ahead);
}
process.stdout.write(`flood done after ${lines} lines\n`);
