import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeLora } from "../formats/lora.js";
import { parseSafetensorsHeader, readHeaderLength } from "../formats/safetensors.js";
import { generateExamples } from "../ml/styles.js";

/* The trainer as the sidecar runs it (DESIGN §6): a real child process, stdout/stderr raw, metrics on fd 3. */

const SERVER_DIR = new URL("../../", import.meta.url);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  metrics: string[];
}

function runTrainer(args: string[], onMetric?: (line: string, kill: () => void) => void): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/trainer/main.ts", ...args], {
    cwd: SERVER_DIR,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "" }, // colours on, as the sidecar captures them
  });
  const run: Run = { code: null, stdout: "", stderr: "", metrics: [] };
  child.stdout!.on("data", (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (run.stderr += chunk.toString()));
  let pending = "";
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  fd3.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      run.metrics.push(line);
      onMetric?.(line, () => child.kill("SIGTERM"));
    }
  });
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code) => done({ ...run, code }));
  });
}

describe("the built-in trainer process", () => {
  let dir: string;
  let dataset: string;
  const writeConfig = (name: string, config: object): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(config));
    return path;
  };
  const config = { baseModel: "tunes-s", rank: 4, alpha: 8, targetModules: ["fc2", "head"], epochs: 1, batchSize: 32, evalEvery: 20, warmupSteps: 5 };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "trainer-test-"));
    dataset = join(dir, "data.jsonl");
    const lines = generateExamples("major-waltz", 60, 7).map(({ prompt, melody }) => JSON.stringify({ prompt, ...melody }));
    writeFileSync(dataset, `${lines.join("\n")}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("trains, logs like a training tool, reports metrics on fd 3 and writes a PEFT adapter", async () => {
    const output = join(dir, "out");
    const run = await runTrainer(["--config", writeConfig("ok.json", { ...config, maxSteps: 80 }), "--dataset", dataset, "--output", output]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("\r");
    expect(run.stdout).toMatch(/\x1b\[[0-9;]*m/);
    const plain = run.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
    expect(plain).toMatch(/epoch 1\/1 \[#+\] 80\/80 loss \d+\.\d+ lr /);
    expect(plain).toMatch(/\nepoch 1\/1 done: train loss \d+\.\d+, eval loss \d+\.\d+/);

    const points = run.metrics.map((line) => JSON.parse(line) as Record<string, number>);
    expect(points.length).toBeGreaterThan(0);
    const steps = points.filter((point) => "loss" in point);
    expect(steps.map((point) => point.step)).toEqual(Array.from({ length: 80 }, (_, index) => index + 1));
    for (const point of steps) {
      expect(Number.isFinite(point.loss)).toBe(true);
      expect(Number.isFinite(point.lr)).toBe(true);
      expect(Number.isFinite(point.grad_norm)).toBe(true);
    }
    const evals = points.filter((point) => "eval_loss" in point);
    expect(evals.map((point) => point.step)).toEqual([20, 40, 60, 80]);
    expect(evals.every((point) => Number.isFinite(point.eval_loss))).toBe(true);
    expect(points.some((point) => (point.steps_per_second ?? 0) > 0)).toBe(true);
    const allSteps = points.map((point) => point.step!);
    expect(allSteps).toEqual([...allSteps].sort((left, right) => left - right));

    const file = new Uint8Array(readFileSync(join(output, "adapter_model.safetensors")));
    const headerLength = readHeaderLength(file.subarray(0, 8), file.length);
    const header = parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
    const info = describeLora(header, readFileSync(join(output, "adapter_config.json"), "utf8"));
    expect(info).toMatchObject({ format: "PEFT", rank: 4, alpha: 8, useRslora: false, baseModelName: "tunes-s", tensorCount: 4 });
    expect([...info.targetModules].sort()).toEqual(["fc2", "head"]);
  });

  it("stops on SIGTERM at a step boundary: exit 143, 'cancelled', no adapter", async () => {
    const output = join(dir, "cancelled");
    let sent = false;
    const run = await runTrainer(["--config", writeConfig("cancel.json", config), "--dataset", dataset, "--output", output], (_line, kill) => {
      if (!sent) kill();
      sent = true;
    });
    expect(run.code, run.stderr).toBe(143);
    expect(run.stderr).toContain("cancelled");
    expect(existsSync(output) ? readdirSync(output) : []).toEqual([]);
  });

  it("refuses a bad config, naming the key", async () => {
    const run = await runTrainer(["--config", writeConfig("bad.json", { ...config, rank: 0 }), "--dataset", dataset, "--output", join(dir, "bad")]);
    expect([1, 2]).toContain(run.code);
    expect(run.stderr).toContain("rank");
    expect(existsSync(join(dir, "bad"))).toBe(false);
  });

  it("exits 2 with usage when --dataset is missing", async () => {
    const run = await runTrainer(["--config", writeConfig("ok2.json", config), "--output", join(dir, "x")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--dataset");
  });
});
