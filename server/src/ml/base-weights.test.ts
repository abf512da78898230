import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSafetensorsHeader, readHeaderLength } from "../formats/safetensors.js";
import { PROMPT_BUCKETS, VOCABULARY } from "./melody.js";
import { initModel, inputSize, MODEL_SPECS, type Model } from "./model.js";
import { createRandom } from "./random.js";
import { generateExamples, STYLES } from "./styles.js";
import { meanLoss, trainingPairs } from "./train.js";
import { modelFromTensors } from "./weights.js";

/* The committed base weights (server/models, written by scripts/train-base-models.ts) load, match their manifests and have learned. */

const MODELS_DIR = new URL("../../models/", import.meta.url);

interface Manifest {
  id: string;
  weights: { file: string; bytes: number; sha256: string };
  spec: { contextTokens: number; hidden1: number; hidden2: number; inputSize: number; vocabSize: number; promptBuckets: number };
  vocabulary: string[];
  seed: number;
  losses: { initialHeldOut: number; train: number; heldOut: number };
}

function loadCommitted(id: string): { manifest: Manifest; file: Uint8Array; model: Model; metadata: Record<string, string> } {
  const manifest = JSON.parse(readFileSync(new URL(`${id}.json`, MODELS_DIR), "utf8")) as Manifest;
  const file = new Uint8Array(readFileSync(new URL(manifest.weights.file, MODELS_DIR)));
  const headerLength = readHeaderLength(file.subarray(0, 8), file.length);
  const header = parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
  const tensors = header.tensors.map(({ name, dtype, shape, dataOffsets: [start, end] }) => {
    expect(dtype, name).toBe("F32");
    return { name, shape, data: new Float32Array(file.slice(header.dataStart + start, header.dataStart + end).buffer) };
  });
  const spec = MODEL_SPECS.find((candidate) => candidate.id === id)!;
  return { manifest, file, model: modelFromTensors(spec, tensors), metadata: header.metadata };
}

/** Melodies the training never saw: every style, from seeds away from the script's. */
function freshPairs(contextTokens: number) {
  return trainingPairs(
    STYLES.flatMap((style, index) => generateExamples(style.id, 8, 424_242 + index)),
    contextTokens,
  );
}

describe.each(MODEL_SPECS.map((spec) => [spec.id, spec] as const))("the committed base model %s", (id, spec) => {
  const { manifest, file, model, metadata } = loadCommitted(id);

  it("is the file its manifest describes, with the spec's sizes, vocabulary and metadata", () => {
    expect(manifest.id).toBe(id);
    expect(file.length).toBe(manifest.weights.bytes);
    expect(createHash("sha256").update(file).digest("hex")).toBe(manifest.weights.sha256);
    expect(manifest.spec).toEqual({
      contextTokens: spec.contextTokens,
      hidden1: spec.hidden1,
      hidden2: spec.hidden2,
      inputSize: inputSize(spec),
      vocabSize: VOCABULARY.length,
      promptBuckets: PROMPT_BUCKETS,
    });
    expect(manifest.vocabulary).toEqual(VOCABULARY);
    expect(metadata).toMatchObject({ model: id, seed: String(manifest.seed) });
    expect(model.layers.fc1.weight.length).toBe(spec.hidden1 * inputSize(spec));
    expect(model.layers.head.bias.length).toBe(VOCABULARY.length);
  });

  it("has learned: on fresh generator melodies its loss is far below an untrained model's and near the manifest's held-out loss", () => {
    const pairs = freshPairs(spec.contextTokens);
    const loss = meanLoss(model, pairs);
    const untrained = meanLoss(initModel(spec, createRandom(manifest.seed)), pairs);
    expect(untrained).toBeCloseTo(manifest.losses.initialHeldOut, 0);
    expect(loss).toBeLessThan(0.6 * untrained);
    expect(Math.abs(loss - manifest.losses.heldOut) / manifest.losses.heldOut).toBeLessThan(0.1);
  });
});
