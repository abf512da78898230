import { BOS, DEFAULT_METER, detokenize, EOS, PAD, promptVector, type Melody, type Meter } from "./melody.js";
import type { LogitsFunction, ModelSpec } from "./model.js";
import { createRandom, type Random } from "./random.js";

/*
 * Autoregressive sampling of melodies from any logits function (onnxruntime in the trainer and the generation worker,
 * the TypeScript forward in tests): every unfinished melody of a batch advances one token per logits call. A melody
 * starts at BOS and ends where EOS is drawn or at maxSteps tokens; PAD and BOS are never drawn.
 */

export interface SamplingOptions {
  /** Divides the logits before the softmax: below 1 sharper, above 1 flatter. */
  temperature: number;
  /** Draw only among the k most likely tokens (1 is greedy decoding); undefined draws among all. */
  topK?: number;
  /** Request i draws from its own source, seeded seed + i: a melody does not depend on the others in its batch. */
  seed: number;
  /** The most tokens (16th-note steps) after BOS. */
  maxSteps: number;
}

export interface SamplingRequest {
  prompt: string;
  /** The meter the melody is read in (it sets the bars); 4/4 by default. */
  meter?: Meter;
}

interface Sequence {
  tokens: number[];
  prompt: Float32Array;
  random: Random;
  finished: boolean;
}

/** One melody per request, in request order. */
export async function sampleMelodies(spec: ModelSpec, requests: readonly SamplingRequest[], logits: LogitsFunction, options: SamplingOptions): Promise<Melody[]> {
  assertValidOptions(options);
  const sequences: Sequence[] = requests.map((request, index) => ({
    tokens: [BOS],
    prompt: promptVector(request.prompt),
    random: createRandom(options.seed + index),
    finished: false,
  }));
  for (let step = 0; step < options.maxSteps; step += 1) {
    const active = sequences.filter((sequence) => !sequence.finished);
    if (active.length === 0) break;
    const rows = await logits(active.map(({ tokens, prompt }) => ({ context: lastTokens(tokens, spec.contextTokens), prompt })));
    for (const [row, sequence] of active.entries()) {
      const token = sampleToken(rows.data.subarray(row * rows.cols, (row + 1) * rows.cols), options, sequence.random);
      sequence.tokens.push(token);
      sequence.finished = token === EOS;
    }
  }
  return sequences.map(({ tokens }, index) => detokenize(tokens, requests[index]!.meter ?? DEFAULT_METER));
}

function assertValidOptions({ temperature, topK, maxSteps }: SamplingOptions): void {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`the temperature must be a positive number, got ${temperature}`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new RangeError(`top-k must be a positive integer, got ${topK}`);
  if (!(Number.isInteger(maxSteps) && maxSteps >= 1)) throw new RangeError(`maxSteps must be a positive integer, got ${maxSteps}`);
}

/** The K tokens before the next position, left-padded with PAD (as contextWindows reads them in training). */
function lastTokens(tokens: readonly number[], contextTokens: number): number[] {
  return [...new Array<number>(contextTokens).fill(PAD), ...tokens].slice(-contextTokens);
}

/** A token drawn from softmax(logits / temperature) over the top k; ties in the cut keep the lower token id. */
function sampleToken(logits: ArrayLike<number>, { temperature, topK }: SamplingOptions, random: Random): number {
  const candidates = Array.from(logits, (logit, token) => ({ token, logit }))
    .filter(({ token }) => token !== PAD && token !== BOS)
    .sort((left, right) => right.logit - left.logit || left.token - right.token)
    .slice(0, topK);
  const highest = candidates[0]!.logit;
  return candidates[random.weighted(candidates.map(({ logit }) => Math.exp((logit - highest) / temperature)))]!.token;
}
