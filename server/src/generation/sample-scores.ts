import { evaluate, rhythmDensity } from "../ml/evaluation.js";
import type { Melody } from "../ml/melody.js";
import { generateExamples, type Style } from "../ml/styles.js";

/*
 * A sample's evaluation scores (DESIGN §7, §9): against the reference set of the style its prompt names, else of the
 * dataset its first trained adapter learnt from, else only the scores that need no reference.
 */

export type ReferenceKind = "STYLE" | "DATASET" | "NONE";

export interface ScoreReference {
  kind: Exclude<ReferenceKind, "NONE">;
  id: string;
  name: string;
  melodies: Melody[];
}

/** Sample.scores: the reference's fields, then the scores; those that need a reference are null without one. */
export interface SampleScores {
  referenceKind: ReferenceKind;
  referenceId: string | null;
  referenceName: string | null;
  noteCount: number;
  rhythmDensity: number;
  score: number | null;
  pitchClassDistance: number | null;
  inScaleRatio: number | null;
  referenceRhythmDensity: number | null;
  rhythmDensityDifference: number | null;
}

/** A style's reference set: fixed, so scores of one style compare across jobs. */
const STYLE_REFERENCE_SIZE = 64;
const STYLE_REFERENCE_SEED = 1;
const styleReferences = new Map<string, Melody[]>();

export function styleReference(style: Style): ScoreReference {
  let melodies = styleReferences.get(style.id);
  if (!melodies) {
    melodies = generateExamples(style.id, STYLE_REFERENCE_SIZE, STYLE_REFERENCE_SEED).map((example) => example.melody);
    styleReferences.set(style.id, melodies);
  }
  return { kind: "STYLE", id: style.id, name: style.name, melodies };
}

export function scoreSample(melody: Melody, reference: ScoreReference | null): SampleScores {
  const base = { noteCount: melody.notes.length, rhythmDensity: rhythmDensity([melody]) };
  if (!reference || reference.melodies.length === 0) {
    return { referenceKind: "NONE", referenceId: null, referenceName: null, ...base, score: null, pitchClassDistance: null, inScaleRatio: null, referenceRhythmDensity: null, rhythmDensityDifference: null };
  }
  const evaluation = evaluate([melody], reference.melodies);
  return {
    referenceKind: reference.kind,
    referenceId: reference.id,
    referenceName: reference.name,
    ...base,
    score: evaluation.score,
    pitchClassDistance: evaluation.pitchClassDistance,
    inScaleRatio: evaluation.inScaleRatio,
    referenceRhythmDensity: evaluation.referenceRhythmDensity,
    rhythmDensityDifference: evaluation.rhythmDensityDifference,
  };
}
