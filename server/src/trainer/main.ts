import { fstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseSafetensorsHeader, readHeaderLength } from "../formats/safetensors.js";
import type { LoraConfig } from "../ml/lora.js";
import { initLora } from "../ml/lora.js";
import { datasetLineSchema } from "../ml/dataset-line.js";
import type { Melody } from "../ml/melody.js";
import { modelSpec, type Model } from "../ml/model.js";
import { createRandom, type Random } from "../ml/random.js";
import { createTrainer, makeBatch, meanLoss, trainingPairs, trainStep, type TrainingPair } from "../ml/train.js";
import { modelFromTensors } from "../ml/weights.js";
import { encodePeftAdapter } from "./peft-adapter.js";
import { parseTrainerConfig, type TrainerConfig } from "./config.js";

/*
 * The built-in trainer, a command following DESIGN §6:
 *   node --import tsx src/trainer/main.ts --config <config.json> --dataset <data.jsonl> --output <dir>
 * stdout/stderr are a human log (coloured header, \r progress bar, epoch summaries, warnings); metrics are JSON lines on
 * fd 3 when it is open; on success <dir> holds a PEFT adapter. SIGTERM cancels at the next step boundary (exit 143,
 * nothing written). Usage errors exit 2, any other error 1.
 */

const MODELS_DIR = new URL("../../models/", import.meta.url);
const METRICS_FD = 3;
const EXIT_USAGE = 2;
const EXIT_CANCELLED = 143;
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

function loadBaseModel(id: string): Model {
  const spec = modelSpec(id);
  const file = new Uint8Array(readFileSync(new URL(`${id}.safetensors`, MODELS_DIR)));
  const headerLength = readHeaderLength(file.subarray(0, 8), file.length);
  const header = parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
  const tensors = header.tensors.map(({ name, dtype, shape, dataOffsets: [start, end] }) => {
    if (dtype !== "F32") throw new Error(`base weights ${id}: tensor "${name}" is ${dtype}, expected F32`);
    return { name, shape, data: new Float32Array(file.slice(header.dataStart + start, header.dataStart + end).buffer) };
  });
  return modelFromTensors(spec, tensors);
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
  const width = Math.max(...rows.map(([key]) => key.length));
  return [
    bold(cyan("LoRA Studio trainer")) + dim(" — LoRA fine-tuning of the tunes model"),
    ...rows.map(([key, value]) => `  ${dim(key.padEnd(width))}  ${value}`),
    "",
  ].join("\n");
}

async function train(args: Args, isCancelled: () => boolean): Promise<"done" | "cancelled"> {
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

  const loraConfig: LoraConfig = { rank: config.rank, alpha: config.alpha, rsLora: config.useRslora, targetModules: config.targetModules };
  const lora = initLora(model, loraConfig, random);
  const stepsPerEpoch = Math.ceil(pairs.length / config.batchSize);
  const totalSteps = Math.min(config.epochs * stepsPerEpoch, config.maxSteps ?? Infinity);
  const epochs = Math.ceil(totalSteps / stepsPerEpoch);
  if (config.warmupSteps >= totalSteps) warn(`warmupSteps (${config.warmupSteps}) is not below the ${totalSteps} training steps`);
  const trainer = createTrainer(
    model,
    lora,
    {
      learningRate: config.learningRate,
      warmupSteps: config.warmupSteps,
      totalSteps,
      schedule: config.scheduler,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: config.weightDecay,
      maxGradNorm: config.maxGradNorm,
      dropout: config.dropout,
    },
    config.seed + 1,
  );
  const trainable = Object.values(lora).reduce((sum, module) => sum + module.a.length + module.b.length, 0);
  out(
    header(config, args, {
      examples: `${trainExamples.length} train / ${held.length} eval`,
      "token pairs": `${pairs.length} train / ${evalPairs.length} eval`,
      "steps": `${totalSteps} (${stepsPerEpoch} per epoch)`,
      "trainable params": trainable,
    }),
  );

  const metrics = new Metrics();
  let step = 0;
  let lastEval = { step: 0, time: performance.now(), loss: NaN };
  const evaluate = (): number => {
    if (lastEval.step === step && step > 0) return lastEval.loss;
    const evalLoss = meanLoss(model, evalPairs, 1024, lora);
    const now = performance.now();
    metrics.emit({ step, eval_loss: evalLoss });
    metrics.emit({ step, steps_per_second: ((step - lastEval.step) * 1000) / Math.max(1e-3, now - lastEval.time) });
    lastEval = { step, time: now, loss: evalLoss };
    return evalLoss;
  };

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
      const result = trainStep(trainer, makeBatch(model.spec, batch));
      step += 1;
      lossSum += result.loss;
      if (!Number.isFinite(result.loss)) throw new Error(`the loss diverged at step ${step} (${result.loss}); lower the learning rate`);
      metrics.emit({ step, loss: result.loss, lr: result.learningRate, grad_norm: result.gradNorm });
      if (step % config.evalEvery === 0) evaluate();
      const now = performance.now();
      if (now - lastDraw >= REDRAW_MS || index === epochSteps - 1) {
        out(progressLine(epoch, epochs, index + 1, epochSteps, result.loss, result.learningRate));
        lastDraw = now;
      }
      await nextTick();
    }
    const evalLoss = evaluate();
    const seconds = (performance.now() - epochStart) / 1000;
    out(
      `\n${bold(`epoch ${epoch}/${epochs}`)} ${green("done")}: train loss ${(lossSum / epochSteps).toFixed(4)}, ` +
        `eval loss ${evalLoss.toFixed(4)}, ${epochSteps} steps in ${seconds.toFixed(1)}s (${(epochSteps / Math.max(seconds, 1e-3)).toFixed(1)} steps/s)\n`,
    );
  }
  if (isCancelled()) return "cancelled";

  const files = encodePeftAdapter(lora, { config: loraConfig, baseModel: config.baseModel, dropout: config.dropout });
  writeAdapter(args.output, files);
  out(`${green("saved")} PEFT adapter to ${args.output} (adapter_config.json, adapter_model.safetensors)\n`);
  return "done";
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
  let cancelled = false;
  process.on("SIGTERM", () => {
    cancelled = true;
  });
  let args: Args;
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${red("error:")} ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  args = { ...args, output: resolve(args.output) };
  try {
    const outcome = await train(args, () => cancelled);
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

process.exitCode = await main();
