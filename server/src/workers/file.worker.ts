import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, writeFile } from "node:fs/promises";
import { FormatError } from "../formats/errors.js";
import { describeLora, describePicklePeft } from "../formats/lora.js";
import { assembleSignature, decodeFloats, projectionModules, sketchUpdate } from "../formats/lora-projection.js";
import { encodeMelodyMidi } from "../formats/midi-file.js";
import { parseSafetensorsHeader, readHeaderLength, type TensorInfo } from "../formats/safetensors.js";
import { encodeWav } from "../formats/wav.js";
import { TEMPO_BPM } from "../ml/melody.js";
import { renderMelody } from "../ml/synth.js";
import { downsampleSeries } from "./downsample.js";
import {
  workerTask, type AdapterSignatureResult, type AdapterSignatureTask, type FileDigest, type InspectAdapterResult, type RenderSampleResult, type RenderSampleTask,
  type WorkerTask,
} from "./tasks.js";
import { movedWith, movedWithSeries } from "./transfer.js";

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

type FileHandle = Awaited<ReturnType<typeof open>>;

async function headerOf(file: FileHandle) {
  const { size } = await file.stat();
  const first8 = Buffer.alloc(8);
  await file.read(first8, 0, Math.min(8, size), 0);
  const headerLength = readHeaderLength(size < 8 ? first8.subarray(0, size) : first8, size);
  const headerBytes = Buffer.alloc(headerLength);
  await file.read(headerBytes, 0, headerLength, 8);
  return parseSafetensorsHeader(headerBytes, size);
}

/** Reads only the safetensors header: the 8-byte length and the JSON after it. */
async function readSafetensorsHeader(path: string) {
  const file = await open(path, "r");
  try {
    return await headerOf(file);
  } finally {
    await file.close();
  }
}

/** One module's factors at a time, so a large adapter never sits in memory whole. */
async function adapterSignature({ weightsPath, alpha, useRslora }: AdapterSignatureTask): Promise<AdapterSignatureResult> {
  const file = await open(weightsPath, "r");
  try {
    const header = await headerOf(file);
    const readTensor = async (tensor: TensorInfo) => {
      const [start, end] = tensor.dataOffsets;
      const bytes = Buffer.alloc(end - start);
      await file.read(bytes, 0, bytes.length, header.dataStart + start);
      return decodeFloats(tensor, bytes);
    };
    const modules = projectionModules(header);
    if (modules.length === 0) return { ok: false, message: "the weights hold no LoRA module" };
    const sketches = [];
    for (const module of modules) {
      const moduleAlpha = module.alpha ? (await readTensor(module.alpha))[0]! : alpha;
      const scale = moduleAlpha / (useRslora && !module.alpha ? Math.sqrt(module.rank) : module.rank);
      const [a, b] = [await readTensor(module.down), await readTensor(module.up)];
      sketches.push({ name: module.name, sketch: sketchUpdate({ rank: module.rank, out: module.out, in: module.in, a, b, scale }) });
    }
    const projection = assembleSignature(sketches);
    return { ok: true, projection, modules: modules.map((m) => m.name) };
  } catch (error) {
    if (error instanceof FormatError || error instanceof RangeError) return { ok: false, message: error.message };
    throw error;
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

/** One file after the other, so that a failed write leaves nothing being written behind it. */
async function renderSample({ melody, sampleRate, trackName, audioPath, midiPath }: RenderSampleTask): Promise<RenderSampleResult> {
  try {
    await writeFile(audioPath, encodeWav(renderMelody(melody, { sampleRate }), sampleRate));
    await writeFile(midiPath, encodeMelodyMidi(melody, { bpm: TEMPO_BPM, name: trackName }));
    return { ok: true };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (typeof code === "string") return { ok: false, code, message };
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
    case "adapterSignature": {
      const result = await adapterSignature(parsed);
      return result.ok ? movedWith(result, [result.projection.buffer]) : result;
    }
    case "renderSample":
      return renderSample(parsed);
    case "downsample": {
      const downsampled = downsampleSeries(parsed.series, parsed.maxPoints);
      return movedWithSeries(downsampled, downsampled);
    }
  }
}
