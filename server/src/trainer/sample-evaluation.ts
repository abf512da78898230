import { evaluate, type Evaluation } from "../ml/evaluation.js";
import type { Melody } from "../ml/melody.js";
import type { LogitsFunction, ModelSpec } from "../ml/model.js";
import { sampleMelodies } from "../ml/sampling.js";

/*
 * The trainer's sample evaluation: melodies sampled from the model as trained so far, scored against the dataset with
 * ml/evaluation.ts. The seed and the prompts are the same at every evaluation, so the scores move only with training.
 */

export const EVAL_SAMPLES = 8;

interface PromptedMelody {
  prompt: string;
  melody: Melody;
}

/**
 * EVAL_SAMPLES melodies at temperature 1 without a top-k cut (the model's own distribution), from the prompts and meters
 * of `prompts` in turn, each at most as long as the longest reference melody, scored against the reference melodies.
 */
export async function sampleEvaluation(
  spec: ModelSpec,
  logits: LogitsFunction,
  prompts: readonly PromptedMelody[],
  reference: readonly PromptedMelody[],
  seed: number,
): Promise<Evaluation> {
  const requests = Array.from({ length: EVAL_SAMPLES }, (_, index) => {
    const { prompt, melody } = prompts[index % prompts.length]!;
    return { prompt, meter: melody.meter };
  });
  const maxSteps = reference.reduce((longest, { melody }) => Math.max(longest, melody.lengthSteps), 0);
  const sampled = await sampleMelodies(spec, requests, logits, { temperature: 1, seed, maxSteps });
  return evaluate(
    sampled,
    reference.map(({ melody }) => melody),
  );
}

/**
 * The fd-3 fields of a sample evaluation. eval_score is Evaluation.score, (1 − pitch-class distance + in-scale ratio +
 * 1 − rhythm-density difference) / 3: from 0 to 1, higher is closer to the dataset; the three components follow it.
 */
export function sampleMetrics(evaluation: Evaluation): Record<string, number> {
  return {
    eval_score: evaluation.score,
    eval_pitch_class_distance: evaluation.pitchClassDistance,
    eval_in_scale_ratio: evaluation.inScaleRatio,
    eval_rhythm_density_difference: evaluation.rhythmDensityDifference,
  };
}
