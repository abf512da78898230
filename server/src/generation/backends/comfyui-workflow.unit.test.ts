import { describe, expect, it } from "vitest";
import type { ImageRequest } from "./backend.js";
import { applyRequest, chainLoras, checkWorkflow, comfySampler, defaultWorkflow, workflowAnchors, WorkflowError, type Workflow } from "./comfyui-workflow.js";

const request: ImageRequest = {
  prompt: "a lighthouse at dusk",
  negativePrompt: "blurry",
  loras: [],
  seed: 42,
  count: 2,
  steps: 12,
  sampler: "DPM++ 2M Karras",
  cfgScale: 6.5,
  width: 640,
  height: 384,
};

/** A workflow as a user exports it: other ids, the negative prompt first, a CLIPSetLastLayer between checkpoint and prompts. */
function exportedWorkflow(): Workflow {
  return {
    "10": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "dreamshaper_8.safetensors" } },
    "11": { class_type: "CLIPSetLastLayer", inputs: { clip: ["10", 1], stop_at_clip_layer: -2 } },
    "12": { class_type: "CLIPTextEncode", inputs: { text: "ugly", clip: ["11", 0] } },
    "13": { class_type: "CLIPTextEncode", inputs: { text: "a cat", clip: ["11", 0] } },
    "14": { class_type: "EmptyLatentImage", inputs: { width: 512, height: 768, batch_size: 4 } },
    "15": {
      class_type: "KSampler",
      inputs: { seed: 1, steps: 30, cfg: 8, sampler_name: "euler", scheduler: "normal", denoise: 1, model: ["10", 0], positive: ["13", 0], negative: ["12", 0], latent_image: ["14", 0] },
    },
    "16": { class_type: "VAEDecode", inputs: { samples: ["15", 0], vae: ["10", 2] } },
    "17": { class_type: "SaveImage", inputs: { filename_prefix: "cats", images: ["16", 0] } },
  };
}

describe("defaultWorkflow", () => {
  it("is ComfyUI's basic text-to-image graph, 512² for SD 1.5 and 1024² for SDXL, and passes its own check", () => {
    for (const [family, size, checkpoint] of [["sd15", 512, "v1-5-pruned-emaonly.safetensors"], ["sdxl", 1024, "sd_xl_base_1.0.safetensors"]] as const) {
      const workflow = defaultWorkflow(family);
      expect(Object.values(workflow).map((node) => node.class_type)).toEqual(["KSampler", "CheckpointLoaderSimple", "EmptyLatentImage", "CLIPTextEncode", "CLIPTextEncode", "VAEDecode", "SaveImage"]);
      expect(workflow["5"]!.inputs).toMatchObject({ width: size, height: size });
      expect(workflow["4"]!.inputs.ckpt_name).toBe(checkpoint);
      expect(checkWorkflow(workflow)).toEqual(workflow);
    }
  });
});

describe("applyRequest", () => {
  it("writes the request into the nodes the KSampler's links lead to, and leaves the given workflow alone", () => {
    const workflow = exportedWorkflow();
    const filled = applyRequest(workflow, request);
    expect(filled["15"]!.inputs).toMatchObject({ seed: 42, steps: 12, cfg: 6.5, sampler_name: "dpmpp_2m", scheduler: "karras", denoise: 1 });
    expect(filled["14"]!.inputs).toEqual({ width: 640, height: 384, batch_size: 2 });
    expect(filled["13"]!.inputs.text).toBe("a lighthouse at dusk");
    expect(filled["12"]!.inputs.text).toBe("blurry");
    expect(filled["10"]!.inputs.ckpt_name).toBe("dreamshaper_8.safetensors");
    expect(workflow).toEqual(exportedWorkflow());
  });

  it("loads the request's checkpoint when it names one", () => {
    expect(applyRequest(exportedWorkflow(), { ...request, checkpoint: "juggernaut.safetensors" })["10"]!.inputs.ckpt_name).toBe("juggernaut.safetensors");
  });

  it("refuses a sampler it has no ComfyUI name for, listing those it has", () => {
    expect(() => applyRequest(defaultWorkflow("sd15"), { ...request, sampler: "Restart" })).toThrow(/sampler 'Restart' has no ComfyUI equivalent here; use one of: Euler, Euler a, .*DDIM/);
  });
});

describe("comfySampler", () => {
  it.each([
    ["Euler a", "euler_ancestral", "normal"],
    ["Euler", "euler", "normal"],
    ["DPM++ 2M", "dpmpp_2m", "normal"],
    ["DPM++ 2M Karras", "dpmpp_2m", "karras"],
    ["DPM++ SDE Karras", "dpmpp_sde", "karras"],
    ["DDIM", "ddim", "ddim_uniform"],
    [" euler A ", "euler_ancestral", "normal"],
  ])("maps %j to %s with the %s scheduler", (name, sampler_name, scheduler) => {
    expect(comfySampler(name)).toEqual({ sampler_name, scheduler });
  });
});

describe("chainLoras", () => {
  const loras = [{ name: "lora_a", weight: 0.8 }, { name: "lora_b", weight: 1.2 }];

  it("chains one LoraLoader per LoRA after the checkpoint and feeds the last one's MODEL and CLIP to every former consumer", () => {
    const chained = chainLoras(defaultWorkflow("sd15"), loras);
    expect(chained["10"]).toEqual({
      class_type: "LoraLoader",
      inputs: { model: ["4", 0], clip: ["4", 1], lora_name: "lora_a.safetensors", strength_model: 0.8, strength_clip: 0.8 },
      _meta: { title: "LoRA lora_a" },
    });
    expect(chained["11"]!.inputs).toEqual({ model: ["10", 0], clip: ["10", 1], lora_name: "lora_b.safetensors", strength_model: 1.2, strength_clip: 1.2 });
    expect(chained["3"]!.inputs.model).toEqual(["11", 0]);
    expect(chained["6"]!.inputs.clip).toEqual(["11", 1]);
    expect(chained["7"]!.inputs.clip).toEqual(["11", 1]);
    expect(chained["8"]!.inputs.vae).toEqual(["4", 2]);
    expect(checkWorkflow(chained)).toEqual(chained);
  });

  it("rewires whatever took the checkpoint's CLIP, not only the prompts", () => {
    const chained = chainLoras(exportedWorkflow(), loras.slice(0, 1));
    expect(chained["18"]!.inputs).toMatchObject({ model: ["10", 0], clip: ["10", 1] });
    expect(chained["11"]!.inputs.clip).toEqual(["18", 1]);
    expect(chained["15"]!.inputs.model).toEqual(["18", 0]);
    expect(chained["13"]!.inputs.clip).toEqual(["11", 0]);
  });

  it("takes an id no node has, whatever the workflow's ids look like", () => {
    const workflow: Workflow = { ...defaultWorkflow("sd15"), "99": { class_type: "PreviewImage", inputs: { images: ["8", 0] } }, "note": { class_type: "Note", inputs: {} } };
    expect(chainLoras(workflow, loras.slice(0, 1))["100"]?.class_type).toBe("LoraLoader");
  });

  it("leaves the workflow as it is without LoRAs, and never changes the one it is given", () => {
    const workflow = defaultWorkflow("sdxl");
    expect(chainLoras(workflow, [])).toEqual(defaultWorkflow("sdxl"));
    chainLoras(workflow, loras);
    expect(workflow).toEqual(defaultWorkflow("sdxl"));
  });
});

describe("checkWorkflow", () => {
  const without = (id: string) => Object.fromEntries(Object.entries(defaultWorkflow("sd15")).filter(([key]) => key !== id));
  const withNode = (id: string, node: unknown) => ({ ...defaultWorkflow("sd15"), [id]: node });

  it.each<[string, unknown, RegExp]>([
    ["a UI-format workflow", { nodes: [], links: [] }, /not an API-format ComfyUI workflow \("Export \(API\)"\): at nodes/],
    ["a node without class_type", withNode("9", { inputs: { images: ["8", 0] } }), /at 9\.class_type/],
    ["no nodes", {}, /has no nodes/],
    ["a link to a node that is not there", withNode("8", { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["40", 2] } }), /node 8 \(VAEDecode\): input 'vae' links to node 40, which is not in the workflow/],
    ["a list that is no link", withNode("8", { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4"] } }), /input 'vae' is a list but not a link/],
    ["no KSampler", withNode("3", { ...defaultWorkflow("sd15")["3"]!, class_type: "KSamplerAdvanced" }), /has no KSampler node: the studio sets its seed/],
    ["two KSamplers", withNode("30", defaultWorkflow("sd15")["3"]), /has 2 \(3, 30\) instead of one KSampler node/],
    ["no checkpoint loader", withNode("4", { class_type: "CheckpointLoader", inputs: { config_name: "v1.yaml", ckpt_name: "a.ckpt" } }), /has no CheckpointLoaderSimple node: the studio chains LoRAs after it/],
    ["no SaveImage", without("9"), /has no SaveImage node/],
    ["a prompt that is no CLIPTextEncode", withNode("6", { class_type: "ConditioningZeroOut", inputs: { conditioning: ["7", 0] } }), /KSampler 3's input positive must come from a node of class CLIPTextEncode \(it comes from node 6, class ConditioningZeroOut\)/],
    ["one CLIPTextEncode for both prompts", withNode("3", { ...defaultWorkflow("sd15")["3"]!, inputs: { ...defaultWorkflow("sd15")["3"]!.inputs, negative: ["6", 0] } }), /positive and negative prompts from the same CLIPTextEncode 6/],
    ["a latent that is not an EmptyLatentImage", withNode("3", { ...defaultWorkflow("sd15")["3"]!, inputs: { ...defaultWorkflow("sd15")["3"]!.inputs, latent_image: ["8", 0] } }), /KSampler 3's input latent_image must come from a node of class EmptyLatentImage \(it comes from node 8, class VAEDecode\)/],
  ])("refuses %s", (_, workflow, message) => {
    expect(() => checkWorkflow(workflow)).toThrow(WorkflowError);
    expect(() => checkWorkflow(workflow)).toThrow(message);
  });

  it("refuses a checkpoint whose MODEL nothing takes: LoRAs after it would change nothing", () => {
    const workflow: Workflow = { ...defaultWorkflow("sd15"), "20": { class_type: "UNETLoader", inputs: { unet_name: "flux.safetensors", weight_dtype: "default" } } };
    workflow["3"]!.inputs.model = ["20", 0];
    expect(() => checkWorkflow(workflow)).toThrow("nothing takes CheckpointLoaderSimple 4's MODEL: LoRAs chained after it would change nothing");
  });

  it("names the nodes it writes into", () => {
    expect(workflowAnchors(checkWorkflow(exportedWorkflow()))).toEqual({ checkpoint: "10", sampler: "15", positive: "13", negative: "12", latent: "14", saves: ["17"] });
  });
});
