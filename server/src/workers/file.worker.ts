import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { FormatError } from "../formats/errors.js";
import { describeLora, describePicklePeft } from "../formats/lora.js";
import { parseSafetensorsHeader, readHeaderLength } from "../formats/safetensors.js";
import { workerTask, type FileDigest, type InspectAdapterResult, type WorkerTask } from "./tasks.js";

const HASH_CHUNK = 4 * 1024 * 1024;

async function hashFile(path: string): Promise<FileDigest> {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: HASH_CHUNK })) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sizeBytes, sha256: hash.digest("hex") };
}

/** Reads only the safetensors header: the 8-byte length and the JSON after it. */
async function readSafetensorsHeader(path: string) {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const first8 = Buffer.alloc(8);
    await file.read(first8, 0, Math.min(8, size), 0);
    const headerLength = readHeaderLength(size < 8 ? first8.subarray(0, size) : first8, size);
    const headerBytes = Buffer.alloc(headerLength);
    await file.read(headerBytes, 0, headerLength, 8);
    return parseSafetensorsHeader(headerBytes, size);
  } finally {
    await file.close();
  }
}

/** Pickled weights are never opened: everything known about them comes from adapter_config.json. */
async function describeWeights(weightsPath: string, peftConfigText: string | undefined) {
  if (!weightsPath.endsWith(".bin")) return describeLora(await readSafetensorsHeader(weightsPath), peftConfigText);
  if (peftConfigText === undefined) throw new FormatError("pickled weights (.bin) are only accepted as a PEFT adapter, beside its adapter_config.json");
  return describePicklePeft(peftConfigText);
}

async function inspectAdapter(weightsPath: string, peftConfigPath?: string): Promise<InspectAdapterResult> {
  try {
    const peftConfigText = peftConfigPath ? await readFile(peftConfigPath, "utf8") : undefined;
    const lora = await describeWeights(weightsPath, peftConfigText);
    const [weights, peftDigest] = await Promise.all([hashFile(weightsPath), peftConfigPath ? hashFile(peftConfigPath) : null]);
    return {
      ok: true,
      weights,
      peftConfig: peftDigest && peftConfigText !== undefined ? { ...peftDigest, text: peftConfigText } : null,
      lora,
    };
  } catch (error) {
    if (error instanceof FormatError) return { ok: false, message: error.message };
    throw error;
  }
}

export default async function run(task: WorkerTask): Promise<unknown> {
  const parsed = workerTask.parse(task);
  switch (parsed.kind) {
    case "hashFile":
      return hashFile(parsed.path);
    case "inspectAdapter":
      return inspectAdapter(parsed.weightsPath, parsed.peftConfigPath);
  }
}
