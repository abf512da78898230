import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SERVER_DIR = fileURLToPath(new URL("..", import.meta.url));

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: SERVER_DIR, env: { ...process.env, LOG_LEVEL: "warn", ...env } });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("the server process", () => {
  it("starts on an embedded database, prints the dashboard URL, answers /healthz and stops on SIGTERM", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "lora-main-"));
    const server = startMain({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir });
    try {
      let url: string | undefined;
      for (let i = 0; i < 300 && !url; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        url = /dashboard: (http:\/\/\S+)\//.exec(server.output())?.[1];
      }
      expect(url, server.output()).toBeDefined();
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toMatchObject({ status: "ok", database: "pglite" });
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses bad configuration with one line per variable and exit code 2", async () => {
    const server = startMain({ PORT: "eighty", MAX_UPLOAD_MB: "0" });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain("Invalid configuration");
    expect(server.output()).toMatch(/PORT: .*"eighty"/);
    expect(server.output()).toMatch(/MAX_UPLOAD_MB: /);
  });

  it("refuses, before opening anything, a ComfyUI workflow the studio cannot fill in, with exit code 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lora-main-"));
    try {
      const workflow = join(dir, "workflow.json");
      await writeFile(workflow, JSON.stringify({ "9": { class_type: "SaveImage", inputs: { images: ["8", 0] } } }));
      const backends = [{ name: "comfy", kind: "comfyui", url: "http://127.0.0.1:8188", baseModels: ["sdxl"], loraDir: dir, workflow }];
      const server = startMain({ DATA_DIR: dir, DELIVERY_ALLOWED_HOSTS: "127.0.0.1:8188", GENERATION_BACKENDS: JSON.stringify(backends) });
      expect(await server.exited).toBe(2);
      expect(server.output()).toContain(`Invalid configuration:\n  GENERATION_BACKENDS: backend 'comfy': workflow ${workflow}: node 9 (SaveImage): input 'images' links to node 8`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
