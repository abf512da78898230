import { describe, expect, it } from "vitest";
import { ConfigError } from "../../config/config.js";
import type { GenerationBackendConfig } from "../../config/generation-backends.js";
import { defaultWorkflow } from "./comfyui-workflow.js";
import { createImageBackends } from "./registry.js";

const defaults = { steps: 20, sampler: "Euler a", cfgScale: 7 };
const comfy: GenerationBackendConfig = { name: "comfy", kind: "comfyui", url: "http://127.0.0.1:8188", baseModels: ["sd15", "sdxl"], loraDir: "/tmp", defaults };

describe("createImageBackends", () => {
  it("gives a ComfyUI backend without a workflow the default graph of each base model's family", () => {
    const [backend] = createImageBackends([comfy]);
    expect(backend!.clientFor("sd15")).not.toBe(backend!.clientFor("sdxl"));
    expect(backend!.clientFor("sdxl").kind).toBe("comfyui");
  });

  it("refuses, as configuration errors, a workflow the studio cannot fill in, a model without a default graph and a model that makes no images", () => {
    const { "3": _sampler, ...noSampler } = defaultWorkflow("sd15");
    const start = () =>
      createImageBackends([
        { ...comfy, workflow: { path: "/srv/workflows/broken.json", graph: noSampler } },
        { ...comfy, name: "flux", baseModels: ["flux1-dev"] },
        { ...comfy, name: "a1111", kind: "a1111", baseModels: ["tunes-s"] },
      ]);
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(
      [
        "Invalid configuration:",
        "  GENERATION_BACKENDS: backend 'comfy': workflow /srv/workflows/broken.json: node 8 (VAEDecode): input 'samples' links to node 3, which is not in the workflow",
        "  GENERATION_BACKENDS: backend 'flux': no built-in ComfyUI workflow serves flux1-dev (only SD 1.5 and SDXL models); give the backend a workflow file",
        "  GENERATION_BACKENDS: backend 'a1111': base model 'tunes-s' makes no images; list image base models such as sd15 or sdxl",
      ].join("\n"),
    );
  });
});
