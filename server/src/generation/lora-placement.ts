import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/*
 * A job's adapters in a generation backend's LoRA folder: each copied in under its database id before the job and
 * removed after it, whatever its end, so the folder holds only what a running job uses. The folder is the backend's,
 * outside storage: the weights are read from storage and written there.
 */

/** The name a backend knows a placed adapter by: its file's stem, and what a prompt's <lora:…> tag calls it. */
export function placedLoraName(adapterId: string): string {
  return `lora_${adapterId}`;
}

function placedPath(loraDir: string, adapterId: string): string {
  return join(loraDir, `${placedLoraName(adapterId)}.safetensors`);
}

/** Copies each adapter's weights (opened by `read` when their turn comes) into the folder. */
export async function placeLoras(loraDir: string, adapters: readonly { id: string; read: () => Readable }[]): Promise<void> {
  for (const adapter of adapters) await pipeline(adapter.read(), createWriteStream(placedPath(loraDir, adapter.id)));
}

/** Removes the adapters' placed files; those never placed (or already gone) are no error. */
export async function removeLoras(loraDir: string, adapterIds: readonly string[]): Promise<void> {
  await Promise.all(adapterIds.map((id) => rm(placedPath(loraDir, id), { force: true })));
}
