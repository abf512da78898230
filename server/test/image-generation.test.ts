import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectPng } from "../src/formats/png.js";
import { readPngText } from "../src/formats/png-text.js";
import { binomialTest } from "../src/stats/proportion.js";
import { startA1111ContractServer, type A1111ContractServer } from "./contract-servers/a1111.js";
import { startComfyUiContractServer, type ComfyUiContractServer } from "./contract-servers/comfyui.js";
import { kohyaAdapter, upload } from "./fixtures.js";
import { CREATE_JOB, createJob, eventually, progressOf, type ProgressEvent } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * Image generation end to end (issue 13): the real API with GENERATION_BACKENDS pointing at the A1111 and ComfyUI
 * contract servers, two kohya SD 1.5 adapters, the images stored and served as samples, rated, compared in a blind
 * A/B test, and the backends' LoRA folders left empty after every job, however it ended.
 */

const SIZE = 64;
const SD15_PROMPT = "a red fox in the snow";

const IMAGE_JOB = `
  id status progress error backend kind seed sampleCount loraHashes
  imageSettings { negativePrompt steps sampler cfgScale width height }
  adapters { weight adapter { id usageCount ratingCount averageRating } }
  samples { id index kind seed width height parameters imageUrl durationSeconds notes { pitch } audio { url } }
`;

interface ImageSample {
  id: string;
  index: number;
  kind: string;
  seed: number;
  width: number;
  height: number;
  parameters: string;
  imageUrl: string;
}

describe("image generation through GENERATION_BACKENDS", () => {
  let app: TestApp;
  let ws: Client;
  let a1111: A1111ContractServer;
  let comfy: ComfyUiContractServer;
  let a1111Loras: string;
  let comfyLoras: string;
  let first: string;
  let second: string;
  let sdxl: string;

  async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!;
  }

  async function uploadKohya(name: string, seed: number, baseModelVersion = "sd_v1"): Promise<string> {
    const { body } = await upload(app.url, [{ name: `${name}.safetensors`, data: kohyaAdapter({ seed, baseModelVersion }) }], { name, version: "1" });
    expect(body.data.uploadAdapter.__typename, JSON.stringify(body)).toBe("UploadAdapterSuccess");
    return body.data.uploadAdapter.adapter.id;
  }

  async function job(id: string) {
    return (await ok(`query ($id: ID!) { generationJob(id: $id) { ${IMAGE_JOB} } }`, { id })).generationJob;
  }

  /** Creates a job, follows its progress to the end and returns it with the states the subscription sent. */
  async function generate(input: Record<string, unknown>): Promise<{ events: ProgressEvent[]; [field: string]: any }> {
    const id = await createJob(app, { prompt: SD15_PROMPT, baseModelId: "sd15", ...input });
    const events = await progressOf(ws, id);
    return { ...(await job(id)), events };
  }

  async function refused(input: Record<string, unknown>) {
    return (await ok(CREATE_JOB, { input: { prompt: SD15_PROMPT, baseModelId: "sd15", ...input } })).createGenerationJob;
  }

  async function servedPng(sample: ImageSample): Promise<Buffer> {
    const response = await fetch(`${app.url}${sample.imageUrl}`);
    expect([response.status, response.headers.get("content-type")]).toEqual([200, "image/png"]);
    return Buffer.from(await response.arrayBuffer());
  }

  const placed = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith(".safetensors"));
  const txt2imgCount = () => a1111.requests.filter((request) => request.path === "/sdapi/v1/txt2img").length;

  beforeAll(async () => {
    [a1111Loras, comfyLoras] = await Promise.all([mkdtemp(join(tmpdir(), "a1111-loras-")), mkdtemp(join(tmpdir(), "comfy-loras-"))]);
    a1111 = await startA1111ContractServer({ loraDir: a1111Loras });
    comfy = await startComfyUiContractServer({ loraDir: comfyLoras });
    const defaults = { steps: 4, width: SIZE, height: SIZE };
    const backends = [
      { name: "a1111", kind: "a1111", url: a1111.url, baseModels: ["sd15"], loraDir: a1111Loras, defaults },
      { name: "comfy", kind: "comfyui", url: comfy.url, baseModels: ["sdxl"], loraDir: comfyLoras, defaults: { ...defaults, sampler: "Euler" } },
    ];
    const hosts = [a1111.url, comfy.url].map((url) => new URL(url).host).join(",");
    app = await startTestApp({ env: { GENERATION_BACKENDS: JSON.stringify(backends), DELIVERY_ALLOWED_HOSTS: hosts } });
    first = await uploadKohya("fox-style", 11);
    second = await uploadKohya("snow-light", 12);
    sdxl = await uploadKohya("xl-style", 13, "sdxl_base_v1-0");
    ws = app.wsClient();
  });

  afterAll(async () => {
    await ws?.dispose();
    await app?.close();
    await Promise.all([a1111?.close(), comfy?.close()]);
    await Promise.all([a1111Loras, comfyLoras].map((dir) => dir && rm(dir, { recursive: true, force: true })));
  });

  it("lists the backends with their base models and whether they answer", async () => {
    const { generationBackends } = await ok(`{ generationBackends { name kind url baseModels healthy version problem } }`);
    expect(generationBackends).toEqual([
      { name: "a1111", kind: "a1111", url: a1111.url, baseModels: ["sd15"], healthy: true, version: null, problem: null },
      { name: "comfy", kind: "comfyui", url: comfy.url, baseModels: ["sdxl"], healthy: true, version: expect.any(String), problem: null },
    ]);
  });

  it("generates with two adapters on A1111, stores and serves each image with its parameters, and empties loraDir", async () => {
    a1111.knobs.stepDelayMs = 150;
    const done = await generate({ prompt: `${SD15_PROMPT} <lora:snow-light:0.4>`, adapters: [{ adapterId: first, weight: 0.8 }], samples: 2, seed: 77, negativePrompt: "blurry" });
    a1111.knobs.stepDelayMs = 0;

    expect(done).toMatchObject({ status: "DONE", progress: 1, error: null, backend: "a1111", kind: "IMAGE", seed: 77, sampleCount: 2 });
    expect(done.imageSettings).toEqual({ negativePrompt: "blurry", steps: 4, sampler: "Euler a", cfgScale: 7, width: SIZE, height: SIZE });
    expect(done.adapters.map((entry: { weight: number; adapter: { id: string } }) => [entry.adapter.id, entry.weight])).toEqual([[first, 0.8], [second, 0.4]]);
    expect(done.events.at(-1)).toEqual({ status: "DONE", progress: 1 });
    expect(done.events.some((event) => event.status === "RUNNING")).toBe(true);

    const body = a1111.requests.find((request) => request.path === "/sdapi/v1/txt2img")!.body as Record<string, unknown>;
    expect(body).toMatchObject({ prompt: `${SD15_PROMPT} <lora:lora_${first}:0.8> <lora:lora_${second}:0.4>`, negative_prompt: "blurry", seed: 77, batch_size: 2, steps: 4 });

    expect(done.samples.map((sample: ImageSample) => [sample.index, sample.kind, sample.seed, sample.width, sample.height])).toEqual([
      [0, "IMAGE", 77, SIZE, SIZE],
      [1, "IMAGE", 78, SIZE, SIZE],
    ]);
    for (const sample of done.samples) {
      expect(sample).toMatchObject({ durationSeconds: 0, notes: [], audio: null });
      const png = await servedPng(sample);
      expect(inspectPng(png)).toEqual({ width: SIZE, height: SIZE });
      const parameters = readPngText(png, "parameters");
      expect(parameters).toBe(sample.parameters);
      expect(parameters).toContain(`Seed: ${sample.seed}, Size: ${SIZE}x${SIZE}`);
      expect(parameters).toMatch(new RegExp(`Lora hashes: "lora_${first}: [0-9a-f]{12}, lora_${second}: [0-9a-f]{12}"`));
    }
    expect(await placed(a1111Loras)).toEqual([]);
  });

  it("counts ratings of an image sample for its adapter, and reports it like a melody's", async () => {
    const done = await generate({ adapters: [{ adapterId: first, weight: 1 }], samples: 2 });
    const rate = `mutation ($id: ID!, $score: Int!) { rateSample(sampleId: $id, score: $score) { __typename ... on RateSampleSuccess { sample { averageRating ratingCount } } } }`;
    for (const [sample, score] of [[done.samples[0], 4], [done.samples[1], 2]] as const) {
      expect((await ok(rate, { id: sample.id, score })).rateSample).toMatchObject({ sample: { averageRating: score, ratingCount: 1 } });
    }
    const performance = (await ok(`query ($id: ID!) { adapterPerformance(id: $id) { own { totalGenerations sampleCount averageRating ratingCount } } }`, { id: first })).adapterPerformance;
    expect(performance.own).toEqual({ totalGenerations: 1, sampleCount: 2, averageRating: 3, ratingCount: 2 });
    expect((await job(done.id)).adapters[0].adapter).toMatchObject({ usageCount: 2, ratingCount: 2, averageRating: 3 });
  });

  it("runs a blind A/B test of the two adapters through A1111: one seed per pair, images served without their parameters, the verdict from the choices", async () => {
    const created = (
      await ok(`mutation ($input: CreateAbTestInput!) { createAbTest(input: $input) { __typename ... on Error { message } ... on CreateAbTestSuccess { test { id } } } }`, {
        input: { name: "fox styles", adapterAId: first, adapterBId: second, prompts: [SD15_PROMPT], trialsPerPrompt: 4, seed: 300 },
      })
    ).createAbTest;
    expect(created.__typename, created.message).toBe("CreateAbTestSuccess");
    const testId: string = created.test.id;
    await eventually("the A/B test to be ready", async () => {
      const { abTest } = await ok(`query ($id: ID!) { abTest(id: $id) { status error } }`, { id: testId });
      if (abTest.status === "FAILED") throw new Error(abTest.error);
      return abTest.status === "READY";
    });

    const prisma = app.deps.db.prisma;
    const trials = await prisma.abTrial.findMany({ where: { testId }, include: { sampleA: true, sampleB: true }, orderBy: { index: "asc" } });
    expect(trials.map((trial) => [trial.sampleA.seed, trial.sampleB.seed])).toEqual([300, 301, 302, 303].map((seed) => [seed, seed]));

    const next = `query ($id: ID!) { nextAbTrial(testId: $id) { trialId first { side kind imageUrl } second { side kind imageUrl } } }`;
    for (let judged = 0; judged < 4; judged += 1) {
      const pair = (await ok(next, { id: testId })).nextAbTrial;
      expect([pair.first.kind, pair.second.kind]).toEqual(["IMAGE", "IMAGE"]);
      for (const side of [pair.first, pair.second]) {
        const response = await fetch(`${app.url}${side.imageUrl}`);
        const png = Buffer.from(await response.arrayBuffer());
        expect([response.status, inspectPng(png).width, readPngText(png, "parameters")]).toEqual([200, SIZE, null]);
      }
      const trial = await prisma.abTrial.findUniqueOrThrow({ where: { id: pair.trialId } });
      const adapterA = trial.aShownFirst ? "A" : "B";
      const recorded = await ok(`mutation ($id: ID!, $choice: AbChoice!) { recordAbChoice(trialId: $id, choice: $choice) { __typename } }`, { id: pair.trialId, choice: adapterA });
      expect(recorded.recordAbChoice.__typename).toBe("RecordAbChoiceSuccess");
    }
    const completed = (await ok(`mutation ($id: ID!) { completeAbTest(id: $id) { ... on CompleteAbTestSuccess { test { result { wins losses winRate pValue } } } } }`, { id: testId }))
      .completeAbTest.test;
    expect(completed.result).toMatchObject({ wins: 4, losses: 0, winRate: 1 });
    expect(completed.result.pValue).toBeCloseTo(binomialTest(4, 4, 0.5).pValue, 12);

    const comparison = (await ok(`query ($ids: [ID!]!) { compareAdapters(ids: $ids) { ... on AdapterComparison { rows { metric betterAdapterId } } } }`, { ids: [first, second] }))
      .compareAdapters;
    expect(comparison.rows.find((row: { metric: string }) => row.metric === "preference_win_rate")).toMatchObject({ betterAdapterId: first });
    expect(await placed(a1111Loras)).toEqual([]);
  });

  it("makes images on ComfyUI with a LoraLoader per adapter, writing A1111 parameters with Lora hashes into its PNGs", async () => {
    comfy.knobs.stepMs = 150;
    const done = await generate({ baseModelId: "sdxl", prompt: "a castle", adapters: [{ adapterId: sdxl, weight: 1.2 }], seed: 9, steps: 8 });
    comfy.knobs.stepMs = 0;

    expect(done).toMatchObject({ status: "DONE", backend: "comfy", kind: "IMAGE" });
    expect(done.events.some((event) => event.status === "RUNNING" && event.progress > 0 && event.progress < 1)).toBe(true);
    const [sample] = done.samples;
    const png = await servedPng(sample);
    expect(inspectPng(png)).toEqual({ width: SIZE, height: SIZE });
    expect(readPngText(png, "prompt")).toContain(`lora_${sdxl}.safetensors`);
    expect(readPngText(png, "parameters")).toMatch(
      new RegExp(`^a castle <lora:lora_${sdxl}:1\\.2>\\nSteps: 8, Sampler: Euler, CFG scale: 7, Seed: 9, Size: ${SIZE}x${SIZE}, Lora hashes: "lora_${sdxl}: [0-9A-F]{10}"$`),
    );
    expect(await placed(comfyLoras)).toEqual([]);
  });

  it("fails a job the backend refuses with its reason, and removes its LoRA files", async () => {
    a1111.knobs.txt2imgException = { type: "OutOfMemoryError", message: "CUDA out of memory. Tried to allocate 2.00 GiB" };
    const failed = await generate({ adapters: [{ adapterId: first, weight: 1 }] });
    a1111.knobs.txt2imgException = null;

    expect(failed).toMatchObject({ status: "FAILED", error: "backend 'a1111': POST /sdapi/v1/txt2img answered HTTP 500: CUDA out of memory. Tried to allocate 2.00 GiB", samples: [] });
    expect(await placed(a1111Loras)).toEqual([]);
  });

  it("cancels a running job: the backend is interrupted, the job fails as cancelled and its files are removed", async () => {
    a1111.knobs.stepDelayMs = 100;
    const earlier = a1111.requests.length;
    const asked = (path: string) => a1111.requests.slice(earlier).some((request) => request.path === path);
    const id = await createJob(app, { prompt: SD15_PROMPT, baseModelId: "sd15", adapters: [{ adapterId: first, weight: 1 }, { adapterId: second, weight: 1 }], steps: 100 });
    const progress = progressOf(ws, id);
    await eventually("the job's LoRA files to be placed", async () => (await placed(a1111Loras)).length === 2);
    // a cancel before txt2img (while the LoRAs are listed) ends the job without a generation to interrupt
    await eventually("the backend to be generating", async () => asked("/sdapi/v1/txt2img"));
    const cancel = `mutation ($id: ID!) { cancelGenerationJob(id: $id) { __typename ... on Error { code message } ... on CancelGenerationJobSuccess { job { status error } } } }`;
    expect((await ok(cancel, { id })).cancelGenerationJob).toEqual({ __typename: "CancelGenerationJobSuccess", job: { status: "FAILED", error: "cancelled" } });
    expect((await progress).at(-1)).toMatchObject({ status: "FAILED" });
    await eventually("the backend to be interrupted and loraDir emptied", async () =>
      asked("/sdapi/v1/interrupt") && (await placed(a1111Loras)).length === 0,
    );
    a1111.knobs.stepDelayMs = 0;
    expect((await ok(cancel, { id })).cancelGenerationJob).toMatchObject({ __typename: "ConflictError", code: "CONFLICT" });
    expect((await job(id)).samples).toEqual([]);
  });

  it("refuses a base model nobody serves with its code, and settings of the other kind of model, storing nothing", async () => {
    const before = await app.deps.db.prisma.generationJob.count();
    const unserved = await refused({ baseModelId: "flux1-dev" });
    expect(unserved).toMatchObject({ __typename: "BaseModelNotServedError", code: "BASE_MODEL_NOT_SERVED" });
    expect(unserved.message).toMatch(/lists 'flux1-dev' in a backend's baseModels in GENERATION_BACKENDS/);
    expect(await refused({ durationSeconds: 4, temperature: 0.5 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "durationSeconds" }, { field: "temperature" }] });
    expect(await refused({ width: 100 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "width", message: "width must be a multiple of 8" }] });
    expect(await refused({ adapters: [{ adapterId: sdxl, weight: 1 }] })).toMatchObject({ __typename: "IncompatibleAdapterError", code: "INCOMPATIBLE_ADAPTER" });
    expect(await app.deps.db.prisma.generationJob.count()).toBe(before);
  });

  it("fails a job whose RUNNING row a stopped API left behind when the runner starts, removing its files", async () => {
    const { imageJobs } = app.deps;
    await imageJobs.close();
    const id = await createJob(app, { prompt: SD15_PROMPT, baseModelId: "sd15", adapters: [{ adapterId: second, weight: 1 }] });
    await app.deps.db.prisma.generationJob.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date(Date.now() - 1000) } });
    await writeFile(join(a1111Loras, `lora_${second}.safetensors`), kohyaAdapter({ seed: 12 }));

    await imageJobs.start();

    expect(await job(id)).toMatchObject({ status: "FAILED", error: expect.stringMatching(/^the API stopped while backend 'a1111' was generating/) });
    expect(await placed(a1111Loras)).toEqual([]);
  });

  // Last: the A1111 contract server stays dead.
  it("fails the job with the reason when the backend dies mid-job, removes its files, and shows the backend down", async () => {
    Object.assign(a1111.knobs, { stepDelayMs: 20, dieAtStep: 2 });
    const calls = txt2imgCount();
    const failed = await generate({ adapters: [{ adapterId: second, weight: 1 }], steps: 10 });

    expect(txt2imgCount()).toBe(calls + 1);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/^backend 'a1111': POST \/sdapi\/v1\/txt2img at 127\.0\.0\.1:\d+ failed: other side closed/);
    expect(await placed(a1111Loras)).toEqual([]);
    const { generationBackends } = await ok(`{ generationBackends { name healthy problem } }`);
    expect(generationBackends[0]).toMatchObject({ name: "a1111", healthy: false, problem: expect.stringMatching(/ECONNREFUSED/) });
  });
});
