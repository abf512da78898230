import type { Lora, LoraModule } from "./lora.js";
import { addScaled, multiply, multiplyElementwise, transposedProduct, type Matrix } from "./matrix.js";
import { promptVector, tokenize, type Melody } from "./melody.js";
import {
  contextWindows,
  drawDropoutMasks,
  encodeInputs,
  forward,
  LAYER_NAMES,
  type ContextWindow,
  type DropoutMasks,
  type ForwardPass,
  type LayerName,
  type LayerTrace,
  type Linear,
  type LoraTrace,
  type LogitsFunction,
  type Model,
  type ModelInput,
  type ModelSpec,
} from "./model.js";
import { createRandom, type Random } from "./random.js";

/*
 * Training of the tunes model. LoRA training: the base is frozen, only each module's A and B learn. Base training (the
 * committed base weights): every layer's W and b learn. Both share one backward pass and one optimizer step.
 */

export type TrainingPair = ContextWindow & ModelInput;

/** Every next-token prediction of every example, each with its prompt's vector. */
export function trainingPairs(examples: readonly { prompt: string; melody: Melody }[], contextTokens: number): TrainingPair[] {
  return examples.flatMap(({ prompt, melody }) => {
    const vector = promptVector(prompt);
    return contextWindows(tokenize(melody), contextTokens).map((window) => ({ ...window, prompt: vector }));
  });
}

export interface Batch {
  inputs: Matrix;
  targets: Int32Array;
}

export function makeBatch(spec: ModelSpec, pairs: readonly TrainingPair[]): Batch {
  return { inputs: encodeInputs(spec, pairs), targets: Int32Array.from(pairs, (pair) => pair.target) };
}

export interface CrossEntropy {
  /** The mean over the rows of −log softmax(logits)[target]. */
  loss: number;
  /** d loss / d logits: (softmax − onehot(target)) / rows. */
  gradient: Matrix;
}

export function softmaxCrossEntropy(logits: Matrix, targets: ArrayLike<number>): CrossEntropy {
  if (targets.length !== logits.rows) throw new RangeError(`${targets.length} targets for ${logits.rows} rows of logits`);
  const gradient: Matrix = { rows: logits.rows, cols: logits.cols, data: new Float64Array(logits.data.length) };
  let total = 0;
  for (let row = 0; row < logits.rows; row += 1) {
    const start = row * logits.cols;
    const rowLogits = logits.data.subarray(start, start + logits.cols);
    const target = targets[row]!;
    const max = rowLogits.reduce((largest, value) => Math.max(largest, value), -Infinity);
    const exponentials = rowLogits.map((value) => Math.exp(value - max));
    const sum = exponentials.reduce((accumulated, value) => accumulated + value, 0);
    total += max + Math.log(sum) - rowLogits[target]!;
    for (const [column, exponential] of exponentials.entries()) gradient.data[start + column] = exponential / sum / logits.rows;
    gradient.data[start + target]! -= 1 / logits.rows;
  }
  return { loss: total / logits.rows, gradient };
}

export interface ModuleGradients {
  /** d loss / d A, [rank × in]. */
  a: Float64Array;
  /** d loss / d B, [out × rank]. */
  b: Float64Array;
}

export type LoraGradients = Partial<Record<LayerName, ModuleGradients>>;

/** A LoRA module in the backward pass: hiddenGradient = d loss / d (A · x̃), that is dy · B. */
interface LoraBackPath {
  module: LoraModule;
  trace: LoraTrace;
  hiddenGradient: Matrix;
}

/** d loss / d W [out × in] and d loss / d b [out] of a base layer. */
export interface LinearGradients {
  weight: Float64Array;
  bias: Float64Array;
}

export type BaseGradients = Record<LayerName, LinearGradients>;

export interface Gradients {
  lora: LoraGradients;
  /** Only when asked for (full training); otherwise empty. */
  base: Partial<BaseGradients>;
}

/**
 * The backward pass: back-propagates d loss / d logits through the forward pass, collecting the gradients of every LoRA
 * module and, with withBase, of every base layer's W and b. It stops at the lowest layer anything is wanted from.
 */
export function backward(model: Model, lora: Lora, pass: ForwardPass, logitGradient: Matrix, withBase: boolean): Gradients {
  const gradients: Gradients = { lora: {}, base: {} };
  const lowest = withBase ? 0 : LAYER_NAMES.findIndex((name) => lora[name] !== undefined);
  let outputGradient = logitGradient;
  for (let index = LAYER_NAMES.length - 1; lowest >= 0 && index >= lowest; index -= 1) {
    const name = LAYER_NAMES[index]!;
    const trace = pass.layers[name];
    const path = loraBackPath(lora[name], trace, outputGradient, name);
    if (path) gradients.lora[name] = moduleGradients(path, outputGradient);
    if (withBase) gradients.base[name] = linearGradients(outputGradient, trace.input);
    if (index > lowest) outputGradient = reluGradient(inputGradient(model.layers[name], outputGradient, path), trace.input);
  }
  return gradients;
}

/** The gradients of the LoRA modules only (the base frozen). */
export function loraGradients(model: Model, lora: Lora, pass: ForwardPass, logitGradient: Matrix): LoraGradients {
  return backward(model, lora, pass, logitGradient, false).lora;
}

/** The gradients of every base layer's W and b (full training; a LoRA in the pass is taken as fixed). */
export function baseGradients(model: Model, pass: ForwardPass, logitGradient: Matrix, lora: Lora = {}): BaseGradients {
  const { base } = backward(model, lora, pass, logitGradient, true);
  return { fc1: base.fc1!, fc2: base.fc2!, head: base.head! };
}

/** With y = W · x + b: dW = dyᵀ x, db = the column sums of dy. */
function linearGradients(outputGradient: Matrix, input: Matrix): LinearGradients {
  const bias = new Float64Array(outputGradient.cols);
  for (let index = 0; index < outputGradient.data.length; index += 1) bias[index % outputGradient.cols]! += outputGradient.data[index]!;
  return { weight: transposedProduct(outputGradient, input, 1), bias };
}

function loraBackPath(module: LoraModule | undefined, layer: LayerTrace, outputGradient: Matrix, name: LayerName): LoraBackPath | undefined {
  if (!module) return undefined;
  if (!layer.lora) throw new Error(`the forward pass ran without the LoRA module of ${name}`);
  return { module, trace: layer.lora, hiddenGradient: multiply(outputGradient, module.b, module.rank) };
}

/** With u = A · x̃ (x̃ the input after dropout) and y += scale · B · u: dB = scale · dyᵀ u, dA = scale · (dy B)ᵀ x̃. */
function moduleGradients({ module, trace, hiddenGradient }: LoraBackPath, outputGradient: Matrix): ModuleGradients {
  return {
    a: transposedProduct(hiddenGradient, trace.input, module.scale),
    b: transposedProduct(outputGradient, trace.hidden, module.scale),
  };
}

/** dx = dy · W, plus scale · mask ⊙ ((dy B) · A) through the LoRA path. */
function inputGradient(base: Linear, outputGradient: Matrix, path: LoraBackPath | undefined): Matrix {
  const gradient = multiply(outputGradient, base.weight, base.in);
  if (!path) return gradient;
  const { module, trace, hiddenGradient } = path;
  const throughLora = multiply(hiddenGradient, module.a, module.in);
  addScaled(gradient, trace.mask ? multiplyElementwise(throughLora, trace.mask) : throughLora, module.scale);
  return gradient;
}

/** The gradient through relu, given relu's output (positive exactly where its input was). */
function reluGradient(gradient: Matrix, activation: Matrix): Matrix {
  return multiplyElementwise(gradient, activation.data.map((value) => (value > 0 ? 1 : 0)));
}

/** The trainable arrays in a fixed order (per module in layer order: A, then B), the order of flattenGradients. */
export function loraParameters(lora: Lora): Float32Array[] {
  return LAYER_NAMES.flatMap((name) => {
    const module = lora[name];
    return module ? [module.a, module.b] : [];
  });
}

function flattenGradients(lora: Lora, gradients: LoraGradients): Float64Array[] {
  return LAYER_NAMES.flatMap((name) => {
    if (!lora[name]) return [];
    const module = gradients[name];
    if (!module) throw new Error(`no gradients for the LoRA module of ${name}`);
    return [module.a, module.b];
  });
}

/** Scales the gradients in place so that their global L2 norm is at most maxNorm (as torch's clip_grad_norm_); returns the norm before. */
export function clipGradients(gradients: readonly Float64Array[], maxNorm: number): number {
  const squares = gradients.reduce((sum, gradient) => sum + gradient.reduce((partial, value) => partial + value * value, 0), 0);
  const norm = Math.sqrt(squares);
  const factor = maxNorm / (norm + 1e-6);
  if (factor < 1) for (const gradient of gradients) for (let index = 0; index < gradient.length; index += 1) gradient[index]! *= factor;
  return norm;
}

export type ScheduleKind = "cosine" | "linear" | "constant";

export interface ScheduleOptions {
  learningRate: number;
  warmupSteps: number;
  totalSteps: number;
  schedule: ScheduleKind;
}

/** The learning rate of the 0-based step, as transformers' schedules: linear warmup from 0, then cosine or linear decay to 0 at totalSteps. */
export function learningRateAt(step: number, options: ScheduleOptions): number {
  const { learningRate, warmupSteps, totalSteps, schedule } = options;
  if (step < warmupSteps) return (learningRate * step) / warmupSteps;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  if (schedule === "cosine") return learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
  if (schedule === "linear") return learningRate * (1 - progress);
  return learningRate;
}

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled: each step multiplies the parameters by 1 − learningRate · weightDecay. */
  weightDecay: number;
}

/** torch.optim.AdamW's defaults, which every training of ours uses. */
export const ADAMW_MOMENTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const satisfies Omit<AdamWOptions, "weightDecay">;

export interface AdamW {
  parameters: Float32Array[];
  firstMoments: Float64Array[];
  secondMoments: Float64Array[];
  step: number;
}

export function createAdamW(parameters: Float32Array[]): AdamW {
  const moments = (): Float64Array[] => parameters.map((parameter) => new Float64Array(parameter.length));
  return { parameters, firstMoments: moments(), secondMoments: moments(), step: 0 };
}

/** One AdamW update of every parameter in place (torch.optim.AdamW's algorithm, with bias correction). */
export function adamWStep(optimizer: AdamW, gradients: readonly Float64Array[], learningRate: number, options: AdamWOptions): void {
  const { beta1, beta2, epsilon, weightDecay } = options;
  optimizer.step += 1;
  const firstCorrection = 1 - beta1 ** optimizer.step;
  const secondCorrection = 1 - beta2 ** optimizer.step;
  for (const [index, parameter] of optimizer.parameters.entries()) {
    const gradient = gradients[index]!;
    const first = optimizer.firstMoments[index]!;
    const second = optimizer.secondMoments[index]!;
    for (let at = 0; at < parameter.length; at += 1) {
      const g = gradient[at]!;
      first[at] = beta1 * first[at]! + (1 - beta1) * g;
      second[at] = beta2 * second[at]! + (1 - beta2) * g * g;
      const update = first[at]! / firstCorrection / (Math.sqrt(second[at]! / secondCorrection) + epsilon);
      parameter[at] = parameter[at]! * (1 - learningRate * weightDecay) - learningRate * update;
    }
  }
}

export interface OptimizerOptions extends ScheduleOptions, AdamWOptions {
  /** Global gradient-norm clipping; Infinity turns it off. */
  maxGradNorm: number;
}

export interface TrainingOptions extends OptimizerOptions {
  /** Dropout rate on the LoRA input path. */
  dropout: number;
}

export interface Trainer {
  readonly model: Model;
  /** Trained in place. */
  readonly lora: Lora;
  readonly options: TrainingOptions;
  readonly optimizer: AdamW;
  /** Draws the dropout masks. */
  readonly random: Random;
  step: number;
}

export function createTrainer(model: Model, lora: Lora, options: TrainingOptions, seed: number): Trainer {
  return { model, lora, options, optimizer: createAdamW(loraParameters(lora)), random: createRandom(seed), step: 0 };
}

export interface StepResult {
  loss: number;
  /** Before clipping. */
  gradNorm: number;
  learningRate: number;
}

/** Forward with dropout, cross-entropy, LoRA gradients (the TypeScript reference backward), clipping and one AdamW update; the base model is only read. */
export function trainStep(trainer: Trainer, batch: Batch): StepResult {
  const { model, lora } = trainer;
  const pass = forward(model, batch.inputs, lora, stepDropoutMasks(trainer, batch.inputs.rows));
  const { loss, gradient } = softmaxCrossEntropy(pass.logits, batch.targets);
  return applyLoraGradients(trainer, loss, loraGradients(model, lora, pass, gradient));
}

/** The dropout masks of the trainer's next step, drawn from its random source: every way of computing a step draws them here. */
export function stepDropoutMasks(trainer: Trainer, rows: number): DropoutMasks {
  return drawDropoutMasks(trainer.lora, rows, { rate: trainer.options.dropout, random: trainer.random });
}

/** Completes a step whose loss and LoRA gradients were computed elsewhere (the ONNX training graph): clipping and one AdamW update. */
export function applyLoraGradients(trainer: Trainer, loss: number, gradients: LoraGradients): StepResult {
  return { loss, ...optimize(trainer, flattenGradients(trainer.lora, gradients)) };
}

/** Full training of the base model (no LoRA, no dropout): every layer's W and b learn. */
export interface BaseTrainer {
  /** Trained in place. */
  readonly model: Model;
  readonly options: OptimizerOptions;
  readonly optimizer: AdamW;
  step: number;
}

/** The base model's trainable arrays in a fixed order (per layer in layer order: weight, then bias). */
export function baseParameters(model: Model): Float32Array[] {
  return LAYER_NAMES.flatMap((name) => [model.layers[name].weight, model.layers[name].bias]);
}

export function createBaseTrainer(model: Model, options: OptimizerOptions): BaseTrainer {
  return { model, options, optimizer: createAdamW(baseParameters(model)), step: 0 };
}

/** Forward, cross-entropy, gradients of every W and b, clipping and one AdamW update of the base model. */
export function trainBaseStep(trainer: BaseTrainer, batch: Batch): StepResult {
  const pass = forward(trainer.model, batch.inputs);
  const { loss, gradient } = softmaxCrossEntropy(pass.logits, batch.targets);
  const gradients = baseGradients(trainer.model, pass, gradient);
  return { loss, ...optimize(trainer, LAYER_NAMES.flatMap((name) => [gradients[name].weight, gradients[name].bias])) };
}

/** The scheduled learning rate, clipping and one AdamW update of the optimizer's parameters; advances the step. */
function optimize(trainer: { optimizer: AdamW; options: OptimizerOptions; step: number }, gradients: Float64Array[]): Omit<StepResult, "loss"> {
  const learningRate = learningRateAt(trainer.step, trainer.options);
  const gradNorm = clipGradients(gradients, trainer.options.maxGradNorm);
  adamWStep(trainer.optimizer, gradients, learningRate, trainer.options);
  trainer.step += 1;
  return { gradNorm, learningRate };
}

/** The mean cross-entropy without dropout (evaluation). */
export function evaluateLoss(model: Model, batch: Batch, lora?: Lora): number {
  return softmaxCrossEntropy(forward(model, batch.inputs, lora).logits, batch.targets).loss;
}

/** The mean cross-entropy over many pairs, evaluated in chunks of chunkSize rows to bound memory. */
export function meanLoss(model: Model, pairs: readonly TrainingPair[], chunkSize = 1024, lora?: Lora): number {
  const chunks = chunksOf(pairs, chunkSize);
  return meanOverPairs(chunks, chunks.map((chunk) => evaluateLoss(model, makeBatch(model.spec, chunk), lora)));
}

/** meanLoss through a logits function (onnxruntime's inference graph in the trainer). */
export async function meanLossFrom(logits: LogitsFunction, pairs: readonly TrainingPair[], chunkSize = 1024): Promise<number> {
  const chunks = chunksOf(pairs, chunkSize);
  const losses: number[] = [];
  for (const chunk of chunks) losses.push(softmaxCrossEntropy(await logits(chunk), Int32Array.from(chunk, (pair) => pair.target)).loss);
  return meanOverPairs(chunks, losses);
}

function chunksOf(pairs: readonly TrainingPair[], chunkSize: number): TrainingPair[][] {
  if (pairs.length === 0) throw new RangeError("no pairs to evaluate");
  return Array.from({ length: Math.ceil(pairs.length / chunkSize) }, (_, index) => pairs.slice(index * chunkSize, (index + 1) * chunkSize));
}

/** The mean over all pairs of the chunks' mean losses. */
function meanOverPairs(chunks: readonly TrainingPair[][], losses: readonly number[]): number {
  const pairs = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return chunks.reduce((sum, chunk, index) => sum + losses[index]! * chunk.length, 0) / pairs;
}
