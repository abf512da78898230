import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBaseModel } from "../src/inference/base-model.js";
import { initLora, type Lora, type LoraConfig } from "../src/ml/lora.js";
import { LAYER_NAMES } from "../src/ml/model.js";
import { createRandom } from "../src/ml/random.js";
import { generateExamples } from "../src/ml/styles.js";
import { createTrainer, makeBatch, trainingPairs, trainStep } from "../src/ml/train.js";
import { encodePeftAdapter } from "../src/trainer/peft-adapter.js";
import { peftAdapter, upload } from "./fixtures.js";
import { tunesAdapterFiles } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

const CONFIG: LoraConfig = { rank: 4, alpha: 8, rsLora: false, targetModules: [...LAYER_NAMES] };

/** A small LoRA of tunes-s really trained on one style's generated melodies (about a second on a CPU). */
function trainOnStyle(style: string, seed: number, steps = 30): Lora {
  const model = loadBaseModel("tunes-s");
  const lora = initLora(model, CONFIG, createRandom(seed));
  const pairs = trainingPairs(generateExamples(style, 16, seed), model.spec.contextTokens);
  const trainer = createTrainer(model, lora, {
    learningRate: 0.01, warmupSteps: 0, totalSteps: steps, schedule: "constant",
    beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1, dropout: 0,
  }, seed);
  const random = createRandom(seed + 1);
  for (let step = 0; step < steps; step++) trainStep(trainer, makeBatch(model.spec, Array.from({ length: 64 }, () => random.pick(pairs))));
  return lora;
}

/** The same adapter with noise of 2% of each factor's spread. */
function withNoise(lora: Lora, seed: number): Lora {
  const random = createRandom(seed);
  const noisy = (values: Float32Array) => {
    const spread = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);
    return values.map((v) => v + 0.02 * spread * random.normal());
  };
  return Object.fromEntries(Object.entries(lora).map(([name, m]) => [name, { ...m, a: noisy(m.a), b: noisy(m.b) }]));
}

const SIMILAR = `query ($id: ID!, $weights: SimilarityWeights, $threshold: Float) {
  similarAdapters(adapterId: $id, limit: 20, threshold: $threshold, weights: $weights) {
    adapter { id name } score { text weightSpace combined } sharedTags sharedWords sharedModules identical explanation
  }
}`;
const RECOMMEND = `query ($prompt: String!) { recommendAdapters(prompt: $prompt, limit: 5) { adapter { id name } score matchedWords explanation } }`;

let app: TestApp;
const ids: Record<string, string> = {};

async function uploadLora(name: string, lora: Lora, fields: Record<string, unknown> = {}): Promise<string> {
  const files = encodePeftAdapter(lora, { config: CONFIG, baseModel: "tunes-s", dropout: 0 });
  return uploadFiles(name, files, { baseModelId: "tunes-s", ...fields });
}

async function uploadFiles(name: string, files: { weights: Uint8Array; config: string }, fields: Record<string, unknown>): Promise<string> {
  const { body } = await upload(app.url, [{ name: "adapter_config.json", data: files.config }, { name: "adapter_model.safetensors", data: files.weights }], { name, version: "1", ...fields });
  if (body.data?.uploadAdapter?.__typename !== "UploadAdapterSuccess") throw new Error(`could not upload ${name}: ${JSON.stringify(body)}`);
  return body.data.uploadAdapter.adapter.id;
}

async function similar(id: string, variables: Record<string, unknown> = {}) {
  const { data, errors } = await app.gql(SIMILAR, { id, threshold: 0, ...variables });
  expect(errors).toBeUndefined();
  return data.similarAdapters as { adapter: { id: string; name: string }; score: { text: number; weightSpace: number | null; combined: number }; sharedTags: string[]; sharedWords: string[]; sharedModules: string[]; identical: boolean; explanation: string }[];
}

beforeAll(async () => {
  app = await startTestApp();
  const waltz = trainOnStyle("major-waltz", 1);
  ids.waltz = await uploadLora("waltz-lora", waltz, { description: "gentle waltz for piano", tags: ["waltz", "piano"] });
  ids.waltzNoisy = await uploadLora("waltz-lora-copy", withNoise(waltz, 5), { description: "gentle waltz for piano, retouched", tags: ["waltz", "piano"] });
  ids.blues = await uploadLora("blues-lora", trainOnStyle("blues", 2), { description: "gritty blues shuffle riffs", tags: ["blues"] });
  ids.llama = await uploadFiles("llama-waltz", peftAdapter(), { description: "a chat model that writes waltz lyrics", tags: ["waltz", "lyrics"] });
}, 60_000);

afterAll(() => app?.close());

describe("similarAdapters", () => {
  it("finds an adapter's noisy copy most similar in weight space, and one trained on another style less", async () => {
    const results = await similar(ids.waltz!, { weights: { text: 0, weights: 1 } });
    const byName = Object.fromEntries(results.map((r) => [r.adapter.name, r]));
    expect(results[0]!.adapter.id).toBe(ids.waltzNoisy);
    expect(byName["waltz-lora-copy"]!.score.weightSpace).toBeGreaterThan(0.95);
    expect(byName["blues-lora"]!.score.weightSpace).toBeLessThan(byName["waltz-lora-copy"]!.score.weightSpace! - 0.2);
    expect(byName["waltz-lora-copy"]!.sharedModules).toEqual(["fc1", "fc2", "head"]);
    expect(byName["waltz-lora-copy"]!.explanation).toMatch(/^Shares tags 'waltz', 'piano'.*their updates point the same way \(cosine (0\.9\d|1\.00)\) on fc1, fc2, head\.$/);
  });

  it("compares only text across base models and ranks shared tags and words", async () => {
    const results = await similar(ids.llama!);
    expect(results.map((r) => r.adapter.name).slice(0, 2).sort()).toEqual(["waltz-lora", "waltz-lora-copy"]);
    const waltz = results.find((r) => r.adapter.id === ids.waltz)!;
    expect(waltz.score.weightSpace).toBeNull();
    expect(waltz.score.combined).toBe(waltz.score.text);
    expect(waltz.sharedTags).toEqual(["waltz"]);
    expect(waltz.explanation).toMatch(/another base model \(tunes-s\), so only the text is compared\.$/);
    expect(results.some((r) => r.adapter.id === ids.llama)).toBe(false);
  });

  it("rejects weights that are both zero and returns null for an unknown adapter", async () => {
    const bad = await app.gql(SIMILAR, { id: ids.waltz, weights: { text: 0, weights: 0 } });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const missing = await app.gql(SIMILAR, { id: "00000000-0000-0000-0000-000000000000" });
    expect(missing.data.similarAdapters).toBeNull();
  });
});

describe("recommendAdapters", () => {
  it("finds adapters by the words of a prompt and says which matched", async () => {
    const { data } = await app.gql(RECOMMEND, { prompt: "a gritty shuffle" });
    expect(data.recommendAdapters[0].adapter.id).toBe(ids.blues);
    expect(data.recommendAdapters[0].matchedWords.sort()).toEqual(["gritty", "shuffle"]);
    expect(data.recommendAdapters[0].explanation).toMatch(/^Matches '(gritty|shuffle)' \(description\)/);
  });

  it("sees an adapter's change at once: the cache is versioned by the adapters' updates", async () => {
    expect((await app.gql(RECOMMEND, { prompt: "moonlight" })).data.recommendAdapters).toEqual([]);
    const update = await app.gql(`mutation ($id: ID!) { updateAdapter(id: $id, input: { trainedWords: ["moonlight"] }) { __typename } }`, { id: ids.blues });
    expect(update.data.updateAdapter.__typename).toBe("UpdateAdapterSuccess");
    const { data } = await app.gql(RECOMMEND, { prompt: "moonlight" });
    expect(data.recommendAdapters.map((r: { adapter: { id: string } }) => r.adapter.id)).toEqual([ids.blues]);
    expect(data.recommendAdapters[0].explanation).toBe("Matches 'moonlight' (trained word).");
  });
});

describe("recommendationStats and deletion", () => {
  it("counts signatures over the adapters with loadable weights", async () => {
    const { data } = await app.gql(`{ recommendationStats { adaptersInTextIndex adaptersWithLoadableWeights adaptersWithSignature signatureCoverage lastComputedAt } }`);
    expect(data.recommendationStats).toMatchObject({ adaptersInTextIndex: 4, adaptersWithLoadableWeights: 4, adaptersWithSignature: 4, signatureCoverage: 1 });
    expect(Date.parse(data.recommendationStats.lastComputedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("never recommends a soft-deleted adapter", async () => {
    const deleted = await app.gql(`mutation ($id: ID!) { deleteAdapter(id: $id) { __typename } }`, { id: ids.waltzNoisy });
    expect(deleted.data.deleteAdapter.__typename).toBe("DeleteAdapterSuccess");
    expect((await similar(ids.waltz!)).map((r) => r.adapter.id)).not.toContain(ids.waltzNoisy);
    const { data } = await app.gql(RECOMMEND, { prompt: "gentle waltz retouched" });
    expect(data.recommendAdapters.map((r: { adapter: { id: string } }) => r.adapter.id)).not.toContain(ids.waltzNoisy);
    // a deleted adapter's own similar list still works, for its history page
    expect((await similar(ids.waltzNoisy!)).map((r) => r.adapter.id)[0]).toBe(ids.waltz);
  });
});

describe("duplicates, boilerplate and prompts", () => {
  it("lists a byte-identical adapter first as a duplicate, whatever the threshold", async () => {
    const files = tunesAdapterFiles({ seed: 41 });
    const original = await uploadFiles("harbour-bells", files, { baseModelId: "tunes-s", description: "bells over a quiet harbour" });
    const copy = await uploadFiles("renamed-upload", files, { baseModelId: "tunes-s" });
    const results = await similar(original, { threshold: 0.99 });
    expect(results[0]).toMatchObject({ adapter: { id: copy }, identical: true });
    expect(results[0]!.explanation).toMatch(/^Byte-identical \(the same sha256\): a duplicate/);
    expect(results.filter((result) => result.identical)).toHaveLength(1);
  });

  it("finds no words in common between adapters whose descriptions the studio wrote", async () => {
    const first = await uploadFiles("lighthouse-run-1", tunesAdapterFiles({ seed: 42 }), { baseModelId: "tunes-s", description: "Trained by run run-1 of experiment lighthouse." });
    const second = await uploadFiles("orchard-run-2", tunesAdapterFiles({ seed: 43 }), { baseModelId: "tunes-s", description: "Trained by run run-2 of experiment orchard." });
    const match = (await similar(first)).find((result) => result.adapter.id === second)!;
    expect(match).toMatchObject({ sharedWords: [], sharedTags: [], score: { text: 0 } });
    expect(match.explanation).toMatch(/^No words in common/);
  });

  it("recommends for a prompt's words only, its <lora:…> tags left out, and only adapters that fit a base model when asked", async () => {
    const query = `query ($prompt: String!, $model: ID) { recommendAdapters(prompt: $prompt, compatibleWith: $model) { adapter { id } } }`;
    const recommended = async (prompt: string, model?: string) => ((await app.gql(query, { prompt, model })).data.recommendAdapters as { adapter: { id: string } }[]).map((r) => r.adapter.id);
    expect(await recommended("waltz")).toContain(ids.llama);
    expect(await recommended("waltz", "tunes-s")).not.toContain(ids.llama);
    expect(await recommended("waltz", "tunes-s")).toContain(ids.waltz);
    expect(await recommended("<lora:blues-lora:1> waltz")).not.toContain(ids.blues);
  });
});
