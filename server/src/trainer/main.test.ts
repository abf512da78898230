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
const TRAINER = "src/trainer/main.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  metrics: string[];
}

interface RunOptions {
  env?: Record<string, string>;
  onMetric?: (line: string, kill: () => void) => void;
}

function runTrainer(args: string[], { env = {}, onMetric }: RunOptions = {}): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", TRAINER, ...args], {
    cwd: SERVER_DIR,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "", ...env }, // colours on, as the sidecar captures them
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

/** Alive and not a zombie (an exited process that its new parent has not reaped yet). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
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
    expect(plain).toMatch(/\nepoch 1\/1 done: train loss \d+\.\d+, eval loss \d+\.\d+, eval score \d\.\d+/);
    expect(plain).toMatch(/execution provider\s+(cpu|cuda) \(onnxruntime [\d.]+, ONNX training graph\)/);

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
    const scores = points.filter((point) => "eval_score" in point);
    expect(scores.map((point) => point.step)).toEqual([20, 40, 60, 80]);
    for (const point of scores) {
      expect(Object.keys(point).sort()).toEqual(["eval_in_scale_ratio", "eval_pitch_class_distance", "eval_rhythm_density_difference", "eval_score", "step"]);
      for (const value of Object.values(point).slice(1)) expect(value >= 0 && value <= 1, JSON.stringify(point)).toBe(true);
    }
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
    const run = await runTrainer(["--config", writeConfig("cancel.json", config), "--dataset", dataset, "--output", output], {
      onMetric: (_line, kill) => {
        if (!sent) kill();
        sent = true;
      },
    });
    expect(run.code, run.stderr).toBe(143);
    expect(run.stderr).toContain("cancelled");
    expect(existsSync(output) ? readdirSync(output) : []).toEqual([]);
  });

  it("runs on the CPU provider when TRAINER_DEVICE=cpu, and refuses an unknown device", async () => {
    const args = ["--config", writeConfig("device.json", { ...config, maxSteps: 5 }), "--dataset", dataset];
    const cpu = await runTrainer([...args, "--output", join(dir, "cpu")], { env: { TRAINER_DEVICE: "cpu" } });
    expect(cpu.code, cpu.stderr).toBe(0);
    expect(cpu.stdout).toMatch(/execution provider\S*\s+cpu \(onnxruntime/);
    const unknown = await runTrainer([...args, "--output", join(dir, "gpu")], { env: { TRAINER_DEVICE: "gpu" } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('TRAINER_DEVICE must be auto, cpu or cuda, got "gpu"');
  });

  it("trains on CUDA when TRAINER_DEVICE=cuda and CUDA is there, else warns and falls back to the TypeScript backward", async () => {
    const output = join(dir, "cuda");
    const run = await runTrainer(["--config", writeConfig("cuda.json", { ...config, maxSteps: 5 }), "--dataset", dataset, "--output", output], {
      env: { TRAINER_DEVICE: "cuda" },
    });
    expect(run.code, run.stderr).toBe(0);
    if (!/execution provider\S*\s+cuda \(onnxruntime/.test(run.stdout)) {
      expect(run.stderr).toMatch(/warning:.*cuda: .*training with the TypeScript reference backward instead/);
      expect(run.stdout).toMatch(/execution provider\S*\s+cpu \(TypeScript reference backward\)/);
    }
    expect(readdirSync(output).sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
  });

  it("exits on its own, writing nothing, when its parent dies", async () => {
    const output = join(dir, "orphan");
    const args = ["--import", "tsx", TRAINER, "--config", writeConfig("long.json", { ...config, epochs: 100 }), "--dataset", dataset, "--output", output];
    // A parent that starts the trainer, says its pid once it trains, then waits to be killed. The trainer's log goes to
    // /dev/null, so no broken pipe tells it: only its parent process id changing does.
    const parentScript = `
      const child = require("node:child_process").spawn(process.execPath, ${JSON.stringify(args)}, { stdio: ["ignore", "ignore", "ignore", "pipe"] });
      child.stdio[3].once("data", () => console.log(child.pid));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", parentScript], { cwd: SERVER_DIR, stdio: ["ignore", "pipe", "inherit"] });
    const trainerPid = await new Promise<number>((done) => parent.stdout!.once("data", (chunk: Buffer) => done(Number(chunk.toString().trim()))));
    try {
      expect(isRunning(trainerPid)).toBe(true);
      parent.kill("SIGKILL");
      const killedAt = Date.now();
      while (isRunning(trainerPid) && Date.now() - killedAt < 10_000) await new Promise((wait) => setTimeout(wait, 50));
      expect(isRunning(trainerPid)).toBe(false);
      expect(Date.now() - killedAt).toBeLessThan(3_000);
      expect(existsSync(output) ? readdirSync(output) : []).toEqual([]);
    } finally {
      if (isRunning(trainerPid)) process.kill(trainerPid, "SIGKILL");
    }
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
