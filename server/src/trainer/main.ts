import { fstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { initLora } from "../ml/lora.js";
import { datasetLineSchema } from "../ml/dataset-line.js";
import type { Melody } from "../ml/melody.js";
import type { Model } from "../ml/model.js";
import { createRandom, type Random } from "../ml/random.js";
import { createTrainer, makeBatch, meanLossFrom, trainingPairs, type TrainingPair } from "../ml/train.js";
import { loadBaseModel } from "../inference/base-model.js";
import { devicePreferenceSchema, type DevicePreference } from "../inference/onnx-runtime.js";
import { exitWhenOrphaned } from "./parent-watch.js";
import { encodePeftAdapter } from "./peft-adapter.js";
import { loraConfigOf, parseTrainerConfig, trainingOptions, type TrainerConfig } from "./config.js";
import { sampleEvaluation, sampleMetrics } from "./sample-evaluation.js";
import { createEngine, type TrainingEngine } from "./training-engine.js";

/*
 * The built-in trainer, a command following DESIGN §6:
 *   node --import tsx src/trainer/main.ts --config <config.json> --dataset <data.jsonl> --output <dir>
 * stdout/stderr are a human log (coloured header, \r progress bar, epoch summaries, warnings); metrics are JSON lines on
 * fd 3 when it is open; on success <dir> holds a PEFT adapter. SIGTERM cancels at the next step boundary (exit 143,
 * nothing written); a trainer whose parent died exits at once (129). Usage errors exit 2, any other error 1.
 *
 * Each step runs the ONNX training graph on onnxruntime (CUDA when present, else the CPU; TRAINER_DEVICE=auto|cpu|cuda
 * forces a provider), or the TypeScript reference backward where onnxruntime cannot open it; the header names which.
 *
 * Metrics, each line {"step": n, ...}: every step loss, lr and grad_norm; at every evaluation (every evalEvery steps and
 * at the end of each epoch) eval_loss (held-out examples), steps_per_second (training steps since the last evaluation)
 * and, from EVAL_SAMPLES melodies sampled with a fixed seed from the held-out prompts and scored against the dataset,
 * eval_score (0 to 1, higher is closer to the dataset) with its components eval_pitch_class_distance,
 * eval_in_scale_ratio and eval_rhythm_density_difference (see sample-evaluation.ts).
 */

const METRICS_FD = 3;
const EXIT_USAGE = 2;
const EXIT_CANCELLED = 143;
/** 128 + SIGHUP, as a process whose controlling parent went away. */
const EXIT_ORPHANED = 129;
const TINY_DATASET = 20;
const REDRAW_MS = 100;
const BAR_WIDTH = 30;
const USAGE = "usage: trainer --config <config.json> --dataset <data.jsonl> --output <dir>";

class UsageError extends Error {}

const colour = !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint("1");
const dim = paint("2");
const cyan = paint("36");
const green = paint("32");
const yellow = paint("33");
const red = paint("31");

const out = (text: string) => process.stdout.write(text);
const warn = (text: string) => process.stderr.write(`${yellow("warning:")} ${text}\n`);

interface Args {
  config: string;
  dataset: string;
  output: string;
}

function parseCommandLine(argv: string[]): Args {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: "string" }, dataset: { type: "string" }, output: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const missing = (["config", "dataset", "output"] as const).filter((key) => typeof values[key] !== "string" || values[key] === "");
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((key) => `--${key}`).join(", ")}`);
  return { config: values.config as string, dataset: values.dataset as string, output: values.output as string };
}

/** Metrics on fd 3 when the parent opened it (a pipe, socket, file or device), else nowhere with one warning. */
class Metrics {
  private open: boolean;

  constructor() {
    this.open = isMetricsChannel(METRICS_FD);
    if (!this.open) warn(`file descriptor ${METRICS_FD} is not open: metrics are not reported`);
  }

  emit(point: Record<string, number>): void {
    if (!this.open) return;
    try {
      writeSync(METRICS_FD, `${JSON.stringify(point)}\n`);
    } catch (error) {
      this.open = false;
      warn(`metrics stopped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Not just "fstat works": without an inherited fd 3, Node's own event loop (an anonymous inode) may hold that number. */
function isMetricsChannel(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isFIFO() || stats.isSocket() || stats.isFile() || stats.isCharacterDevice();
  } catch {
    return false;
  }
}

interface Example {
  prompt: string;
  melody: Melody;
}

function readDataset(path: string): Example[] {
  const examples: Example[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((text, index) => {
      if (text.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new Error(`${path}:${index + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      const line = datasetLineSchema.safeParse(value);
      if (!line.success) {
        const problems = line.error.issues.map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`);
        throw new Error(`${path}:${index + 1}: ${problems.join("; ")}`);
      }
      const { prompt, notes, lengthSteps, meter } = line.data;
      examples.push({ prompt, melody: { notes, lengthSteps, meter } });
    });
  if (examples.length === 0) throw new Error(`${path}: the dataset has no examples`);
  return examples;
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random.next() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

/** ~10% held out for eval (at least one example); a single example is both trained on and evaluated. */
function split(examples: Example[], random: Random): { train: Example[]; held: Example[] } {
  const shuffled = shuffle([...examples], random);
  if (shuffled.length < 2) {
    warn("only one example: evaluating on the training data");
    return { train: shuffled, held: shuffled };
  }
  const heldCount = Math.max(1, Math.round(shuffled.length * 0.1));
  return { held: shuffled.slice(0, heldCount), train: shuffled.slice(heldCount) };
}

const nextTick = () => new Promise<void>((done) => setImmediate(done));
const formatLr = (lr: number) => lr.toExponential(1);

function progressLine(epoch: number, epochs: number, done: number, total: number, loss: number, lr: number): string {
  const filled = Math.round((BAR_WIDTH * done) / Math.max(1, total));
  const bar = `${green("#".repeat(filled))}${dim("-".repeat(BAR_WIDTH - filled))}`;
  return `\r\x1b[2Kepoch ${epoch}/${epochs} [${bar}] ${done}/${total} loss ${loss.toFixed(3)} lr ${formatLr(lr)}`;
}

function header(config: TrainerConfig, args: Args, facts: Record<string, string | number>): string {
  const rows: [string, string][] = [
    ["base model", config.baseModel],
    ["rank / alpha", `${config.rank} / ${config.alpha}${config.useRslora ? " (rsLoRA)" : ""}`],
    ["target modules", config.targetModules.join(", ")],
    ["dropout", String(config.dropout)],
    ["learning rate", `${formatLr(config.learningRate)} (${config.scheduler}, warmup ${config.warmupSteps})`],
    ["batch size", String(config.batchSize)],
    ["epochs", `${config.epochs}${config.maxSteps === undefined ? "" : ` (max ${config.maxSteps} steps)`}`],
    ["max grad norm", String(config.maxGradNorm)],
    ["weight decay", String(config.weightDecay)],
    ["seed", String(config.seed)],
    ["eval every", `${config.evalEvery} steps`],
    ["dataset", args.dataset],
    ["output", args.output],
    ...Object.entries(facts).map(([key, value]): [string, string] => [key, String(value)]),
  ];
  const width = rows.reduce((widest, [key]) => Math.max(widest, key.length), 0);
  return [
    bold(cyan("LoRA Studio trainer")) + dim(" — LoRA fine-tuning of the tunes model"),
    ...rows.map(([key, value]) => `  ${dim(key.padEnd(width))}  ${value}`),
    "",
  ].join("\n");
}

async function train(args: Args, device: DevicePreference, isCancelled: () => boolean): Promise<"done" | "cancelled"> {
  let configValue: unknown;
  try {
    configValue = JSON.parse(readFileSync(args.config, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the config ${args.config}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const config = parseTrainerConfig(configValue);
  const examples = readDataset(args.dataset);
  const model = loadBaseModel(config.baseModel);
  const random = createRandom(config.seed);
  const { train: trainExamples, held } = split(examples, random);
  const pairs = trainingPairs(trainExamples, model.spec.contextTokens);
  const evalPairs = trainingPairs(held, model.spec.contextTokens);
  if (examples.length < TINY_DATASET) warn(`the dataset has only ${examples.length} examples; the adapter will overfit or learn little`);

  const loraConfig = loraConfigOf(config);
  const lora = initLora(model, loraConfig, random);
  const stepsPerEpoch = Math.ceil(pairs.length / config.batchSize);
  const totalSteps = Math.min(config.epochs * stepsPerEpoch, config.maxSteps ?? Infinity);
  const epochs = Math.ceil(totalSteps / stepsPerEpoch);
  if (config.warmupSteps >= totalSteps) warn(`warmupSteps (${config.warmupSteps}) is not below the ${totalSteps} training steps`);
  const trainer = createTrainer(model, lora, trainingOptions(config, totalSteps), config.seed + 1);
  const engine = await createEngine(trainer, device, warn);
  const trainable = Object.values(lora).reduce((sum, module) => sum + module.a.length + module.b.length, 0);
  out(
    header(config, args, {
      examples: `${trainExamples.length} train / ${held.length} eval`,
      "token pairs": `${pairs.length} train / ${evalPairs.length} eval`,
      "steps": `${totalSteps} (${stepsPerEpoch} per epoch)`,
      "trainable params": trainable,
      "execution provider": engine.description,
    }),
  );

  const metrics = new Metrics();
  const evaluate = createEvaluator({ engine, model, evalPairs, held, examples, seed: config.seed }, metrics);
  let step = 0;
  for (let epoch = 1; epoch <= epochs && step < totalSteps; epoch += 1) {
    const epochStart = performance.now();
    const order = shuffle([...pairs], random);
    const epochSteps = Math.min(stepsPerEpoch, totalSteps - step);
    let lossSum = 0;
    let lastDraw = 0;
    for (let index = 0; index < epochSteps; index += 1) {
      if (isCancelled()) {
        out("\n");
        return "cancelled";
      }
      const batch: TrainingPair[] = order.slice(index * config.batchSize, (index + 1) * config.batchSize);
      const result = await engine.step(makeBatch(model.spec, batch));
      step += 1;
      lossSum += result.loss;
      if (!Number.isFinite(result.loss)) throw new Error(`the loss diverged at step ${step} (${result.loss}); lower the learning rate`);
      metrics.emit({ step, loss: result.loss, lr: result.learningRate, grad_norm: result.gradNorm });
      if (step % config.evalEvery === 0) await evaluate(step);
      const now = performance.now();
      if (now - lastDraw >= REDRAW_MS || index === epochSteps - 1) {
        out(progressLine(epoch, epochs, index + 1, epochSteps, result.loss, result.learningRate));
        lastDraw = now;
      }
      await nextTick();
    }
    const evaluation = await evaluate(step);
    const seconds = (performance.now() - epochStart) / 1000;
    out(
      `\n${bold(`epoch ${epoch}/${epochs}`)} ${green("done")}: train loss ${(lossSum / epochSteps).toFixed(4)}, ` +
        `eval loss ${evaluation.loss.toFixed(4)}, eval score ${evaluation.score.toFixed(3)}, ` +
        `${epochSteps} steps in ${seconds.toFixed(1)}s (${(epochSteps / Math.max(seconds, 1e-3)).toFixed(1)} steps/s)\n`,
    );
  }
  if (isCancelled()) return "cancelled";

  const files = encodePeftAdapter(lora, { config: loraConfig, baseModel: config.baseModel, dropout: config.dropout });
  writeAdapter(args.output, files);
  out(`${green("saved")} PEFT adapter to ${args.output} (adapter_config.json, adapter_model.safetensors)\n`);
  return "done";
}

interface EvaluationContext {
  engine: TrainingEngine;
  model: Model;
  evalPairs: TrainingPair[];
  held: Example[];
  /** The whole dataset, the reference the sampled melodies are scored against. */
  examples: Example[];
  seed: number;
}

/**
 * An evaluation at a step (at most one per step): eval_loss, steps_per_second (the training steps since the last
 * evaluation over the time they took, evaluations excluded) and the sample scores, on fd 3.
 */
function createEvaluator(context: EvaluationContext, metrics: Metrics): (step: number) => Promise<{ loss: number; score: number }> {
  const { engine, model, evalPairs, held, examples, seed } = context;
  let last = { step: 0, time: performance.now(), result: { loss: NaN, score: NaN } };
  return async (step) => {
    if (last.step === step) return last.result;
    const trainingMs = performance.now() - last.time;
    const loss = await meanLossFrom(engine.logits, evalPairs);
    const evaluation = await sampleEvaluation(model.spec, engine.logits, held, examples, seed);
    metrics.emit({ step, eval_loss: loss });
    metrics.emit({ step, steps_per_second: ((step - last.step) * 1000) / Math.max(1e-3, trainingMs) });
    metrics.emit({ step, ...sampleMetrics(evaluation) });
    last = { step, time: performance.now(), result: { loss, score: evaluation.score } };
    return last.result;
  };
}

/** Written under temporary names and renamed, so a failure never leaves half an adapter. */
function writeAdapter(dir: string, files: { weights: Uint8Array; config: string }): void {
  mkdirSync(dir, { recursive: true });
  const weights = join(dir, "adapter_model.safetensors");
  const config = join(dir, "adapter_config.json");
  try {
    writeFileSync(`${weights}.tmp`, files.weights);
    writeFileSync(`${config}.tmp`, files.config);
    renameSync(`${weights}.tmp`, weights);
    renameSync(`${config}.tmp`, config);
  } catch (error) {
    for (const path of [`${weights}.tmp`, `${config}.tmp`]) rmSync(path, { force: true });
    throw error;
  }
}

async function main(): Promise<number> {
  exitWhenOrphaned(EXIT_ORPHANED);
  let cancelled = false;
  process.on("SIGTERM", () => {
    cancelled = true;
  });
  let args: Args;
  let device: DevicePreference;
  try {
    args = parseCommandLine(process.argv.slice(2));
    device = parseDevicePreference(process.env.TRAINER_DEVICE);
  } catch (error) {
    process.stderr.write(`${red("error:")} ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  args = { ...args, output: resolve(args.output) };
  try {
    const outcome = await train(args, device, () => cancelled);
    if (outcome === "cancelled") {
      process.stderr.write("cancelled\n");
      return EXIT_CANCELLED;
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${red("error:")} ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** TRAINER_DEVICE, unset or empty meaning auto. */
function parseDevicePreference(value: string | undefined): DevicePreference {
  const device = devicePreferenceSchema.safeParse(value || undefined);
  if (!device.success) throw new UsageError(`TRAINER_DEVICE must be auto, cpu or cuda, got "${value}"`);
  return device.data;
}

process.exitCode = await main();
