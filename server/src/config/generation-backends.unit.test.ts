import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

/* GENERATION_BACKENDS as the API reads it at start. */

const loraDir = mkdtempSync(join(tmpdir(), "backend-loras-"));
const workflowPath = join(loraDir, "workflow.json");
writeFileSync(workflowPath, JSON.stringify({ "1": { class_type: "SaveImage", inputs: {} } }));

const a1111 = { name: "local-a1111", kind: "a1111", url: "http://127.0.0.1:7860", baseModels: ["sd15"], loraDir };
const comfy = { name: "comfy", kind: "comfyui", url: "http://gpu.lan:8188", baseModels: ["sdxl"], loraDir, workflow: workflowPath };
const load = (backends: unknown, allowed = "127.0.0.1:7860,gpu.lan:8188") =>
  loadConfig({ DATA_DIR: "/tmp/lora-studio-config-test", DELIVERY_ALLOWED_HOSTS: allowed, GENERATION_BACKENDS: typeof backends === "string" ? backends : JSON.stringify(backends) });

describe("GENERATION_BACKENDS", () => {
  it("reads A1111 and ComfyUI backends, filling in the defaults and reading the workflow file", () => {
    const [first, second] = load([{ ...a1111, checkpoint: "v1-5-pruned-emaonly", defaults: { steps: 30, width: 640 } }, comfy]).generationBackends;
    expect(first).toEqual({ ...a1111, checkpoint: "v1-5-pruned-emaonly", defaults: { steps: 30, sampler: "Euler a", cfgScale: 7, width: 640 } });
    expect(second).toMatchObject({ name: "comfy", workflow: { path: workflowPath, graph: { "1": { class_type: "SaveImage", inputs: {} } } } });
    expect(loadConfig({ DATA_DIR: "/tmp/lora-studio-config-test" }).generationBackends).toEqual([]);
  });

  it.each([
    ["text that is not JSON", "[{", "GENERATION_BACKENDS: must be a JSON array of {name, kind, url, baseModels, loraDir}"],
    ["an unknown kind", [{ ...a1111, kind: "invokeai" }], "GENERATION_BACKENDS.0.kind: Invalid option"],
    ["no base model", [{ ...a1111, baseModels: [] }], "GENERATION_BACKENDS.0.baseModels: baseModels: at least one image base model id"],
    ["a relative loraDir", [{ ...a1111, loraDir: "models/Lora" }], "GENERATION_BACKENDS.0.loraDir: must be an absolute directory path"],
    ["a loraDir that does not exist", [{ ...a1111, loraDir: join(loraDir, "nope") }], "GENERATION_BACKENDS.0.loraDir: is not an existing directory"],
    ["a workflow file that cannot be read", [{ ...comfy, workflow: join(loraDir, "missing.json") }], "GENERATION_BACKENDS.0.workflow: cannot be read as JSON: ENOENT"],
    ["a workflow for A1111", [{ ...a1111, workflow: workflowPath }], "GENERATION_BACKENDS.0.workflow: only a comfyui backend runs a workflow"],
    ["two backends of one name", [a1111, { ...comfy, name: "local-a1111" }], "GENERATION_BACKENDS: backend names must be unique"],
    ["an unknown field", [{ ...a1111, timeout: 5 }], "GENERATION_BACKENDS.0: Unrecognized key: \"timeout\""],
  ])("refuses %s with a line naming it", (_, backends, line) => {
    expect(() => load(backends)).toThrow(line);
  });

  it("refuses a backend whose host DELIVERY_ALLOWED_HOSTS does not list, saying which variable to set", () => {
    expect(() => load([a1111, comfy], "127.0.0.1:7860")).toThrow(
      "GENERATION_BACKENDS: backend 'comfy': host gpu.lan:8188 is not in DELIVERY_ALLOWED_HOSTS (allowed: 127.0.0.1:7860); backends are reached only on the hosts DELIVERY_ALLOWED_HOSTS lists",
    );
    expect(() => load([a1111], "")).toThrow("backend 'local-a1111': no host is allowed: an operator lists them in DELIVERY_ALLOWED_HOSTS");
  });
});
