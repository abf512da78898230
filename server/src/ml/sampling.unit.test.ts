import { describe, expect, it } from "vitest";
import { LOWEST_PITCH } from "../contracts/melody.js";
import { BOS, detokenize, EOS, onsetToken, PAD, promptVector, VOCAB_SIZE, type Melody } from "./melody.js";
import { encodeInputs, forward, forwardLogits, initModel, modelSpec, type LogitsFunction } from "./model.js";
import { createRandom } from "./random.js";
import { sampleMelodies, type SamplingOptions, type SamplingRequest } from "./sampling.js";

const spec = modelSpec("tunes-s");
const model = initModel(spec, createRandom(1));
const logits = forwardLogits(model);
const requests: SamplingRequest[] = [{ prompt: "a gentle waltz in C major", meter: { beatsPerBar: 3, stepsPerBeat: 4 } }, { prompt: "a sad ballad in D minor" }, { prompt: "a dorian jig" }];
const OPTIONS: SamplingOptions = { temperature: 1, seed: 7, maxSteps: 48 };

/** Argmax decoding through the TypeScript forward pass, one token at a time (PAD and BOS excluded, as the sampler does). */
function greedy({ prompt, meter }: SamplingRequest, maxSteps: number): Melody {
  const tokens = [BOS];
  while (tokens.length <= maxSteps && tokens.at(-1) !== EOS) {
    const context = [...new Array<number>(spec.contextTokens).fill(PAD), ...tokens].slice(-spec.contextTokens);
    const row = forward(model, encodeInputs(spec, [{ context, prompt: promptVector(prompt) }])).logits.data;
    const allowed = [...row.keys()].filter((token) => token !== PAD && token !== BOS);
    tokens.push(allowed.reduce((best, token) => (row[token]! > row[best]! ? token : best)));
  }
  return detokenize(tokens, meter);
}

/** Logits that ignore the input: the same row for every position. */
function constantLogits(row: readonly number[]): LogitsFunction {
  return async (inputs) => ({ rows: inputs.length, cols: VOCAB_SIZE, data: Float64Array.from(inputs.flatMap(() => row)) });
}

describe("sampleMelodies", () => {
  it("gives the same melodies for the same seed, and others for another seed", async () => {
    const first = await sampleMelodies(spec, requests, logits, OPTIONS);
    expect(await sampleMelodies(spec, requests, logits, OPTIONS)).toEqual(first);
    expect(await sampleMelodies(spec, requests, logits, { ...OPTIONS, seed: 8 })).not.toEqual(first);
  });

  it("samples each request from its own seed, whatever else is in the batch", async () => {
    const batch = await sampleMelodies(spec, requests, logits, OPTIONS);
    const alone = await sampleMelodies(spec, [requests[1]!], logits, { ...OPTIONS, seed: OPTIONS.seed + 1 });
    expect(alone).toEqual([batch[1]]);
  });

  it("is greedy decoding with top-k = 1, whatever the seed and temperature", async () => {
    const greedyOptions = { ...OPTIONS, topK: 1 };
    const expected = requests.map((request) => greedy(request, OPTIONS.maxSteps));
    expect(await sampleMelodies(spec, requests, logits, greedyOptions)).toEqual(expected);
    expect(await sampleMelodies(spec, requests, logits, { ...greedyOptions, seed: 99, temperature: 3 })).toEqual(expected);
  });

  it("draws tokens as often as softmax(logits / temperature) says: sharper below 1, flatter above", async () => {
    const row = Array.from({ length: VOCAB_SIZE }, () => -Infinity);
    [60, 62, 64].forEach((pitch, index) => (row[onsetToken(pitch)] = -index));
    const shareOfC = async (temperature: number) => {
      const [melody] = await sampleMelodies(spec, [{ prompt: "" }], constantLogits(row), { temperature, seed: 3, maxSteps: 4000 });
      return melody!.notes.filter(({ pitch }) => pitch === 60).length / melody!.notes.length;
    };
    const expectedShare = (temperature: number) => 1 / (1 + Math.exp(-1 / temperature) + Math.exp(-2 / temperature));
    for (const temperature of [0.5, 1, 2]) expect(await shareOfC(temperature)).toBeCloseTo(expectedShare(temperature), 1);
    expect(await shareOfC(0.5)).toBeGreaterThan((await shareOfC(2)) + 0.3);
  });

  it("draws only among the top k", async () => {
    const row = Array.from({ length: VOCAB_SIZE }, (_, token) => (token === EOS ? -Infinity : -token / 10));
    const pitches = async (topK?: number) => {
      const [melody] = await sampleMelodies(spec, [{ prompt: "" }], constantLogits(row), { temperature: 5, topK, seed: 1, maxSteps: 500 });
      return new Set(melody!.notes.map(({ pitch }) => pitch));
    };
    // PAD and BOS are never drawn, EOS is impossible here: the top four are REST, HOLD and the two lowest onsets.
    expect(await pitches(4)).toEqual(new Set([LOWEST_PITCH, LOWEST_PITCH + 1]));
    expect((await pitches()).size).toBeGreaterThan(20);
  });

  it("ends a melody at EOS, or at maxSteps, and never draws PAD or BOS", async () => {
    const endAtOnce = Array.from({ length: VOCAB_SIZE }, (_, token) => (token === EOS ? 0 : -Infinity));
    endAtOnce[PAD] = 100;
    endAtOnce[BOS] = 100;
    expect(await sampleMelodies(spec, [{ prompt: "" }], constantLogits(endAtOnce), OPTIONS)).toEqual([{ notes: [], lengthSteps: 0, meter: { beatsPerBar: 4, stepsPerBeat: 4 } }]);
    const neverEnd = Array.from({ length: VOCAB_SIZE }, (_, token) => (token === EOS ? -Infinity : 0));
    const [melody] = await sampleMelodies(spec, [{ prompt: "" }], constantLogits(neverEnd), { ...OPTIONS, maxSteps: 30 });
    expect(melody!.lengthSteps).toBe(30);
  });

  it("refuses a temperature that is not positive, a top-k below 1 and no steps", async () => {
    await expect(sampleMelodies(spec, requests, logits, { ...OPTIONS, temperature: 0 })).rejects.toThrow(/temperature/);
    await expect(sampleMelodies(spec, requests, logits, { ...OPTIONS, topK: 0 })).rejects.toThrow(/top-k/);
    await expect(sampleMelodies(spec, requests, logits, { ...OPTIONS, maxSteps: 0 })).rejects.toThrow(/maxSteps/);
  });
});
