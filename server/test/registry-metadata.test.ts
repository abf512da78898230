import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREATE_JOB, registerTunesAdapter, tunesAdapterFiles } from "./generation-fixtures.js";
import { kohyaAdapter, sha256, upload } from "./fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * The registry as ComfyUI-Lora-Manager and Civitai users expect it, through the real server: the metadata editor's
 * rules, trigger-word suggestions from kohya captions, downloads (single file and PEFT pair), Civitai metadata as typed
 * fields, byte-identical duplicates, and the composition order of set and unset ordinals.
 */

const METADATA_FIELDS = `id name version description notes tags triggers activationText weight ordinal updatedAt previewSample { id }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAdapterInput!) { updateAdapter(id: $id, input: $input) {
  __typename
  ... on Error { message code }
  ... on BadUserInputError { fieldErrors { field message } }
  ... on UpdateAdapterSuccess { adapter { ${METADATA_FIELDS} } } } }`;
const METADATA = `query($id: ID!) { adapter(id: $id) { ${METADATA_FIELDS} } }`;

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

async function uploadKohya(name: string, file: Uint8Array, filename = `${name}.safetensors`): Promise<{ id: string; sha256: string }> {
  const { body } = await upload(app.url, [{ name: filename, data: file }], { name, version: "1" });
  expect(body.data.uploadAdapter.__typename, JSON.stringify(body)).toBe("UploadAdapterSuccess");
  return body.data.uploadAdapter.adapter;
}

async function query<T = any>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { data, errors } = await app.gql<T>(text, variables);
  expect(errors, JSON.stringify(errors)).toBeUndefined();
  return data!;
}

async function update(id: string, input: Record<string, unknown>) {
  return (await query(UPDATE, { id, input })).updateAdapter;
}

/** A finished job of these adapters with one sample, as the generation service stores them. */
async function sampleOf(adapterIds: string[], abTestStatus?: "READY" | "COMPLETED"): Promise<string> {
  const prisma = app.deps.db.prisma;
  const abTest = abTestStatus
    ? await prisma.abTest.create({ data: { name: `blind ${abTestStatus}`, baseModelId: "tunes-s", adapterAId: adapterIds[0]!, weightA: 1, prompts: ["a waltz"], trialsPerPrompt: 1, seed: 1, status: abTestStatus } })
    : null;
  const job = await prisma.generationJob.create({
    data: {
      prompt: "a waltz",
      baseModelId: "tunes-s",
      params: {},
      status: "DONE",
      abTestId: abTest?.id,
      adapters: { create: adapterIds.map((adapterId, position) => ({ adapterId, weight: 1, position })) },
      samples: { create: [{ index: 0, notes: [], storageKey: "samples/preview", durationSeconds: 4 }] },
    },
    include: { samples: true },
  });
  return job.samples[0]!.id;
}

describe("the metadata editor's rules", () => {
  let adapterId: string;

  beforeAll(async () => {
    adapterId = (await uploadKohya("retro-keys", kohyaAdapter({ seed: 101 }))).id;
  });

  it("saves description, notes, trigger words, activation text, default weight, ordinal and tags, and clears what may be cleared", async () => {
    const saved = await update(adapterId, {
      description: "Warm electric piano", notes: "best below 0.8", triggers: ["rhodes", "warm keys"], activationText: "rhodes, warm keys",
      weight: 0.7, ordinal: 2, tags: ["keys", "retro"],
    });
    expect(saved.__typename).toBe("UpdateAdapterSuccess");
    expect(saved.adapter).toMatchObject({
      description: "Warm electric piano", notes: "best below 0.8", triggers: ["rhodes", "warm keys"], activationText: "rhodes, warm keys",
      weight: 0.7, ordinal: 2, tags: ["keys", "retro"],
    });
    const cleared = await update(adapterId, { ordinal: null, activationText: null });
    expect(cleared.adapter).toMatchObject({ ordinal: null, activationText: null, notes: "best below 0.8", weight: 0.7 });
  });

  it("refuses each bad field with its code and message, changing nothing", async () => {
    const before = (await query(METADATA, { id: adapterId })).adapter;
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ weight: 2.5 }, "weight", /between 0 and 2/],
      [{ ordinal: -1 }, "ordinal", /between 0 and 1000000/],
      [{ triggers: ["ok", " "] }, "triggers.1", /must not be empty/],
      [{ notes: "x".repeat(20_001) }, "notes", /at most 20000/],
      [{ previewSampleId: "no-such-sample" }, "previewSampleId", /does not exist/],
    ];
    for (const [input, field, message] of refusals) {
      const refused = await update(adapterId, { description: "must not be stored", ...input });
      expect(refused, JSON.stringify(input)).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
      expect(refused.fieldErrors).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
    expect((await query(METADATA, { id: adapterId })).adapter).toEqual(before);
  });

  it("takes only one of its own samples as the preview, and none of a blind A/B test still running", async () => {
    const other = (await uploadKohya("other-keys", kohyaAdapter({ seed: 102 }))).id;
    const foreign = await update(adapterId, { previewSampleId: await sampleOf([other]) });
    expect(foreign.fieldErrors).toEqual([{ field: "previewSampleId", message: expect.stringMatching(/was not generated with retro-keys 1/) }]);
    const blind = await update(adapterId, { previewSampleId: await sampleOf([adapterId], "READY") });
    expect(blind.fieldErrors).toEqual([{ field: "previewSampleId", message: expect.stringMatching(/A\/B test that is still blind/) }]);

    const own = await sampleOf([other, adapterId]);
    expect((await update(adapterId, { previewSampleId: own })).adapter.previewSample).toEqual({ id: own });
    expect((await update(adapterId, { previewSampleId: await sampleOf([adapterId], "COMPLETED") })).__typename).toBe("UpdateAdapterSuccess");
    expect((await update(adapterId, { previewSampleId: null })).adapter.previewSample).toBeNull();
  });

  it("ranks the training captions' tags (kohya ss_tag_frequency) as trigger-word suggestions", async () => {
    const tagFrequency = JSON.stringify({ "10_rhodes": { rhodes: 40, "warm keys": 12, vinyl: 3 }, "5_live": { "warm keys": 30, crowd: 12 } });
    const { id } = await uploadKohya("captioned", kohyaAdapter({ seed: 103, metadata: { ss_tag_frequency: tagFrequency } }));
    const { adapter } = await query(`query($id: ID!) { adapter(id: $id) { all: triggerWordSuggestions { tag count } top: triggerWordSuggestions(first: 2) { tag } } }`, { id });
    expect(adapter.all).toEqual([
      { tag: "warm keys", count: 42 }, { tag: "rhodes", count: 40 }, { tag: "crowd", count: 12 }, { tag: "vinyl", count: 3 },
    ]);
    expect(adapter.top).toEqual([{ tag: "warm keys" }, { tag: "rhodes" }]);
    const plain = await query(`query($id: ID!) { adapter(id: $id) { triggerWordSuggestions { tag } } }`, { id: adapterId });
    expect(plain.adapter.triggerWordSuggestions).toEqual([]);
  });
});

describe("downloading an adapter", () => {
  const DOWNLOAD_URL = `query($id: ID!) { adapter(id: $id) { downloadUrl } }`;
  const downloadUrl = async (id: string) => (await query(DOWNLOAD_URL, { id })).adapter.downloadUrl as string;

  it("serves a single-file LoRA under the name it was added with, from a signed URL or with a key, to no one else", async () => {
    const file = kohyaAdapter({ seed: 201 });
    const { id } = await uploadKohya("café-lofi", file, "Café Lofi v2.safetensors");
    const url = await downloadUrl(id);
    expect(url).toMatch(new RegExp(`^/adapters/${id}/download\\?`));

    const signed = await fetch(`${app.url}${url}`);
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-disposition")).toBe(`attachment; filename="Caf? Lofi v2.safetensors"; filename*=UTF-8''Caf%C3%A9%20Lofi%20v2.safetensors`);
    expect(sha256(new Uint8Array(await signed.arrayBuffer()))).toBe(sha256(file));

    const withKey = await fetch(`${app.url}/adapters/${id}/download`, { headers: app.headers });
    expect(withKey.status).toBe(200);
    await withKey.arrayBuffer();
    const anonymous = await fetch(`${app.url}/adapters/${id}/download`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const tampered = await fetch(`${app.url}${url.replace(id, (await uploadKohya("other-lofi", kohyaAdapter({ seed: 202 }))).id)}`);
    expect(tampered.status).toBe(403);
  });

  it("zips a PEFT pair as a directory PEFT loads: adapter_config.json and the weights, byte for byte", async () => {
    const id = await registerTunesAdapter(app, "zipped-waltz", { seed: 203 });
    const files = tunesAdapterFiles({ seed: 203 });
    const res = await fetch(`${app.url}${await downloadUrl(id)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toBe("attachment; filename=zipped-waltz-1.zip");
    const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(entries).sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
    expect(sha256(entries["adapter_model.safetensors"]!)).toBe(sha256(files.weights));
    expect(Buffer.from(entries["adapter_config.json"]!).toString()).toBe(files.config);
  });

  it("answers 404 for an adapter that does not exist", async () => {
    const res = await fetch(`${app.url}/adapters/00000000-0000-0000-0000-000000000000/download`, { headers: app.headers });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe("Civitai metadata and duplicates", () => {
  const civitaiVersion = {
    id: 128713,
    modelId: 117213,
    name: "v1.0 (SDXL)",
    baseModel: "SD 1.5",
    publishedAt: "2024-03-01T12:00:00.000Z",
    trainedWords: ["pixel art", "sprite"],
    nsfwLevel: 1,
    creator: { username: "nerijs" },
    model: { name: "Pixel Art", type: "LORA", nsfw: false, tags: ["pixel art"] },
    stats: { downloadCount: 10, ratingCount: 2, rating: 4 },
    files: [
      { name: "preview.zip", type: "Training Data", sizeKB: 5, hashes: { SHA256: "0".repeat(64) } },
      { name: "pixel-art.safetensors", type: "Model", primary: true, sizeKB: 2.5, downloadUrl: "https://civitai.com/api/download/models/128713", hashes: { SHA256: "A".repeat(64) } },
    ],
  };
  const CIVITAI = `query($id: ID!) { adapter(id: $id) {
    civitaiMetadata { author modelId versionId modelName versionName baseModel archetype nsfw nsfwLevel publishedAt trainedWords url sourcePath ingestedAt
      stats { downloads favorites comments rating ratingCount } primaryFile { name sizeBytes sha256 downloadUrl } }
    duplicates { id name } } }`;

  it("imports a Civitai file and answers its fields typed, with where and when it was read", async () => {
    const dir = join(app.importRoot, "civitai");
    await mkdir(dir, { recursive: true });
    const weights = kohyaAdapter({ seed: 301 });
    await writeFile(join(dir, "pixel-art.safetensors"), weights);
    await writeFile(join(dir, "pixel-art.civitai.info"), JSON.stringify({ ...civitaiVersion, model: { ...civitaiVersion.model, stats: { favoriteCount: 7, commentCount: 3 } } }));
    const imported = await query(`mutation($input: ImportCivitaiMetadataInput!) { importCivitaiMetadata(input: $input) {
      ... on ImportCivitaiMetadataSuccess { created { adapter { id } } } } }`, { input: { directory: dir } });
    const id = imported.importCivitaiMetadata.created[0].adapter.id;

    const { adapter } = await query(CIVITAI, { id });
    expect(adapter.civitaiMetadata).toEqual({
      author: "nerijs", modelId: 117213, versionId: 128713, modelName: "Pixel Art", versionName: "v1.0 (SDXL)", baseModel: "SD 1.5",
      archetype: "LORA", nsfw: false, nsfwLevel: 1, publishedAt: "2024-03-01T12:00:00.000Z", trainedWords: ["pixel art", "sprite"],
      url: "https://civitai.com/models/117213?modelVersionId=128713", sourcePath: join(dir, "pixel-art.civitai.info"), ingestedAt: expect.any(String),
      stats: { downloads: 10, favorites: 7, comments: 3, rating: 4, ratingCount: 2 },
      primaryFile: { name: "pixel-art.safetensors", sizeBytes: 2560, sha256: "a".repeat(64), downloadUrl: "https://civitai.com/api/download/models/128713" },
    });
    expect(adapter.duplicates).toEqual([]);

    const copy = await uploadKohya("pixel-art-copy", weights);
    expect((await query(CIVITAI, { id })).adapter.duplicates).toEqual([{ id: copy.id, name: "pixel-art-copy" }]);
    const ofCopy = (await query(CIVITAI, { id: copy.id })).adapter;
    expect(ofCopy).toEqual({ civitaiMetadata: null, duplicates: [{ id, name: "Pixel Art" }] });
    await query(`mutation($id: ID!) { deleteAdapter(id: $id) { __typename } }`, { id: copy.id });
    expect((await query(CIVITAI, { id })).adapter.duplicates).toEqual([]);
  });
});

describe("composition order: set ordinals first, then unset ones, each by name", () => {
  const names = ["alpha-unset", "bravo-set-2", "charlie-set-1", "delta-unset"];
  let ids: Record<string, string>;
  let misfit: string;

  beforeAll(async () => {
    ids = {};
    for (const [index, name] of names.entries()) ids[name] = await registerTunesAdapter(app, name, { seed: 400 + index });
    for (const [name, ordinal] of [["bravo-set-2", 2], ["charlie-set-1", 1]] as const) {
      expect((await update(ids[name]!, { ordinal })).adapter.ordinal).toBe(ordinal);
    }
    misfit = await registerTunesAdapter(app, "medium-misfit", { baseModel: "tunes-m", seed: 410 });
  });

  const expected = () => ["charlie-set-1", "bravo-set-2", "alpha-unset", "delta-unset"];

  it("composes the default prompt in that order", async () => {
    const { composePrompt } = await query(`query($input: ComposePromptInput!) { composePrompt(input: $input) { adapters { adapter { name } } } }`, {
      input: { prefix: "a waltz", baseModelId: "tunes-s", includeTriggers: false },
    });
    const order = composePrompt.adapters.map((entry: any) => entry.adapter.name).filter((name: string) => names.includes(name));
    expect(order).toEqual(expected());
  });

  it("lists adapters in that order", async () => {
    const { adapters } = await query(`query { adapters(orderBy: ORDINAL_ASC, filter: { baseModelId: "tunes-s" }, first: 50) { edges { node { name ordinal } } } }`);
    const order = adapters.edges.map((edge: any) => edge.node.name).filter((name: string) => names.includes(name));
    expect(order).toEqual(expected());
  });

  it("suggests the adapters that fit a generation in that order", async () => {
    const { createGenerationJob } = await query(CREATE_JOB, {
      input: { prompt: "a waltz", baseModelId: "tunes-s", durationSeconds: 2, samples: 1, adapters: [{ adapterId: misfit, weight: 1 }] },
    });
    expect(createGenerationJob.code).toBe("INCOMPATIBLE_ADAPTER");
    const suggested = createGenerationJob.compatibleAdapters.map((adapter: { id: string }) => adapter.id);
    expect(suggested.filter((id: string) => Object.values(ids).includes(id))).toEqual(expected().map((name) => ids[name]));
  });
});
