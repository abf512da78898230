import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { inspectPng } from "../../src/formats/png.js";
import { readPngText } from "../../src/formats/png-text.js";
import { encodeSafetensors } from "../../src/formats/safetensors.js";
import { BackendError, type BackendTimeouts, type GenerationProgress, type ImageRequest } from "../../src/generation/backends/backend.js";
import { createComfyUiClient } from "../../src/generation/backends/comfyui.js";
import { A1111_SAMPLERS, defaultWorkflow, type Workflow } from "../../src/generation/backends/comfyui-workflow.js";
import { COMFYUI_VERSION, startComfyUiContractServer } from "../contract-servers/comfyui.js";
import { backendUnderTest, closedPortUrl } from "./backend-under-test.js";

/*
 * The ComfyUI client against the contract server, or against a real ComfyUI when COMFYUI_URL is set
 * (COMFYUI_LORA_DIR: the folder it reads LoRAs from, writable here; COMFYUI_CHECKPOINT: an SD 1.5 checkpoint it has);
 * what only the contract server can stage or observe is skipped then.
 */

const backend = backendUnderTest("COMFYUI", (loraDir) => startComfyUiContractServer({ loraDir }));
const real = backend.real;
const checkpoint = process.env.COMFYUI_CHECKPOINT;
const TIMEOUTS: BackendTimeouts = { healthMs: 3_000, requestMs: 10_000, generateMs: real ? 600_000 : 30_000 };
const SIZE = 128;

const contract = () => backend.contract!;
const client = (options: { workflow?: object; timeouts?: Partial<BackendTimeouts> } = {}) =>
  createComfyUiClient({ url: backend.url, checkpoint, workflow: options.workflow ?? defaultWorkflow("sd15"), timeouts: { ...TIMEOUTS, ...options.timeouts } });
const unique = (label: string) => `lora_test_${label}_${randomBytes(4).toString("hex")}`;

/** A valid safetensors file with no tensors: a LoRA that loads and changes nothing. */
function writeLora(name: string): Promise<void> {
  return backend.writeLora(name, encodeSafetensors([], { format: "pt" }));
}

function imageRequest(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return { prompt: "a red fox", negativePrompt: "blurry", loras: [], seed: 1234, count: 1, steps: 4, sampler: "DPM++ 2M Karras", cfgScale: 7, width: SIZE, height: SIZE, ...overrides };
}

const options = (signal = new AbortController().signal, onProgress: (p: GenerationProgress) => void = () => undefined) => ({ signal, onProgress });

async function getJson(path: string): Promise<any> {
  const response = await fetch(new URL(path, backend.url));
  expect(response.status).toBe(200);
  return response.json();
}

async function postPrompt(prompt: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL("/prompt", backend.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt }) });
  return { status: response.status, body: await response.json() };
}

/** What ComfyUI ran for a prompt, from its history: [number, prompt id, the workflow, extra_data, outputs]. */
async function historyOf(promptId: string): Promise<{ prompt: [number, string, Workflow, Record<string, unknown>, string[]]; status: { messages: [string, unknown][] } }> {
  return (await getJson(`/history/${promptId}`))[promptId];
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = await probe();
    if (found !== undefined) return found;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe(`the ComfyUI client against ${process.env.COMFYUI_URL ?? "the contract server"}`, () => {
  it("reports ComfyUI's version as its health, and a server that does not answer as down", async () => {
    const health = await client().health();
    expect(health).toEqual({ ok: true, version: real ? expect.any(String) : COMFYUI_VERSION });
    backend.url = await closedPortUrl();
    expect(await client().health()).toEqual({ ok: false, reason: expect.stringMatching(/^GET \/system_stats at 127\.0\.0\.1:\d+ failed: connect ECONNREFUSED/) });
  });

  it("sees LoRA files placed in its folder, one placed after ComfyUI last listed it included", async () => {
    const [first, later] = [unique("first"), unique("later")];
    await writeLora(first);
    await client().prepareLoras([first], new AbortController().signal);
    await writeLora(later);
    await client().prepareLoras([first, later], new AbortController().signal);
  });

  it("refuses a LoRA ComfyUI does not list, naming its file", async () => {
    const error = await rejection(client().prepareLoras([unique("absent")], new AbortController().signal));
    expect(error.message).toMatch(/^ComfyUI does not list lora_test_absent_\w+\.safetensors among its \d+ LoRA files: is the backend's loraDir/);
    expect(error.transient).toBe(false);
  });

  it("maps every sampler it knows to names ComfyUI's KSampler accepts", async () => {
    const required = (await getJson("/object_info/KSampler")).KSampler.input.required;
    for (const [name, { sampler_name, scheduler }] of Object.entries(A1111_SAMPLERS)) {
      expect(required.sampler_name[0], name).toContain(sampler_name);
      expect(required.scheduler[0], name).toContain(scheduler);
    }
  });

  it("chains two LoRAs in order into the sampler and both prompts, one prompt per image with seed + i, and returns ComfyUI's PNGs", async () => {
    const [first, second] = [unique("first"), unique("second")];
    await Promise.all([writeLora(first), writeLora(second)]);
    const loras = [{ name: first, weight: 0.6 }, { name: second, weight: 1.3 }];
    const result = await client().generate(imageRequest({ loras, count: 2 }), options());

    expect(result.images.map((image) => image.seed)).toEqual([1234, 1235]);
    expect(result.backendMs).toBeGreaterThanOrEqual(0);
    for (const image of result.images) {
      expect(inspectPng(image.png)).toEqual({ width: SIZE, height: SIZE });
      expect(image).toMatchObject({ width: SIZE, height: SIZE, info: { promptId: expect.any(String), nodeId: "9", filename: expect.stringMatching(/^lora-studio_\d{5}_\.png$/) } });
      const ran = await historyOf(image.info.promptId as string);
      const workflow = ran.prompt[2];
      const loaders = Object.entries(workflow).filter(([, node]) => node.class_type === "LoraLoader");
      expect(loaders.map(([, node]) => [node.inputs.lora_name, node.inputs.strength_model, node.inputs.strength_clip])).toEqual([
        [`${first}.safetensors`, 0.6, 0.6],
        [`${second}.safetensors`, 1.3, 1.3],
      ]);
      const [[firstId, firstLoader], [secondId, secondLoader]] = loaders as [[string, Workflow[string]], [string, Workflow[string]]];
      expect([firstLoader.inputs.model, firstLoader.inputs.clip]).toEqual([["4", 0], ["4", 1]]);
      expect([secondLoader.inputs.model, secondLoader.inputs.clip]).toEqual([[firstId, 0], [firstId, 1]]);
      expect(workflow["3"]!.inputs).toMatchObject({ model: [secondId, 0], seed: image.seed, steps: 4, sampler_name: "dpmpp_2m", scheduler: "karras" });
      expect([workflow["6"]!.inputs.clip, workflow["7"]!.inputs.clip]).toEqual([[secondId, 1], [secondId, 1]]);
      expect(workflow["5"]!.inputs.batch_size).toBe(1);
      // SaveImage embeds the prompt it ran, as json.dumps writes it.
      expect(JSON.parse(readPngText(image.png, "prompt")!)).toEqual(workflow);
    }
    if (!real) expect(contract().prompts.map((p) => p.body.client_id)).toEqual([expect.any(String), contract().prompts[0]!.body.client_id]);
  });

  it("reports the sampler's steps as progress across the images", async () => {
    const progress: GenerationProgress[] = [];
    await client().generate(imageRequest({ count: 2 }), options(undefined, (p) => progress.push(p)));
    expect(progress.map((p) => [p.step, p.steps])).toEqual([1, 2, 3, 4, 1, 2, 3, 4].map((step) => [step, 4]));
    expect(progress.map((p) => p.fraction)).toEqual([0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
  });

  it("interrupts the running prompt when aborted, and rejects with the abort's reason", async () => {
    if (!real) contract().knobs.stepMs = 50;
    const controller = new AbortController();
    const reason = new Error("cancelled by the user");
    const generating = client().generate(imageRequest({ steps: 40 }), options(controller.signal, () => controller.abort(reason)));
    await expect(generating).rejects.toBe(reason);
    const interrupted = await eventually(async () => {
      const latest = Object.values(await getJson("/history?max_items=1"))[0] as Awaited<ReturnType<typeof historyOf>> | undefined;
      return latest?.status.messages.some(([event]) => event === "execution_interrupted") ? latest : undefined;
    }, "the prompt's history to show it interrupted");
    if (!real) {
      const promptId = interrupted.prompt[1];
      expect(contract().deletedFromQueue).toEqual([promptId]);
      expect(contract().interrupts).toEqual([promptId]);
    }
  });

  it("refuses a LoRA ComfyUI does not list with its validation's words, node by node", async () => {
    const absent = unique("absent");
    const error = await rejection(client().generate(imageRequest({ loras: [{ name: absent, weight: 1 }] }), options()));
    expect(error.message).toMatch(
      new RegExp(`^ComfyUI refused the workflow: Prompt outputs failed validation — node 10 \\(LoraLoader\\): Value not in list: lora_name: '${absent}\\.safetensors' not in `),
    );
    expect(error.transient).toBe(false);
  });

  it("refuses a workflow ComfyUI cannot run, naming the node and what it lacks", async () => {
    const workflow = defaultWorkflow("sd15");
    workflow["8"] = { class_type: "VAEDecode", inputs: { samples: ["3", 0] } };
    const error = await rejection(client({ workflow }).generate(imageRequest(), options()));
    expect(error.message).toMatch(/^ComfyUI refused the workflow: Prompt outputs failed validation — .*node 8 \(VAEDecode\): Required input is missing: vae/);
    expect(error.transient).toBe(false);
  });

  it("refuses a workflow the studio could not fill in before sending anything", () => {
    const { "3": _sampler, ...workflow } = defaultWorkflow("sd15");
    expect(() => client({ workflow })).toThrow("node 8 (VAEDecode): input 'samples' links to node 3, which is not in the workflow");
  });

  describe("answers prompts it cannot run as ComfyUI's validate_prompt does", () => {
    const prompt = () => {
      const workflow: Record<string, unknown> = defaultWorkflow("sd15");
      if (checkpoint) (workflow["4"] as Workflow[string]).inputs.ckpt_name = checkpoint;
      return workflow;
    };

    it("a node without class_type", async () => {
      expect(await postPrompt({ ...prompt(), "9": { inputs: { images: ["8", 0] } } })).toEqual({
        status: 400,
        body: { error: { type: "invalid_prompt", message: "Cannot execute because a node is missing the class_type property.", details: "Node ID '#9'", extra_info: {} }, node_errors: {} },
      });
    });

    it("a node class it does not have", async () => {
      expect(await postPrompt({ ...prompt(), "10": { class_type: "NoSuchNode", inputs: {} } })).toEqual({
        status: 400,
        body: { error: { type: "invalid_prompt", message: "Cannot execute because node NoSuchNode does not exist.", details: "Node ID '#10'", extra_info: {} }, node_errors: {} },
      });
    });

    it("a link to a node that is not there", async () => {
      const { status, body } = await postPrompt({ ...prompt(), "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["40", 2] } } });
      expect(status).toBe(400);
      expect(body.error).toEqual({ type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation", details: "", extra_info: {} });
      expect(body.node_errors["8"]).toEqual({
        errors: [{
          type: "exception_during_inner_validation",
          message: "Exception when validating inner node",
          details: "'40'",
          extra_info: { input_name: "images", input_config: ["IMAGE", expect.any(Object)], exception_message: "'40'", exception_type: "KeyError", traceback: expect.any(Array), linked_node: ["8", 0] },
        }],
        dependent_outputs: ["9"],
        class_type: "VAEDecode",
      });
    });

    it("a value out of range and a link of the wrong type", async () => {
      const workflow = prompt();
      (workflow["3"] as Workflow[string]).inputs.steps = 0;
      (workflow["3"] as Workflow[string]).inputs.cfg = "high";
      (workflow["8"] as Workflow[string]).inputs.vae = ["4", 1];
      const { status, body } = await postPrompt(workflow);
      expect(status).toBe(400);
      // Upstream walks a node's inputs as a Python set: in no particular order.
      expect(body.node_errors["3"].errors).toHaveLength(2);
      expect(body.node_errors["3"].errors).toEqual(expect.arrayContaining([
        expect.objectContaining({ type: "value_smaller_than_min", message: "Value 0 smaller than min of 1", details: "steps" }),
        expect.objectContaining({ type: "invalid_input_type", message: "Failed to convert an input value to a FLOAT value", details: "cfg, high, could not convert string to float: 'high'" }),
      ]));
      expect(body.node_errors["8"].errors).toEqual([
        expect.objectContaining({ type: "return_type_mismatch", message: "Return type mismatch between linked nodes", details: "vae, received_type(CLIP) mismatch input_type(VAE)" }),
      ]);
    });

    it("a prompt without an output node", async () => {
      const { "9": _save, ...workflow } = prompt();
      expect(await postPrompt(workflow)).toEqual({ status: 400, body: { error: { type: "prompt_no_outputs", message: "Prompt has no outputs", details: "", extra_info: {} }, node_errors: {} } });
    });
  });

  it.skipIf(real)("fails with a transient BackendError when ComfyUI dies mid-job", async () => {
    contract().knobs.dieAtStep = 2;
    const error = await rejection(client().generate(imageRequest(), options()));
    expect(error.message).toMatch(/^the connection to ComfyUI closed \(code 1006\) before the job finished$/);
    expect(error.transient).toBe(true);
  });

  it.skipIf(real)("surfaces an execution_error with the node and ComfyUI's exception message", async () => {
    contract().knobs.failNode = { classType: "VAEDecode", exceptionType: "torch.OutOfMemoryError", message: "Allocation on device 0 would exceed allowed memory. (out of memory)" };
    const error = await rejection(client().generate(imageRequest(), options()));
    expect(error.message).toBe("ComfyUI failed at node 8 (VAEDecode): torch.OutOfMemoryError: Allocation on device 0 would exceed allowed memory. (out of memory)");
    expect(error.transient).toBe(true);
    contract().knobs.failNode = { classType: "KSampler", exceptionType: "RuntimeError", message: "mat1 and mat2 shapes cannot be multiplied (77x2048 and 768x320)" };
    expect((await rejection(client().generate(imageRequest(), options()))).transient).toBe(false);
  });

  it.skipIf(real)("waits for the history entry ComfyUI writes only after execution_success", async () => {
    contract().knobs.historyLagMs = 400;
    const result = await client().generate(imageRequest(), options());
    expect(result.images).toHaveLength(1);
  });

  it.skipIf(real)("gives up on a prompt that outlasts generateMs, and interrupts it", async () => {
    contract().knobs.stepMs = 2000;
    const error = await rejection(client({ timeouts: { generateMs: 1000 } }).generate(imageRequest(), options()));
    expect(error).toMatchObject({ message: "ComfyUI did not finish within 1 s", transient: true });
    expect(contract().interrupts).toEqual([contract().prompts[0]!.promptId]);
  });

  it.skipIf(real)("fails with a transient BackendError when ComfyUI cannot be reached", async () => {
    backend.url = await closedPortUrl();
    const error = await rejection(client().generate(imageRequest(), options()));
    expect(error.message).toMatch(/^could not open ComfyUI's WebSocket at 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    expect(error.transient).toBe(true);
  });
});
