export const PITCH_CLASS_NAMES = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"] as const;

/** Semitones above the tonic. "minor" is the natural minor, "pentatonic" the major pentatonic, "blues" the minor blues scale. */
export const MODES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  pentatonic: [0, 2, 4, 7, 9],
  blues: [0, 3, 5, 6, 7, 10],
} as const satisfies Record<string, readonly number[]>;

export type ModeName = keyof typeof MODES;

export interface Scale {
  /** A MIDI pitch or a pitch class: only the pitch class matters. */
  tonic: number;
  intervals: readonly number[];
}

export function pitchClass(pitch: number): number {
  return ((pitch % 12) + 12) % 12;
}

export function pitchClassName(pitch: number): string {
  return PITCH_CLASS_NAMES[pitchClass(pitch)]!;
}

export function scalePitchClasses(scale: Scale): Set<number> {
  return new Set(scale.intervals.map((interval) => pitchClass(scale.tonic + interval)));
}

export function inScale(pitch: number, scale: Scale): boolean {
  return scalePitchClasses(scale).has(pitchClass(pitch));
}
