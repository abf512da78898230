import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { inspectPng } from "../../src/formats/png.js";
import { readPngText } from "../../src/formats/png-text.js";
import { a1111Endpoint, createA1111Client } from "../../src/generation/backends/a1111.js";
import { BackendError, type BackendTimeouts, type GenerationProgress, type ImageRequest } from "../../src/generation/backends/backend.js";
import { startA1111ContractServer } from "../contract-servers/a1111.js";
import { pngImage } from "../png-fixture.js";
import { backendUnderTest, closedPortUrl, startRawServer } from "./backend-under-test.js";

/*
 * The A1111 client against the contract server, or against a real AUTOMATIC1111 / SD.Next when A1111_URL is set
 * (A1111_LORA_DIR: the folder it reads LoRAs from, writable here); what only the contract server can stage or
 * observe is skipped then.
 */

const backend = backendUnderTest("A1111", (loraDir) => startA1111ContractServer({ loraDir }));
const real = backend.real;
const TIMEOUTS: BackendTimeouts = { healthMs: 3_000, requestMs: 10_000, generateMs: 120_000 };
const SIZE = 256;

const contract = () => backend.contract!;
const client = (options: { checkpoint?: string; timeouts?: Partial<BackendTimeouts> } = {}) =>
  createA1111Client({ url: backend.url, checkpoint: options.checkpoint, timeouts: { ...TIMEOUTS, ...options.timeouts } });
const unique = (label: string) => `lora_test_${label}_${randomBytes(4).toString("hex")}`;

/** A small valid safetensors file: one f32 scalar, so each file has its own tensor bytes (and hash). */
function writeLora(name: string): Promise<void> {
  const header = Buffer.from(JSON.stringify({ __metadata__: { format: "pt" }, "lora_studio_test.alpha": { dtype: "F32", shape: [], data_offsets: [0, 4] } }).padEnd(128));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return backend.writeLora(name, Buffer.concat([length, header, randomBytes(4)]));
}

function imageRequest(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return { prompt: "a red fox", negativePrompt: "blurry", loras: [], seed: 1234, count: 1, steps: 4, sampler: "Euler a", cfgScale: 7, width: SIZE, height: SIZE, ...overrides };
}

const options = (signal = new AbortController().signal, onProgress: (p: GenerationProgress) => void = () => undefined) => ({ signal, onProgress });

async function listedLoraNames(): Promise<string[]> {
  const loras = (await (await fetch(a1111Endpoint(backend.url, "loras"))).json()) as { name: string }[];
  return loras.map((lora) => lora.name);
}

const txt2imgBodies = () => contract().requests.filter((r) => r.path === "/sdapi/v1/txt2img").map((r) => r.body as Record<string, unknown>);

describe("generating with the A1111 client", () => {
  it("makes new LoRA files known, then generates with both at their weights, seeds counting up from the first", async () => {
    const [first, second] = [unique("a"), unique("b")];
    await writeLora(first);
    await writeLora(second);
    expect(await listedLoraNames()).not.toContain(first);

    const a1111 = client();
    await a1111.prepareLoras([first, second], new AbortController().signal);
    const loras = [{ name: first, weight: 0.8 }, { name: second, weight: 0.35 }];
    const result = await a1111.generate(imageRequest({ loras, count: 2 }), options());

    expect(result.images.map((image) => image.seed)).toEqual([1234, 1235]);
    expect(result.backendMs).toBeGreaterThan(0);
    for (const image of result.images) {
      expect(inspectPng(image.png)).toEqual({ width: SIZE, height: SIZE });
      expect([image.width, image.height]).toEqual([SIZE, SIZE]);
      const parameters = readPngText(image.png, "parameters");
      expect(parameters).toContain(`a red fox <lora:${first}:0.8> <lora:${second}:0.35>\nNegative prompt: blurry\nSteps: 4, Sampler: Euler a`);
      expect(parameters).toContain(`Seed: ${image.seed}, Size: ${SIZE}x${SIZE}`);
      expect(image.info).toEqual({ infotext: parameters });
    }
    if (real) return;
    expect(txt2imgBodies()).toEqual([
      {
        prompt: `a red fox <lora:${first}:0.8> <lora:${second}:0.35>`, negative_prompt: "blurry", seed: 1234, batch_size: 2, n_iter: 1, steps: 4,
        sampler_name: "Euler a", cfg_scale: 7, width: SIZE, height: SIZE, send_images: true, save_images: false,
      },
    ]);
    expect(readPngText(result.images[0]!.png, "parameters")).toMatch(new RegExp(`Lora hashes: "${first}: [0-9a-f]{12}, ${second}: [0-9a-f]{12}"$`));
  });

  it("refuses a LoRA the backend does not list after a refresh, before any txt2img", async () => {
    const missing = unique("missing");
    const refusal = await client().prepareLoras([missing], new AbortController().signal).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(BackendError);
    expect(refusal).toMatchObject({ transient: false, message: expect.stringContaining(`'${missing}' after refreshing its LoRAs`) });
    if (real) return;
    expect(contract().requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /sdapi/v1/refresh-loras", "GET /sdapi/v1/loras"]);
  });

  it("reports sampling progress while txt2img runs", async () => {
    const steps = real ? 80 : 20;
    if (!real) contract().knobs.stepDelayMs = 40;
    const reports: GenerationProgress[] = [];

    await client().generate(imageRequest({ steps }), options(undefined, (progress) => reports.push(progress)));

    const sampling = reports.filter((report) => report.steps === steps);
    expect(sampling.length).toBeGreaterThan(0);
    for (const report of sampling) {
      expect(report.fraction).toBeGreaterThan(0);
      expect(report.fraction).toBeLessThanOrEqual(1);
      expect(report.step).toBeGreaterThanOrEqual(0);
      expect(report.step).toBeLessThanOrEqual(steps);
    }
    const repeated = reports.filter((report, index) => index > 0 && JSON.stringify(report) === JSON.stringify(reports[index - 1]));
    expect(repeated).toEqual([]);
  });

  it("interrupts the backend when aborted, rejects with the abort's reason, and leaves the backend free", async () => {
    if (!real) contract().knobs.stepDelayMs = 50;
    const controller = new AbortController();
    const reason = new Error("the job was cancelled");
    const a1111 = client();

    const outcome = a1111.generate(imageRequest({ steps: 150 }), options(controller.signal, (progress) => {
      if ((progress.step ?? 0) >= 1) controller.abort(reason);
    }));

    await expect(outcome).rejects.toBe(reason);
    if (!real) expect(contract().requests.filter((r) => r.path === "/sdapi/v1/interrupt")).toHaveLength(1);
    if (!real) contract().knobs.stepDelayMs = 0;
    const next = await a1111.generate(imageRequest({ steps: 2 }), options());
    expect(next.images).toHaveLength(1);
  });

  it("does not start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stopped"));

    await expect(client().generate(imageRequest(), options(controller.signal))).rejects.toThrow("stopped");
    if (!real) expect(contract().requests).toEqual([]);
  });
});

describe.skipIf(real)("what only the contract server can stage", () => {
  it("sends the checkpoint to load, and refuses one the backend does not have before txt2img", async () => {
    const result = await client({ checkpoint: "sd_xl_base_1.0" }).generate(imageRequest(), options());

    expect(txt2imgBodies()[0]).toMatchObject({ override_settings: { sd_model_checkpoint: "sd_xl_base_1.0" }, override_settings_restore_afterwards: false });
    expect(result.images[0]!.info.infotext).toContain("Model: sd_xl_base_1.0");

    const refusal = client({ checkpoint: "dreamshaper_8" }).generate(imageRequest(), options());
    await expect(refusal).rejects.toThrow(/checkpoint 'dreamshaper_8' is not among the backend's 2 checkpoints \(v1-5-pruned-emaonly\.safetensors \[/);
    expect(txt2imgBodies()).toHaveLength(1);
  });

  it("fails the generation with the reason when the backend dies mid-job", async () => {
    Object.assign(contract().knobs, { stepDelayMs: 20, dieAtStep: 3 });

    const failure = await client().generate(imageRequest({ steps: 10 }), options()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(BackendError);
    expect(failure).toMatchObject({ transient: true, message: expect.stringMatching(/^POST \/sdapi\/v1\/txt2img at 127\.0\.0\.1:\d+ failed: other side closed/) });
  });

  it("passes on the exception of an HTTP 500 as a transient failure", async () => {
    contract().knobs.txt2imgException = { type: "OutOfMemoryError", message: "CUDA out of memory. Tried to allocate 2.00 GiB" };

    const failure = client().generate(imageRequest(), options());

    await expect(failure).rejects.toMatchObject({ transient: true, message: "POST /sdapi/v1/txt2img answered HTTP 500: CUDA out of memory. Tried to allocate 2.00 GiB" });
  });

  it("like A1111, generates without a LoRA it cannot find, leaving it out of the Lora hashes: the client's check is what refuses it", async () => {
    const known = unique("known");
    await writeLora(known);

    const answer = await fetch(a1111Endpoint(backend.url, "txt2img"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: `a fox <lora:${known}:1> <lora:lora_gone:1>`, steps: 1, width: 64, height: 64 }),
    });

    expect(answer.status).toBe(200);
    const info = JSON.parse(((await answer.json()) as { info: string }).info) as { infotexts: string[] };
    expect(info.infotexts[0]).toMatch(new RegExp(`Lora hashes: "?${known}: [0-9a-f]{12}"?$`));
  });

  it("answers a body of the wrong types as FastAPI does, and ignores fields it does not know", async () => {
    const post = (body: unknown, contentType = "application/json") =>
      fetch(a1111Endpoint(backend.url, "txt2img"), { method: "POST", headers: { "content-type": contentType }, body: JSON.stringify(body) });

    const refused = await post({ steps: "many", cfg_scale: [7], send_images: "perhaps", override_settings: "none" });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      detail: [
        { loc: ["body", "steps"], msg: "value is not a valid integer", type: "type_error.integer" },
        { loc: ["body", "cfg_scale"], msg: "value is not a valid float", type: "type_error.float" },
        { loc: ["body", "override_settings"], msg: "value is not a valid dict", type: "type_error.dict" },
        { loc: ["body", "send_images"], msg: "value could not be parsed to a boolean", type: "type_error.bool" },
      ],
    });

    const asText = await post({ prompt: "a fox" }, "text/plain");
    expect(asText.status).toBe(422);
    expect(await asText.json()).toEqual({ detail: [{ loc: ["body"], msg: "value is not a valid dict", type: "type_error.dict" }] });

    const accepted = await post({ prompt: "a fox", steps: "2", width: 64, height: 64, lora_studio_extra: true });
    expect(accepted.status).toBe(200);
    const { parameters } = (await accepted.json()) as { parameters: Record<string, unknown> };
    expect(parameters).toMatchObject({ steps: 2 });
    expect(parameters).not.toHaveProperty("lora_studio_extra");
  });

  it("a refusal of the request (422) is a permanent failure quoting FastAPI's detail", async () => {
    const refusing = await startRawServer((_, res) => {
      res.writeHead(422, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: [{ loc: ["body", "steps"], msg: "value is not a valid integer", type: "type_error.integer" }] }));
    });

    const failure = createA1111Client({ url: refusing.url, timeouts: TIMEOUTS }).generate(imageRequest(), options());

    await expect(failure).rejects.toMatchObject({ transient: false, message: "POST /sdapi/v1/txt2img answered HTTP 422: body.steps: value is not a valid integer" });
    await refusing.close();
  });
});

describe("health", () => {
  it("is ok when the backend lists its checkpoints; A1111's API tells no version", async () => {
    expect(await client().health()).toEqual({ ok: true, version: null });
  });

  it.skipIf(real)("is not ok when the configured checkpoint is not among them", async () => {
    expect(await client({ checkpoint: "v1-5-pruned-emaonly" }).health()).toEqual({ ok: true, version: null });
    expect(await client({ checkpoint: "nope" }).health()).toEqual({ ok: false, reason: expect.stringContaining("checkpoint 'nope' is not among") });
  });

  it("is not ok when nothing listens", async () => {
    const health = await createA1111Client({ url: await closedPortUrl(), timeouts: TIMEOUTS }).health();

    expect(health).toEqual({ ok: false, reason: expect.stringMatching(/^GET \/sdapi\/v1\/sd-models at 127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/) });
  });

  it("is not ok when the backend does not answer in time", async () => {
    const silent = await startRawServer(() => undefined);

    const health = await createA1111Client({ url: silent.url, timeouts: { ...TIMEOUTS, healthMs: 200 } }).health();

    expect(health).toEqual({ ok: false, reason: expect.stringMatching(/no complete answer from 127\.0\.0\.1:\d+ within 0\.2 s$/) });
    await silent.close();
  });
});

describe("answers the client refuses", () => {
  const answering = (body: Buffer | string, headers: Record<string, string> = {}) =>
    startRawServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json", ...headers });
      res.end(body);
    });

  it("refuses an answer over its limit without reading it whole", async () => {
    let sent = 0;
    const endless = await startRawServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, " ");
      const write = () => {
        while (!res.destroyed && sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed && sent < 64 * 1024 * 1024) res.once("drain", write);
      };
      write();
    });

    const health = await createA1111Client({ url: endless.url, timeouts: TIMEOUTS }).health();

    expect(health).toEqual({ ok: false, reason: "GET /sdapi/v1/sd-models: the answer is larger than 1 MiB" });
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    await endless.close();
  });

  it("refuses a txt2img answer that announces more than 256 MiB", async () => {
    const huge = await startRawServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(300 * 1024 * 1024) });
      res.write("{");
    });

    const failure = createA1111Client({ url: huge.url, timeouts: TIMEOUTS }).generate(imageRequest(), options());

    await expect(failure).rejects.toMatchObject({ transient: false, message: "POST /sdapi/v1/txt2img: the answer is larger than 256 MiB" });
    await huge.close();
  });

  const info = JSON.stringify({ all_seeds: [1234], infotexts: ["a red fox"] });
  it.each([
    ["not JSON", "<html>Internal error</html>", /^the txt2img answer is not JSON/],
    ["without images", JSON.stringify({ info }), /^the txt2img answer is not what the A1111 API answers: images:/],
    ["with an info that is not Processed.js()", JSON.stringify({ images: [pngImage(8, 8).toString("base64")], info: "{}" }), /^the txt2img answer's info is not what the A1111 API answers: all_seeds:/],
    ["with a JPEG for an image", JSON.stringify({ images: [Buffer.from("ffd8ffe000104a464946", "hex").toString("base64")], info }), /^image 0 of the txt2img answer is not a PNG: .*samples_format option to png$/],
    ["with fewer images than asked for", JSON.stringify({ images: [], info: JSON.stringify({ all_seeds: [], infotexts: [] }) }), /^txt2img returned 0 images for the 1 asked for$/],
  ])("refuses a txt2img answer %s", async (_, body, message) => {
    const malformed = await answering(body);

    const failure = createA1111Client({ url: malformed.url, timeouts: TIMEOUTS }).generate(imageRequest(), options());

    await expect(failure).rejects.toMatchObject({ transient: false, message: expect.stringMatching(message) });
    await malformed.close();
  });
});

describe("a1111Endpoint", () => {
  it.each([
    ["http://gpu:7860", "http://gpu:7860/sdapi/v1/txt2img"],
    ["http://gpu:7860/", "http://gpu:7860/sdapi/v1/txt2img"],
    ["http://proxy/sd/", "http://proxy/sd/sdapi/v1/txt2img"],
    ["http://proxy/sd/sdapi/v1/txt2img?key=1#top", "http://proxy/sd/sdapi/v1/txt2img?key=1"],
    ["http://proxy/sd/sdapi/v1", "http://proxy/sd/sdapi/v1/txt2img"],
  ])("puts the API under %s", (base, expected) => {
    expect(a1111Endpoint(base, "txt2img").href).toBe(expected);
  });
});
