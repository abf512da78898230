import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import tonejs from "@tonejs/midi";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeSafetensors } from "../src/formats/safetensors.js";
import { connectedSidecar, CREATE_JOB, createJob, generate, jobView, progressOf, registerTunesAdapter, tunesAdapterFiles, type JobView } from "./generation-fixtures.js";
import { upload } from "./fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * Generation jobs end to end (DESIGN §2, §5, §7): the real API with its embedded sidecar, real onnxruntime sessions in
 * the sidecar's inference workers, real adapters (PEFT files as the built-in trainer writes them) registered through the
 * API, and progress over a real graphql-ws client.
 */

const PROMPT = "a gentle waltz in C major";
const BASE = { prompt: PROMPT, baseModelId: "tunes-s", durationSeconds: 4, samples: 2, seed: 11 };

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("generation jobs through the API and its embedded sidecar", () => {
  let app: TestApp;
  let ws: Client;
  /** live, active adapters of tunes-s */
  let live: string[];
  let medium: string;
  let inactive: string;
  let deleted: string;
  /** the Prisma calls made while `recording` */
  const calls: string[] = [];
  let recording = false;

  async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!;
  }

  async function refused(input: Record<string, unknown>): Promise<{ __typename: string; code: string; message: string; [field: string]: any }> {
    const data = await ok(CREATE_JOB, { input: { ...BASE, ...input } });
    expect(data.createGenerationJob.__typename).not.toBe("CreateGenerationJobSuccess");
    return data.createGenerationJob;
  }

  /** Everything a refused request could have stored or changed. */
  async function stored() {
    const prisma = app.deps.db.prisma;
    return {
      jobs: await prisma.generationJob.count(),
      jobAdapters: await prisma.generationJobAdapter.count(),
      usage: (await prisma.adapter.findMany({ select: { id: true, usageCount: true, updatedAt: true }, orderBy: { id: "asc" } })).map((a) => `${a.id}:${a.usageCount}:${a.updatedAt.toISOString()}`),
      queued: await app.deps.db.prisma.activityEvent.count({ where: { type: "GENERATION_QUEUED" } }),
    };
  }

  const notesOf = (job: JobView) => job.samples.map((sample) => sample.notes);

  async function wavHashes(job: JobView): Promise<string[]> {
    return Promise.all(job.samples.map(async (sample) => sha256(new Uint8Array(await (await fetch(`${app.url}${sample.audio!.url}`)).arrayBuffer()))));
  }

  async function adapterFilePath(id: string, file: string): Promise<string> {
    const adapter = await app.deps.db.prisma.adapter.findUniqueOrThrow({ where: { id } });
    return join(app.dataDir, "adapters", adapter.storageKey, file);
  }

  beforeAll(async () => {
    app = await startTestApp({ env: { SIDECAR: "embedded" }, onQuery: (model, operation) => void (recording && calls.push(`${model ?? "$"}.${operation}`)) });
    ws = app.wsClient();
    live = [];
    for (let seed = 1; seed <= 6; seed += 1) live.push(await registerTunesAdapter(app, `waltz-${seed}`, { seed, targetModules: seed % 2 ? ["fc1", "fc2", "head"] : ["fc2", "head"], rank: 2 + seed }));
    medium = await registerTunesAdapter(app, "medium-jig", { baseModel: "tunes-m", seed: 7 });
    inactive = await registerTunesAdapter(app, "sleepy", { seed: 8 });
    await ok(`mutation ($id: ID!) { deactivateAdapter(id: $id) { __typename } }`, { id: inactive });
    deleted = await registerTunesAdapter(app, "gone", { seed: 9 });
    await ok(`mutation ($id: ID!) { deleteAdapter(id: $id) { __typename } }`, { id: deleted });
    await connectedSidecar(app);
  });

  afterAll(async () => {
    await ws?.dispose();
    await app?.close();
  });

  it("refuses each unusable request with its code, storing and counting nothing", async () => {
    const before = await stored();

    const gone = await refused({ adapters: [{ adapterId: live[0], weight: 1 }, { adapterId: deleted, weight: 1 }] });
    expect(gone).toMatchObject({ __typename: "AdapterDeletedError", code: "ADAPTER_DELETED", adapterId: deleted });
    expect(gone.message).toMatch(/'gone' 1 was deleted/);

    const misfit = await refused({ adapters: [{ adapterId: live[0], weight: 1 }, { adapterId: medium, weight: 1 }] });
    expect(misfit).toMatchObject({ __typename: "IncompatibleAdapterError", code: "INCOMPATIBLE_ADAPTER", adapterId: medium });
    expect(misfit.message).toMatch(/Requires Tunes M/);
    const suggested = misfit.compatibleAdapters.map((adapter: { id: string }) => adapter.id).sort();
    expect(suggested).toEqual(live.slice(1).sort());
    expect(misfit.compatibleAdapters.every((adapter: any) => adapter.baseModel.id === "tunes-s" && adapter.active && adapter.deletedAt === null)).toBe(true);

    const sleepy = await refused({ adapters: [{ adapterId: inactive, weight: 1 }] });
    expect(sleepy).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters.0.adapterId" }] });
    expect(sleepy.message).toMatch(/inactive/);

    const twice = await refused({ adapters: [{ adapterId: live[0], weight: 1 }, { adapterId: live[0], weight: 0.5 }] });
    expect(twice).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters.1.adapterId" }] });

    const tooLong = await refused({ durationSeconds: 16.5 });
    expect(tooLong).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "durationSeconds" }] });
    expect(tooLong.message).toMatch(/at most 16 s/);

    const external = await refused({ baseModelId: "sd15" });
    expect(external).toMatchObject({ __typename: "BaseModelNotServedError", code: "BASE_MODEL_NOT_SERVED" });
    expect(external.message).toMatch(/^Stable Diffusion 1\.5 is not built in and no generation backend serves it: .* GENERATION_BACKENDS/);

    const imageSettings = await refused({ steps: 30, negativePrompt: "blurry" });
    expect(imageSettings).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "negativePrompt" }, { field: "steps" }] });
    expect(imageSettings.message).toMatch(/makes melodies, which take no negativePrompt, steps/);

    expect(await refused({ baseModelId: "no-such-model" })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "baseModelId" }] });
    expect(await refused({ adapters: [{ adapterId: "00000000-0000-0000-0000-000000000000", weight: 1 }] })).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
    expect(await refused({ samples: 9 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "samples" }] });
    expect(await refused({ temperature: 0 })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "temperature" }] });
    expect(await refused({ prompt: "   " })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "prompt" }] });

    expect(await stored()).toEqual(before);
  });

  it("takes weights 0.0 and 2.0 and five adapters, refuses 2.01, -0.1 and six, and counts each use", async () => {
    const before = await stored();
    const over = await refused({ adapters: [{ adapterId: live[0], weight: 2.01 }] });
    expect(over).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters.0.weight", message: "weight must be between 0.0 and 2.0" }] });
    const under = await refused({ adapters: [{ adapterId: live[0], weight: -0.1 }] });
    expect(under).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters.0.weight" }] });
    const six = await refused({ adapters: live.map((adapterId) => ({ adapterId, weight: 1 })) });
    expect(six).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters" }] });
    expect(six.message).toMatch(/at most 5 adapters/);
    expect(await stored()).toEqual(before);

    const five = await generate(app, ws, { ...BASE, adapters: [0, 2, 1, 0.5, 1.5].map((weight, index) => ({ adapterId: live[index], weight })) });
    expect(five.status, five.error ?? "").toBe("DONE");
    expect(five.adapters.map((entry) => [entry.position, entry.weight, entry.adapter.id])).toEqual([0, 2, 1, 0.5, 1.5].map((weight, index) => [index, weight, live[index]]));
    expect(five.loraHashes).toMatch(/^Lora hashes: "waltz-1: [0-9A-F]{10}, waltz-2: [0-9A-F]{10}, waltz-3: [0-9A-F]{10}, waltz-4: [0-9A-F]{10}, waltz-5: [0-9A-F]{10}"$/);
    const usage = await app.deps.db.prisma.adapter.findMany({ where: { id: { in: live } } });
    for (const adapter of usage) expect(adapter.usageCount, adapter.name).toBe(live.indexOf(adapter.id) < 5 ? 1 : 0);
    const untouched = Object.fromEntries(before.usage.map((entry) => entry.split(":")).map(([id, , ...time]) => [id, time.join(":")]));
    for (const adapter of usage) expect(adapter.updatedAt.toISOString(), "a use does not make the adapter 'updated'").toBe(untouched[adapter.id]);

    const atMax = await generate(app, ws, { ...BASE, durationSeconds: 16, samples: 1 });
    expect(atMax.status, atMax.error ?? "").toBe("DONE");
    expect(atMax.samples[0]!.lengthSteps).toBeLessThanOrEqual(128);
  });

  it("changes the melodies with one and with five adapters, and gives the same melodies for the same seed", async () => {
    const base = await generate(app, ws, BASE);
    const one = await generate(app, ws, { ...BASE, adapters: [{ adapterId: live[0], weight: 1 }] });
    const five = await generate(app, ws, { ...BASE, adapters: live.slice(0, 5).map((adapterId) => ({ adapterId, weight: 0.8 })) });
    for (const job of [base, one, five]) {
      expect(job.status, job.error ?? "").toBe("DONE");
      expect(job.samples).toHaveLength(2);
      expect(job.samples.every((sample) => sample.notes.length > 0)).toBe(true);
    }
    expect(notesOf(one)).not.toEqual(notesOf(base));
    expect(notesOf(five)).not.toEqual(notesOf(base));
    expect(notesOf(five)).not.toEqual(notesOf(one));

    const oneAgain = await generate(app, ws, { ...BASE, adapters: [{ adapterId: live[0], weight: 1 }] });
    const fiveAgain = await generate(app, ws, { ...BASE, adapters: live.slice(0, 5).map((adapterId) => ({ adapterId, weight: 0.8 })) });
    expect(notesOf(oneAgain)).toEqual(notesOf(one));
    expect(notesOf(fiveAgain)).toEqual(notesOf(five));
    expect(await wavHashes(fiveAgain)).toEqual(await wavHashes(five));
    const zero = await generate(app, ws, { ...BASE, adapters: [{ adapterId: live[0], weight: 0 }] });
    expect(notesOf(zero), "an adapter at weight 0.0 is the base model").toEqual(notesOf(base));
  });

  it("leaves no residue: the base model's output after a LoRA job, and after a LoRA job that failed, is bit-identical", async () => {
    const before = await generate(app, ws, BASE);
    const beforeWav = await wavHashes(before);

    const lora = await generate(app, ws, { ...BASE, adapters: live.slice(0, 5).map((adapterId, index) => ({ adapterId, weight: 2 - index * 0.3 })) });
    expect(lora.status, lora.error ?? "").toBe("DONE");
    const afterLora = await generate(app, ws, BASE);
    expect(notesOf(afterLora)).toEqual(notesOf(before));
    expect(await wavHashes(afterLora)).toEqual(beforeWav);

    // Corrupted on disk after registration: the sidecar finds the bytes do not match the registered sha256.
    const corrupt = await registerTunesAdapter(app, "corrupted", { seed: 21 });
    const weightsPath = await adapterFilePath(corrupt, "adapter_model.safetensors");
    const bytes = await readFile(weightsPath);
    for (let index = bytes.length - 64; index < bytes.length; index += 1) bytes[index] = 0xff;
    await writeFile(weightsPath, bytes);
    const failed = await generate(app, ws, { ...BASE, adapters: [{ adapterId: live[0], weight: 1 }, { adapterId: corrupt, weight: 1 }] });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/adapter 'corrupted' 1: adapter_model.safetensors .* not the registered .*corrupt/);
    expect(failed.samples).toEqual([]);
    const afterCorrupt = await generate(app, ws, BASE);
    expect(notesOf(afterCorrupt)).toEqual(notesOf(before));

    // Valid files with weights an inference worker refuses to load (NaN in lora_B).
    const poisoned = tunesAdapterFiles({ seed: 22, targetModules: ["head"] });
    const nan = encodeSafetensors(
      [
        { name: "base_model.model.head.lora_A.weight", dtype: "F32", shape: [4, 64], data: new Uint8Array(new Float32Array(4 * 64).fill(0.01).buffer) },
        { name: "base_model.model.head.lora_B.weight", dtype: "F32", shape: [42, 4], data: new Uint8Array(new Float32Array(42 * 4).fill(Number.NaN).buffer) },
      ],
      { format: "pt" },
    );
    const { body } = await upload(app.url, [{ name: "adapter_config.json", data: poisoned.config }, { name: "adapter_model.safetensors", data: nan }], { name: "poisoned", version: "1", baseModelId: "tunes-s" });
    expect(body.data.uploadAdapter.__typename, JSON.stringify(body)).toBe("UploadAdapterSuccess");
    const failedInWorker = await generate(app, ws, { ...BASE, adapters: [{ adapterId: body.data.uploadAdapter.adapter.id, weight: 1 }] });
    expect(failedInWorker.status).toBe("FAILED");
    expect(failedInWorker.error).toMatch(/adapter 'poisoned' 1: head holds values that are not finite/);
    const afterWorkerFailure = await generate(app, ws, BASE);
    expect(notesOf(afterWorkerFailure)).toEqual(notesOf(before));
    expect(await wavHashes(afterWorkerFailure)).toEqual(beforeWav);
  });

  it("serves each sample's WAV and MIDI with their sizes, beside its notes and scores", async () => {
    const job = await generate(app, ws, { ...BASE, samples: 1, durationSeconds: 3 });
    const [sample] = job.samples;
    expect(sample!.meter, "the waltz the prompt names is in 3/4").toEqual({ beatsPerBar: 3, stepsPerBeat: 4 });
    expect(sample!.scores).toMatchObject({ referenceKind: "STYLE", referenceId: "major-waltz", referenceName: "Major waltz", noteCount: sample!.notes.length });
    expect(sample!.scores.score).toBeGreaterThanOrEqual(0);
    expect(sample!.scores.score).toBeLessThanOrEqual(1);
    expect(sample!.durationSeconds).toBe(sample!.lengthSteps * 0.125);

    const wav = await fetch(`${app.url}${sample!.audio!.url}`);
    expect(wav.status).toBe(200);
    expect(wav.headers.get("content-type")).toBe("audio/wav");
    const wavBytes = new Uint8Array(await wav.arrayBuffer());
    expect(wavBytes.length).toBe(sample!.audio!.sizeBytes);
    expect(Number(wav.headers.get("content-length"))).toBe(sample!.audio!.sizeBytes);
    const header = new DataView(wavBytes.buffer);
    expect(new TextDecoder().decode(wavBytes.subarray(0, 4))).toBe("RIFF");
    expect(header.getUint32(24, true), "the base model's sample rate").toBe(22050);
    expect(header.getUint32(40, true) / 2 / 22050).toBeCloseTo(sample!.durationSeconds + 0.06, 2);

    const ranged = await fetch(`${app.url}${sample!.audio!.url}`, { headers: { range: "bytes=0-43" } });
    expect(ranged.status).toBe(206);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(wavBytes.subarray(0, 44));

    const midi = await fetch(`${app.url}${sample!.midi!.url}`);
    expect(midi.headers.get("content-type")).toBe("audio/midi");
    const midiBytes = new Uint8Array(await midi.arrayBuffer());
    expect(midiBytes.length).toBe(sample!.midi!.sizeBytes);
    const parsed = new tonejs.Midi(midiBytes);
    expect(parsed.header.timeSignatures[0]!.timeSignature).toEqual([3, 4]);
    expect(parsed.tracks[0]!.notes.map((note) => [note.midi, note.ticks / 120, note.durationTicks / 120])).toEqual(sample!.notes.map((note) => [note.pitch, note.start, note.duration]));

    expect((await fetch(`${app.url}/samples/${sample!.id}/other.bin`, { headers: app.headers })).status).toBe(404);
    expect((await fetch(`${app.url}/samples/00000000-0000-0000-0000-000000000000/sample.wav`, { headers: app.headers })).status).toBe(404);
  });

  it("serves adapter files to sidecars only", async () => {
    const path = `/sidecar/adapters/${live[0]}/adapter_model.safetensors`;
    expect((await fetch(`${app.url}${path}`)).status).toBe(401);
    const asSidecar = { authorization: `Bearer ${app.deps.config.sidecarToken}` };
    const response = await fetch(`${app.url}${path}`, { headers: asSidecar });
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe((await app.deps.db.prisma.adapter.findUniqueOrThrow({ where: { id: live[0] } })).sha256);
    expect((await fetch(`${app.url}/sidecar/adapters/${live[0]}/secrets.json`, { headers: asSidecar })).status, "only the adapter's own files").toBe(404);
  });

  it("streams the job's progress: its state first, fractions while running, then done, and ends", async () => {
    const id = await createJob(app, { ...BASE, baseModelId: "tunes-m", durationSeconds: 32, samples: 8 });
    const events = await progressOf(ws, id);
    expect(["QUEUED", "RUNNING"]).toContain(events[0]!.status);
    expect(events[events.length - 1]).toEqual({ status: "DONE", progress: 1 });
    const fractions = events.map((event) => event.progress);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(events.some((event) => event.status === "RUNNING" && event.progress > 0 && event.progress < 1), JSON.stringify(events)).toBe(true);

    const ended = await progressOf(ws, id);
    expect(ended, "a finished job's subscription sends its state and ends").toEqual([{ status: "DONE", progress: 1 }]);
    const missing = await progressOf(ws, "00000000-0000-0000-0000-000000000000").catch((error: Error) => error.message);
    expect(missing).toMatch(/NOT_FOUND/);
  });

  it("rates samples 1 to 5 stars, once per rater, leaving the aggregates of a stacked job's adapters alone", async () => {
    const job = await generate(app, ws, { ...BASE, adapters: [{ adapterId: live[4], weight: 1 }, { adapterId: live[5], weight: 0.5 }] });
    const rate = (sampleId: string, score: number) =>
      ok(
        `mutation ($sampleId: ID!, $score: Int!) { rateSample(sampleId: $sampleId, score: $score) {
          __typename ... on Error { code message } ... on RateSampleSuccess { rating { score } sample { id ratingCount averageRating } }
        } }`,
        { sampleId, score },
      ).then((data) => data.rateSample);
    const ratingsOf = async () =>
      (await app.deps.db.prisma.adapter.findMany({ where: { id: { in: [live[4]!, live[5]!] } }, orderBy: { name: "asc" } })).map((a) => [a.ratingSum, a.ratingCount]);
    const before = await ratingsOf();

    expect(await rate(job.samples[0]!.id, 4)).toMatchObject({ __typename: "RateSampleSuccess", rating: { score: 4 }, sample: { ratingCount: 1, averageRating: 4 } });
    expect(await rate(job.samples[1]!.id, 1)).toMatchObject({ sample: { ratingCount: 1, averageRating: 1 } });
    expect(await rate(job.samples[0]!.id, 5)).toMatchObject({ sample: { ratingCount: 1, averageRating: 5 } });
    expect(await ratingsOf()).toEqual(before);

    expect(await rate(job.samples[0]!.id, 0)).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
    expect(await rate(job.samples[0]!.id, 6)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await rate("00000000-0000-0000-0000-000000000000", 3)).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
    expect(await ratingsOf()).toEqual(before);
  });

  it("keeps a job readable after its adapter is deleted, marking the adapter deleted", async () => {
    const doomed = await registerTunesAdapter(app, "doomed", { seed: 31 });
    const job = await generate(app, ws, { ...BASE, adapters: [{ adapterId: live[1], weight: 1 }, { adapterId: doomed, weight: 1.2 }] });
    expect(job.adapters.map((entry) => entry.deleted)).toEqual([false, false]);
    await ok(`mutation ($id: ID!) { deleteAdapter(id: $id) { __typename } }`, { id: doomed });

    const view = await jobView(app, job.id);
    expect(view.status).toBe("DONE");
    expect(view.adapters.map((entry) => [entry.deleted, entry.adapter.name, entry.weight])).toEqual([[false, "waltz-2", 1], [true, "doomed", 1.2]]);
    expect(view.adapters[1]!.adapter.deletedAt).not.toBeNull();
    expect(view.samples).toHaveLength(2);
    const listed = await ok(`query ($id: ID!) { generationJobs(filter: { adapterId: $id }) { totalCount edges { node { id adapters { deleted } } } } }`, { id: doomed });
    expect(listed.generationJobs.edges.map((edge: any) => edge.node.id)).toEqual([job.id]);
    expect((await refused({ adapters: [{ adapterId: doomed, weight: 1 }] })).code).toBe("ADAPTER_DELETED");
  });

  it("lists jobs newest first, filtered by status, base model and adapter, a page at a time", async () => {
    const first = await generate(app, ws, { ...BASE, samples: 1, adapters: [{ adapterId: live[2], weight: 1 }] });
    const second = await generate(app, ws, { ...BASE, samples: 1, baseModelId: "tunes-m", adapters: [{ adapterId: medium, weight: 1 }] });
    const page = await ok(`{ generationJobs(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`);
    expect(page.generationJobs.edges.map((edge: any) => edge.node.id)).toEqual([second.id, first.id]);
    expect(page.generationJobs.pageInfo.hasNextPage).toBe(true);
    const next = await ok(`query ($after: String) { generationJobs(first: 1, after: $after) { edges { node { id } } } }`, { after: page.generationJobs.pageInfo.endCursor });
    expect(next.generationJobs.edges[0].node.id).not.toBe(first.id);

    const medium_ = await ok(`{ generationJobs(filter: { baseModelId: "tunes-m", status: DONE }) { edges { node { id baseModel { id } } } } }`);
    expect(medium_.generationJobs.edges.every((edge: any) => edge.node.baseModel.id === "tunes-m")).toBe(true);
    expect(medium_.generationJobs.edges.map((edge: any) => edge.node.id)).toContain(second.id);
    const failed = await ok(`{ generationJobs(filter: { status: FAILED }) { totalCount } }`);
    expect(failed.generationJobs.totalCount).toBe(2);
    const byAdapter = await ok(`query ($id: ID!) { generationJobs(filter: { adapterId: $id }) { edges { node { id } } } }`, { id: medium });
    expect(byAdapter.generationJobs.edges.map((edge: any) => edge.node.id)).toEqual([second.id]);
  });

  it("lists jobs with the same Prisma calls whatever the page size (no N+1)", async () => {
    const LIST = `query ($first: Int) { generationJobs(first: $first) { totalCount edges { node {
      id status baseModel { id displayName } adapters { weight deleted adapter { id name version } }
      samples { id notes { pitch } scores { score } ratingCount averageRating }
    } } } }`;
    const callsFor = async (first: number) => {
      calls.length = 0;
      recording = true;
      const data = await ok(LIST, { first });
      recording = false;
      expect(data.generationJobs.edges).toHaveLength(first);
      return [...calls].sort();
    };
    const small = await callsFor(2);
    const large = await callsFor(6);
    expect(large).toEqual(small);
    expect(large).toMatchInlineSnapshot(`
      [
        "GenerationJob.count",
        "GenerationJob.findMany",
      ]
    `);
  });
  it("creates a job from an A1111-style prompt's <lora:name:weight> tags, refusing tags it cannot use", async () => {
    const before = await stored();
    const unknown = await refused({ prompt: `${PROMPT} <lora:waltz-1:0.8> <lora:nobody:1>` });
    expect(unknown).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "prompt", message: expect.stringMatching(/^at 45: .*nobody/) }] });
    expect(await refused({ prompt: `${PROMPT} <lora:waltz-1:inf>` })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "prompt" }] });
    expect(await refused({ prompt: `${PROMPT} <lora:gone:1>` })).toMatchObject({ code: "ADAPTER_DELETED", adapterId: deleted });
    expect(await refused({ prompt: `${PROMPT} <lora:medium-jig:1>` })).toMatchObject({ code: "INCOMPATIBLE_ADAPTER", adapterId: medium });
    expect(await refused({ prompt: `${PROMPT} <lora:waltz-1:2.5>` })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await stored()).toEqual(before);

    const tagged = [await registerTunesAdapter(app, "tagged-a", { seed: 21 }), await registerTunesAdapter(app, "tagged-b", { seed: 22 })];
    const id = await createJob(app, { ...BASE, prompt: `${PROMPT} <lora:tagged-a:0.8> <lora:tagged-b:1.5>` });
    const job = await jobView(app, id);
    expect(job.adapters.map((entry) => [entry.adapter.id, entry.weight])).toEqual([[tagged[0], 0.8], [tagged[1], 1.5]]);
    expect(job.loraHashes).toMatch(/^Lora hashes: "tagged-a: [0-9A-F]{10}, tagged-b: [0-9A-F]{10}"$/i);
  });

  it("merges the prompt's tags with the adapters picked: one weight each, at most five in all, no tag left unused", async () => {
    const before = await stored();
    const twoWeights = await refused({ prompt: `${PROMPT} <lora:waltz-1:0.8>`, adapters: [{ adapterId: live[0], weight: 1.2 }] });
    expect(twoWeights).toMatchObject({
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "prompt", message: "<lora:waltz-1:0.8> gives 'waltz-1' weight 0.8, but it is at 1.2 among the adapters picked; give it one weight" }],
    });
    const twiceInPrompt = await refused({ prompt: `${PROMPT} <lora:waltz-2:0.5> <lora:waltz-2:1>` });
    expect(twiceInPrompt.fieldErrors).toEqual([{ field: "prompt", message: expect.stringMatching(/at 0.5 in an earlier tag; give it one weight$/) }]);
    const six = await refused({ prompt: `${PROMPT} <lora:waltz-6:1>`, adapters: live.slice(0, 5).map((adapterId) => ({ adapterId, weight: 1 })) });
    expect(six).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters", message: expect.stringMatching(/^at most 5 adapters .* these name 6/) }] });
    expect(await refused({ prompt: `${PROMPT} <lora:gone:1>`, adapters: [{ adapterId: live[0], weight: 1 }] })).toMatchObject({ code: "ADAPTER_DELETED", adapterId: deleted });
    expect(await refused({ prompt: `${PROMPT} <lora:nobody:1>`, adapters: [{ adapterId: live[0], weight: 1 }] })).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "prompt" }] });
    expect(await stored()).toEqual(before);

    const prompt = `${PROMPT} <lora:waltz-1:0.8> <lora:waltz-3:1.25> <lora:waltz-3:1.250>`;
    const id = await createJob(app, { ...BASE, prompt, adapters: [{ adapterId: live[0], weight: 0.8 }, { adapterId: live[1], weight: 1 }] });
    const job = await jobView(app, id);
    expect(job.prompt).toBe(prompt);
    expect(job.adapters.map((entry) => [entry.adapter.id, entry.weight])).toEqual([[live[0], 0.8], [live[1], 1], [live[2], 1.25]]);
  });

  it("draws each sample with its own seed, also with five adapters stacked at full weight, and names its downloads after prompt, seed and adapters", async () => {
    const stacked = await generate(app, ws, { ...BASE, samples: 3, adapters: live.slice(0, 5).map((adapterId) => ({ adapterId, weight: 1 })) });
    expect(stacked.status, stacked.error ?? "").toBe("DONE");
    expect(new Set(stacked.samples.map((sample) => JSON.stringify(sample.notes))).size, "three seeds, three melodies").toBe(3);
    const job = await generate(app, ws, { ...BASE, adapters: [{ adapterId: live[0], weight: 0.8 }] });
    const { generationJob } = await ok(`query ($id: ID!) { generationJob(id: $id) { samples { index seed } } }`, { id: job.id });
    expect(generationJob.samples).toEqual([{ index: 0, seed: 11 }, { index: 1, seed: 12 }]);
    const audio = await fetch(`${app.url}${job.samples[1]!.audio!.url}`, { headers: app.headers });
    expect(audio.headers.get("content-disposition")).toBe('inline; filename="a-gentle-waltz-in-c-major_seed-12_waltz-1-0.8.wav"');
    const midi = await fetch(`${app.url}${job.samples[0]!.midi!.url}`, { headers: app.headers });
    expect(midi.headers.get("content-disposition")).toBe('inline; filename="a-gentle-waltz-in-c-major_seed-11_waltz-1-0.8.mid"');
  });

  it("finds jobs by the words of their prompt and by when they were created", async () => {
    const since = new Date().toISOString();
    const lullaby = await createJob(app, { ...BASE, samples: 1, prompt: "A Sleepy Lullaby in F" });
    const find = (filter: Record<string, unknown>) =>
      ok(`query ($filter: GenerationJobFilter) { generationJobs(filter: $filter) { totalCount edges { node { id } } } }`, { filter }).then((data) =>
        data.generationJobs.edges.map((edge: any) => edge.node.id),
      );
    expect(await find({ promptContains: "sleepy LULLABY" })).toEqual([lullaby]);
    expect(await find({ promptContains: "lullaby", createdBefore: since })).toEqual([]);
    expect(await find({ createdAfter: since })).toEqual([lullaby]);
    expect(await find({ promptContains: "lullaby", baseModelId: "tunes-m" })).toEqual([]);
  });

  it("fails a job whose sample files the API cannot write, saying why and keeping none of its samples", async () => {
    // jobs of earlier tests may still be writing their samples: the folder is swapped only once they are done
    const unfinished = () => app.deps.db.prisma.generationJob.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } });
    await expect.poll(unfinished, { timeout: 60_000, interval: 200 }).toBe(0);
    const samplesDir = join(app.dataDir, "samples");
    await rm(samplesDir, { recursive: true, force: true });
    await writeFile(samplesDir, "a file where the samples' folder should be");
    try {
      const job = await generate(app, ws, { prompt: "a gentle waltz", baseModelId: "tunes-s", durationSeconds: 1, samples: 2 });
      expect(job).toMatchObject({ status: "FAILED", error: "the API could not write the samples' WAV and MIDI files (ENOTDIR)", samples: [] });
      expect(job.events.at(-1)).toMatchObject({ status: "FAILED" });
      expect(await app.deps.db.prisma.sample.count({ where: { jobId: job.id } })).toBe(0);
    } finally {
      await rm(samplesDir, { force: true });
    }
  });
});
