// Validation + sha256 of a 200 MB safetensors file in the worker pool, beside `sha256sum`.
// Usage: pnpm bench:hash   (BENCH_FILE_MB to change the size)
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { once } from "node:events";
import { createWorkerPool } from "../server/src/workers/pool.js";

const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 200);
const RUNS = 3;

/** A valid kohya-style LoRA of about FILE_MB, streamed to disk so the bench itself stays small in memory. */
async function writeLargeLora(path: string): Promise<number> {
  const rank = 64;
  const width = Math.floor((FILE_MB * 1024 * 1024) / 2 / 4 / rank / 2);
  const modules = 2;
  const perTensor = rank * width * 4;
  const names = Array.from({ length: modules }, (_, m) => `lora_unet_block_${m}_proj`);
  const tensors = names.flatMap((n) => [
    { name: `${n}.lora_down.weight`, dtype: "F32", shape: [rank, width] },
    { name: `${n}.lora_up.weight`, dtype: "F32", shape: [width, rank] },
  ]);
  const header: Record<string, unknown> = { __metadata__: { ss_network_dim: String(rank), ss_network_alpha: String(rank / 2), ss_base_model_version: "sd_v1" } };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + perTensor] };
    offset += perTensor;
  }
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  const out = createWriteStream(path);
  out.write(prefix);
  out.write(json);
  const chunk = Buffer.alloc(4 * 1024 * 1024, 7);
  for (let written = 0; written < offset; written += chunk.length) {
    if (!out.write(chunk.subarray(0, Math.min(chunk.length, offset - written)))) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return 8 + json.length + offset;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lora-bench-"));
  const pool = createWorkerPool(1);
  try {
    const path = join(dir, "large.safetensors");
    const bytes = await writeLargeLora(path);
    const ours: number[] = [];
    const coreutils: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      const result = await pool.inspectAdapter({ weightsPath: path });
      ours.push(performance.now() - t0);
      if (!result.ok) throw new Error(result.message);
      t0 = performance.now();
      const sum = execFileSync("sha256sum", [path], { encoding: "utf8" }).split(" ")[0];
      coreutils.push(performance.now() - t0);
      if (sum !== result.weights.sha256) throw new Error("sha256 differs from sha256sum");
    }
    const mb = bytes / 1024 / 1024;
    process.stdout.write(`${JSON.stringify({
      benchmark: "validate + sha256 in the worker pool vs sha256sum",
      fileMB: +mb.toFixed(1), runs: RUNS,
      oursMs: Math.round(median(ours)), oursMBps: +(mb / (median(ours) / 1000)).toFixed(1),
      sha256sumMs: Math.round(median(coreutils)), sha256sumMBps: +(mb / (median(coreutils) / 1000)).toFixed(1),
      ratio: +(median(ours) / median(coreutils)).toFixed(2),
    })}\n`);
  } finally {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
