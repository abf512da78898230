import { copyFile, rm } from "node:fs/promises";
import { join } from "node:path";

/*
 * A job's adapters in a generation backend's LoRA folder: each copied in under its database id before the job and
 * removed after it, whatever its end, so the folder holds only what a running job uses.
 */

/** The name a backend knows a placed adapter by: its file's stem, and what a prompt's <lora:…> tag calls it. */
export function placedLoraName(adapterId: string): string {
  return `lora_${adapterId}`;
}

function placedPath(loraDir: string, adapterId: string): string {
  return join(loraDir, `${placedLoraName(adapterId)}.safetensors`);
}

/** Copies each adapter's weights file (`source`) into the folder. */
export async function placeLoras(loraDir: string, adapters: readonly { id: string; source: string }[]): Promise<void> {
  for (const adapter of adapters) await copyFile(adapter.source, placedPath(loraDir, adapter.id));
}

/** Removes the adapters' placed files; those never placed (or already gone) are no error. */
export async function removeLoras(loraDir: string, adapterIds: readonly string[]): Promise<void> {
  await Promise.all(adapterIds.map((id) => rm(placedPath(loraDir, id), { force: true })));
}
