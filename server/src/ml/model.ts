import type { Lora, LoraModule } from "./lora.js";
import { addScaled, addToRows, multiplyElementwise, multiplyTransposed, zeros, type Matrix } from "./matrix.js";
import { PAD, PROMPT_BUCKETS, VOCAB_SIZE } from "./melody.js";
import type { Random } from "./random.js";

/*
 * The "tunes" reference model: a multi-layer perceptron that predicts the next melody token from
 * the last K tokens (one-hot) and the prompt vector.
 *   x = [onehot(t₋K) … onehot(t₋₁), promptVector]   h1 = relu(fc1(x))   h2 = relu(fc2(h1))   logits = head(h2)
 * A LoRA module on a layer adds scale · B · (A · dropout(x)) to its output.
 */

export const LAYER_NAMES = ["fc1", "fc2", "head"] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

/** y = W · x + b, with weight [out × in] row-major (PyTorch's nn.Linear layout). */
export interface Linear {
  weight: Float32Array;
  bias: Float32Array;
  in: number;
  out: number;
}

export interface ModelSpec {
  id: string;
  /** K, the number of preceding tokens the model sees. */
  contextTokens: number;
  hidden1: number;
  hidden2: number;
}

export const MODEL_SPECS: readonly ModelSpec[] = [
  { id: "tunes-s", contextTokens: 16, hidden1: 64, hidden2: 64 },
  { id: "tunes-m", contextTokens: 16, hidden1: 128, hidden2: 128 },
];

export function modelSpec(id: string): ModelSpec {
  const spec = MODEL_SPECS.find((candidate) => candidate.id === id);
  if (!spec) throw new RangeError(`unknown model "${id}"; known: ${MODEL_SPECS.map((known) => known.id).join(", ")}`);
  return spec;
}

export interface Model {
  spec: ModelSpec;
  layers: Record<LayerName, Linear>;
}

export function inputSize(spec: ModelSpec): number {
  return spec.contextTokens * VOCAB_SIZE + PROMPT_BUCKETS;
}

export function layerShapes(spec: ModelSpec): Record<LayerName, { in: number; out: number }> {
  return {
    fc1: { in: inputSize(spec), out: spec.hidden1 },
    fc2: { in: spec.hidden1, out: spec.hidden2 },
    head: { in: spec.hidden2, out: VOCAB_SIZE },
  };
}

/** He-normal weights for the ReLU layers, Xavier-normal for the head, zero biases; draws fc1, fc2, head in that order. */
export function initModel(spec: ModelSpec, random: Random): Model {
  const { fc1, fc2, head } = layerShapes(spec);
  return {
    spec,
    layers: {
      fc1: initLinear(fc1, Math.sqrt(2 / fc1.in), random),
      fc2: initLinear(fc2, Math.sqrt(2 / fc2.in), random),
      head: initLinear(head, Math.sqrt(2 / (head.in + head.out)), random),
    },
  };
}

function initLinear(shape: { in: number; out: number }, deviation: number, random: Random): Linear {
  const weight = Float32Array.from({ length: shape.out * shape.in }, () => random.normal() * deviation);
  return { weight, bias: new Float32Array(shape.out), ...shape };
}

/** The K tokens before a position, and the token at it. */
export interface ContextWindow {
  context: number[];
  target: number;
}

/** One window per token after the first (each token predicted from the K before it, left-padded with PAD). */
export function contextWindows(tokens: readonly number[], contextTokens: number): ContextWindow[] {
  const padded = [...new Array<number>(contextTokens).fill(PAD), ...tokens];
  return tokens.slice(1).map((target, index) => ({ context: padded.slice(index + 1, index + 1 + contextTokens), target }));
}

export interface ModelInput {
  context: readonly number[];
  prompt: Float32Array;
}

/** One row per input: the one-hot tokens, oldest first, then the prompt vector. */
export function encodeInputs(spec: ModelSpec, inputs: readonly ModelInput[]): Matrix {
  const matrix = zeros(inputs.length, inputSize(spec));
  for (const [row, input] of inputs.entries()) writeInput(matrix, row, input, spec);
  return matrix;
}

function writeInput(matrix: Matrix, row: number, input: ModelInput, spec: ModelSpec): void {
  if (input.context.length !== spec.contextTokens) throw new RangeError(`a context has ${input.context.length} tokens, expected ${spec.contextTokens}`);
  if (input.prompt.length !== PROMPT_BUCKETS) throw new RangeError(`a prompt vector has ${input.prompt.length} values, expected ${PROMPT_BUCKETS}`);
  const rowStart = row * matrix.cols;
  for (const [position, token] of input.context.entries()) {
    if (!Number.isInteger(token) || token < 0 || token >= VOCAB_SIZE) throw new RangeError(`token ${token} is outside the vocabulary of ${VOCAB_SIZE}`);
    matrix.data[rowStart + position * VOCAB_SIZE + token] = 1;
  }
  matrix.data.set(input.prompt, rowStart + spec.contextTokens * VOCAB_SIZE);
}

/** Inverted dropout on the LoRA input path, during training only. */
export interface Dropout {
  rate: number;
  random: Random;
}

/** Per LoRA module, one factor per element of its layer's input: 0 (dropped) or 1 / (1 − rate) (kept). */
export type DropoutMasks = Partial<Record<LayerName, Float32Array>>;

/**
 * The masks of one training step for a batch of `rows` inputs, drawn module by module in layer order. Drawn apart from
 * the forward pass so that the TypeScript backward and the ONNX training graph consume the random source alike.
 */
export function drawDropoutMasks(lora: Lora, rows: number, { rate, random }: Dropout): DropoutMasks {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`the dropout rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return {};
  const kept = 1 / (1 - rate);
  const masks: DropoutMasks = {};
  for (const name of LAYER_NAMES) {
    const module = lora[name];
    if (module) masks[name] = drawMask(rows * module.in, rate, kept, random);
  }
  return masks;
}

function drawMask(length: number, rate: number, kept: number, random: Random): Float32Array {
  const mask = new Float32Array(length);
  for (let index = 0; index < length; index += 1) mask[index] = random.next() < rate ? 0 : kept;
  return mask;
}

export interface LoraTrace {
  /** The layer input after dropout, as A saw it. */
  input: Matrix;
  /** Per input element, 0 or 1 / (1 − rate); undefined without dropout. */
  mask: Float32Array | undefined;
  /** A · input, [rows × rank]. */
  hidden: Matrix;
}

export interface LayerTrace {
  input: Matrix;
  output: Matrix;
  lora: LoraTrace | undefined;
}

/** The logits [rows × VOCAB_SIZE] and what the backward pass needs. */
export interface ForwardPass {
  logits: Matrix;
  layers: Record<LayerName, LayerTrace>;
}

/** The forward pass; with masks (training), each LoRA module sees its layer's input times its mask. */
export function forward(model: Model, inputs: Matrix, lora: Lora = {}, masks: DropoutMasks = {}): ForwardPass {
  const fc1 = traceLinear(model.layers.fc1, inputs, lora.fc1, masks.fc1);
  const fc2 = traceLinear(model.layers.fc2, relu(fc1.output), lora.fc2, masks.fc2);
  const head = traceLinear(model.layers.head, relu(fc2.output), lora.head, masks.head);
  return { logits: head.output, layers: { fc1, fc2, head } };
}

/** One layer's output, W · x + b (+ scale · B · A · x with a LoRA module), without dropout. */
export function applyLinear(layer: Linear, inputs: Matrix, module?: LoraModule): Matrix {
  return traceLinear(layer, inputs, module).output;
}

function traceLinear(layer: Linear, input: Matrix, module: LoraModule | undefined, mask?: Float32Array): LayerTrace {
  const output = multiplyTransposed(input, layer.weight, layer.out);
  addToRows(output, layer.bias);
  if (!module) return { input, output, lora: undefined };
  assertFits(module, layer);
  const lora = loraPath(module, input, mask);
  addScaled(output, multiplyTransposed(lora.hidden, module.b, module.out), module.scale);
  return { input, output, lora };
}

function assertFits(module: LoraModule, layer: Linear): void {
  if (module.in !== layer.in || module.out !== layer.out) {
    throw new RangeError(`a LoRA module of shape ${module.out}×${module.in} does not fit a layer of shape ${layer.out}×${layer.in}`);
  }
}

function loraPath(module: LoraModule, input: Matrix, mask: Float32Array | undefined): LoraTrace {
  const dropped = mask ? multiplyElementwise(input, mask) : input;
  return { input: dropped, mask, hidden: multiplyTransposed(dropped, module.a, module.rank) };
}

function relu(matrix: Matrix): Matrix {
  return { rows: matrix.rows, cols: matrix.cols, data: matrix.data.map((value) => Math.max(value, 0)) };
}

/**
 * Next-token logits for a batch of inputs, [inputs.length × VOCAB_SIZE]: how samplers and evaluations reach a model,
 * whether through onnxruntime (the inference graph with LoRA inputs) in the workers or through forwardLogits.
 */
export type LogitsFunction = (inputs: readonly ModelInput[]) => Promise<Matrix>;

/** The TypeScript forward pass (no dropout) as a logits function; the LoRA is read at each call, so training shows. */
export function forwardLogits(model: Model, lora: Lora = {}): LogitsFunction {
  return async (inputs) => forward(model, encodeInputs(model.spec, inputs), lora).logits;
}
