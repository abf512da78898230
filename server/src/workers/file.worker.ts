import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, writeFile, type FileHandle } from "node:fs/promises";
import type { ArchitectureFingerprint } from "../contracts/worker-tasks.js";
import { architectureReport, loraModuleShapes, namedModules } from "../formats/architecture.js";
import { FormatError, quoteName } from "../formats/errors.js";
import { describeLora, describePicklePeft } from "../formats/lora.js";
import {
  assembleSignature, byteLength, decodeFloats, MAX_SIGNATURE_FACTOR_BYTES, oversizedFactor, projectionModules, sketchUpdate,
} from "../formats/lora-projection.js";
import { decodeMelodyMidi, encodeMelodyMidi } from "../formats/midi-file.js";
import { parseSafetensorsHeader, readHeaderLength, type TensorInfo } from "../formats/safetensors.js";
import { encodeWav } from "../formats/wav.js";
import { TEMPO_BPM } from "../ml/melody.js";
import { renderMelody } from "../ml/synth.js";
import { readRange, readSmallText } from "./bounded-read.js";
import { downsampleSeries } from "./downsample.js";
import {
  workerTask, type AdapterSignatureResult, type AdapterSignatureTask, type FileDigest, type InspectAdapterResult, type InspectAdapterTask, type RenderSampleResult, type RenderSampleTask,
  type WorkerTask, type MidiMelodyResult, type MidiMelodyTask,
} from "../contracts/worker-tasks.js";
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

/** adapter_config.json is a few hundred bytes; anything near this is not one. */
const MAX_PEFT_CONFIG_BYTES = 1024 * 1024;

async function headerOf(file: FileHandle) {
  const { size } = await file.stat();
  const headerLength = readHeaderLength(await readRange(file, 0, Math.min(8, size)), size);
  return parseSafetensorsHeader(await readRange(file, 8, headerLength), size);
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
    const readTensor = async (tensor: TensorInfo) => decodeFloats(tensor, await readRange(file, header.dataStart + tensor.dataOffsets[0], byteLength(tensor)));
    const modules = projectionModules(header);
    if (modules.length === 0) return { ok: false, code: "NO_LORA_MODULES", message: "the weights hold no LoRA module" };
    const oversized = oversizedFactor(modules);
    if (oversized) return { ok: false, code: "TENSOR_TOO_LARGE", message: tooLargeForSignature(oversized) };
    const sketches = [];
    for (const module of modules) {
      const moduleAlpha = module.alpha ? scalarOf(module.alpha, await readTensor(module.alpha)) : alpha;
      const scale = moduleAlpha / (useRslora && !module.alpha ? Math.sqrt(module.rank) : module.rank);
      const [a, b] = [await readTensor(module.down), await readTensor(module.up)];
      sketches.push({ name: module.name, sketch: sketchUpdate({ rank: module.rank, out: module.out, in: module.in, a, b, scale }) });
    }
    const projection = assembleSignature(sketches);
    return { ok: true, projection, modules: modules.map((m) => m.name) };
  } catch (error) {
    if (error instanceof FormatError || error instanceof RangeError) return { ok: false, code: "UNREADABLE_WEIGHTS", message: error.message };
    throw error;
  } finally {
    await file.close();
  }
}

function tooLargeForSignature(tensor: TensorInfo): string {
  return `tensor ${quoteName(tensor.name)} is ${byteLength(tensor)} bytes; a weight-space signature reads LoRA factors of at most ${MAX_SIGNATURE_FACTOR_BYTES} bytes`;
}

function scalarOf(tensor: TensorInfo, values: Float32Array): number {
  if (values.length !== 1) throw new FormatError(`tensor ${quoteName(tensor.name)} should hold one value (the module's alpha) but holds ${values.length}`);
  return values[0]!;
}

/** Pickled weights are never opened: everything known about them comes from adapter_config.json. */
async function describeWeights(weightsPath: string, peftConfigText: string | undefined, fingerprints: ArchitectureFingerprint[]) {
  if (!weightsPath.endsWith(".bin")) {
    const header = await readSafetensorsHeader(weightsPath);
    return { ...describeLora(header, peftConfigText), architecture: architectureReport(loraModuleShapes(header), fingerprints) };
  }
  if (peftConfigText === undefined) throw new FormatError("pickled weights (.bin) are only accepted as a PEFT adapter, beside its adapter_config.json");
  const lora = describePicklePeft(peftConfigText);
  return { ...lora, architecture: architectureReport(namedModules(lora.targetModules), fingerprints) };
}

async function inspectAdapter({ weightsPath, peftConfigPath, fingerprints }: InspectAdapterTask): Promise<InspectAdapterResult> {
  try {
    const peftConfigText = peftConfigPath ? await readSmallText(peftConfigPath, MAX_PEFT_CONFIG_BYTES, "adapter_config.json") : undefined;
    const lora = await describeWeights(weightsPath, peftConfigText, fingerprints);
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

function midiMelody({ bytes, maxFileNotes, maxMelodyNotes }: MidiMelodyTask): MidiMelodyResult {
  try {
    return { ok: true, ...decodeMelodyMidi(bytes, { maxFileNotes, maxMelodyNotes }) };
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
      return inspectAdapter(parsed);
    case "adapterSignature": {
      const result = await adapterSignature(parsed);
      return result.ok ? movedWith(result, [result.projection.buffer]) : result;
    }
    case "renderSample":
      return renderSample(parsed);
    case "midiMelody":
      return midiMelody(parsed);
    case "downsample": {
      const downsampled = downsampleSeries(parsed.series, parsed.maxPoints);
      return movedWithSeries(downsampled, downsampled);
    }
  }
}
