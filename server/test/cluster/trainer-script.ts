import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { peftAdapter } from "../fixtures.js";

/*
 * Trainers for the cluster tests: the scripted trainer of test/fixtures plays a script written here, so a test knows
 * every byte a run's log must hold.
 */

const SCRIPTED_TRAINER = fileURLToPath(new URL("../fixtures/scripted-trainer.mjs", import.meta.url));
/** an external base model, trained by the scripted trainers below */
export const SCRIPTED_BASE_MODEL = "tinyllama-1.1b";
/** trained by a script that prints a line and then waits for a minute */
export const STALLING_BASE_MODEL = "mistral-7b";

interface Write {
  fd: 1 | 3;
  base64: string;
  delayMs: number;
}

export interface Script {
  writes: Write[];
  outputFiles: Record<string, string>;
  exitCode: number;
}

/** `lines` lines of coloured progress on stdout, `delayMs` apart, each with a loss on fd 3; then a PEFT adapter. */
export function chattyScript(lines: number, delayMs: number): { script: Script; log: string } {
  const writes: Write[] = [];
  let log = "";
  for (let step = 1; step <= lines; step += 1) {
    const text = `\r\x1b[32mstep ${step}/${lines}\x1b[0m loss ${(2 / Math.sqrt(step)).toFixed(4)} ♪${step % 10 === 0 ? "\n" : ""}`;
    log += text;
    writes.push({ fd: 1, base64: Buffer.from(text).toString("base64"), delayMs });
    writes.push({ fd: 3, base64: Buffer.from(`${JSON.stringify({ step, loss: 2 / Math.sqrt(step) })}\n`).toString("base64"), delayMs: 0 });
  }
  const adapter = peftAdapter({ baseModel: "TinyLlama/TinyLlama-1.1B-Chat-v1.0", rank: 4, alpha: 8, seed: 5 });
  const outputFiles = { "adapter_config.json": Buffer.from(adapter.config).toString("base64"), "adapter_model.safetensors": Buffer.from(adapter.weights).toString("base64") };
  return { script: { writes, outputFiles, exitCode: 0 }, log };
}

const stallingScript: Script = { writes: [{ fd: 1, base64: Buffer.from("working\n").toString("base64"), delayMs: 0 }, { fd: 1, base64: "", delayMs: 60_000 }], outputFiles: {}, exitCode: 0 };

/** Writes the scripts to `dir` and returns TRAINERS for the replicas and the sidecars. */
export async function scriptedTrainers(dir: string, chatty: Script): Promise<string> {
  const paths = { chatty: join(dir, "chatty.json"), stalling: join(dir, "stalling.json") };
  await writeFile(paths.chatty, JSON.stringify(chatty));
  await writeFile(paths.stalling, JSON.stringify(stallingScript));
  return JSON.stringify([
    { name: "chatty", command: [process.execPath, SCRIPTED_TRAINER, "--script", paths.chatty], baseModels: [SCRIPTED_BASE_MODEL] },
    { name: "stalling", command: [process.execPath, SCRIPTED_TRAINER, "--script", paths.stalling], baseModels: [STALLING_BASE_MODEL] },
  ]);
}
