import { stepsPerBar, type Melody } from "./melody.js";
import { MODES, pitchClass, scalePitchClasses, type ModeName, type Scale } from "./scales.js";

/*
 * Objective scores of generated melodies against a reference set. Every note counts once,
 * whatever its duration (as in MusPy's pitch-class and in-scale metrics).
 */

export interface NamedScale extends Scale {
  mode: ModeName;
}

export interface Evaluation {
  /** Jensen–Shannon divergence of the pitch-class histograms, 0 (same) to 1 (disjoint). */
  pitchClassDistance: number;
  /** The share of generated notes in the reference's dominant scale. */
  inScaleRatio: number;
  rhythmDensity: number;
  referenceRhythmDensity: number;
  /** |rhythmDensity − referenceRhythmDensity| / the larger of the two, 0 (same) to 1. */
  rhythmDensityDifference: number;
  /** (1 − pitchClassDistance + inScaleRatio + 1 − rhythmDensityDifference) / 3, from 0 to 1, higher is closer. */
  score: number;
}

function pitchClassCounts(melodies: readonly Melody[]): number[] {
  const counts = new Array<number>(12).fill(0);
  for (const melody of melodies) for (const note of melody.notes) counts[pitchClass(note.pitch)]! += 1;
  return counts;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** The share of notes per pitch class (index 0 = C); all zeros when there are no notes. */
export function pitchClassHistogram(melodies: readonly Melody[]): number[] {
  const counts = pitchClassCounts(melodies);
  const total = sum(counts);
  return counts.map((count) => (total === 0 ? 0 : count / total));
}

/**
 * The Jensen–Shannon divergence (base-2 logarithms, so 0 to 1) between the pitch-class histograms:
 * 0 for the same distribution, 1 for disjoint pitch classes. A set without notes is at 1 from any
 * set with notes, and at 0 from another set without notes.
 */
export function pitchClassDistance(generated: readonly Melody[], reference: readonly Melody[]): number {
  const p = pitchClassHistogram(generated);
  const q = pitchClassHistogram(reference);
  const emptySets = [p, q].filter((histogram) => sum(histogram) === 0).length;
  if (emptySets > 0) return emptySets === 2 ? 0 : 1;
  const mixture = p.map((share, index) => (share + q[index]!) / 2);
  return (klDivergence(p, mixture) + klDivergence(q, mixture)) / 2;
}

function klDivergence(p: readonly number[], q: readonly number[]): number {
  return sum(p.map((share, index) => (share === 0 ? 0 : share * Math.log2(share / q[index]!))));
}

/** The share of notes whose pitch class is in the scale; 0 when there are no notes. */
export function inScaleRatio(melodies: readonly Melody[], scale: Scale): number {
  const counts = pitchClassCounts(melodies);
  const total = sum(counts);
  return total === 0 ? 0 : countInScale(counts, scale) / total;
}

function countInScale(counts: readonly number[], scale: Scale): number {
  return sum([...scalePitchClasses(scale)].map((pitchClassInScale) => counts[pitchClassInScale]!));
}

/**
 * The tonic and mode (major, natural minor, dorian, major pentatonic, blues) holding the most
 * notes. Ties, such as C major and A minor, go to the smaller scale, then to the tonic most
 * melodies end on, then to the tonic heard most.
 */
export function dominantScale(reference: readonly Melody[]): NamedScale {
  const counts = pitchClassCounts(reference);
  const finals = finalPitchClassCounts(reference);
  const candidates = (Object.keys(MODES) as ModeName[]).flatMap((mode) =>
    Array.from({ length: 12 }, (_, tonic) => ({ tonic, mode, intervals: MODES[mode] as readonly number[] })),
  );
  const fit = (scale: NamedScale): number[] => [countInScale(counts, scale), -scale.intervals.length, finals[scale.tonic]!, counts[scale.tonic]!];
  return candidates.reduce((best, candidate) => (isBetterFit(fit(candidate), fit(best)) ? candidate : best));
}

function finalPitchClassCounts(melodies: readonly Melody[]): number[] {
  return pitchClassCounts(melodies.map((melody) => ({ ...melody, notes: melody.notes.slice(-1) })));
}

function isBetterFit(candidate: readonly number[], best: readonly number[]): boolean {
  const differing = candidate.findIndex((value, index) => value !== best[index]);
  return differing !== -1 && candidate[differing]! > best[differing]!;
}

/** Notes per bar over the whole set (bars of each melody's own meter; a partial bar counts by its share). */
export function rhythmDensity(melodies: readonly Melody[]): number {
  const notes = sum(melodies.map((melody) => melody.notes.length));
  const bars = sum(melodies.map((melody) => melody.lengthSteps / stepsPerBar(melody.meter)));
  return bars === 0 ? 0 : notes / bars;
}

/** |a − b| / max(a, b) of the two rhythm densities: 0 when equal, 1 when one set has no notes. */
export function rhythmDensityDifference(generated: readonly Melody[], reference: readonly Melody[]): number {
  return relativeDifference(rhythmDensity(generated), rhythmDensity(reference));
}

function relativeDifference(a: number, b: number): number {
  const larger = Math.max(a, b);
  return larger === 0 ? 0 : Math.abs(a - b) / larger;
}

export function evaluate(generated: readonly Melody[], reference: readonly Melody[]): Evaluation {
  const distance = pitchClassDistance(generated, reference);
  const ratio = inScaleRatio(generated, dominantScale(reference));
  const density = rhythmDensity(generated);
  const referenceDensity = rhythmDensity(reference);
  const densityDifference = relativeDifference(density, referenceDensity);
  const score = (1 - distance + ratio + 1 - densityDifference) / 3;
  return {
    pitchClassDistance: distance,
    inScaleRatio: ratio,
    rhythmDensity: density,
    referenceRhythmDensity: referenceDensity,
    rhythmDensityDifference: densityDifference,
    score,
  };
}
