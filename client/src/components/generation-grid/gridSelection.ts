/** The two cells of a grid chosen to A/B, and the New A/B test address they pre-fill. */
import type { LocationQueryRaw } from "vue-router";

/** One cell's settings: its adapter at a weight, drawn with a seed. */
export interface GridCellChoice {
  adapterId: string;
  weight: number;
  seed: number;
  /** a melody's length, as the grid drew it; 0 for an image, null before the job is known */
  durationSeconds: number | null;
}

export const cellKey = ({ adapterId, weight, seed }: GridCellChoice) => `${adapterId}@${weight}#${seed}`;

/** A cell chosen or unchosen; two at most, so a third replaces the one chosen first. */
export function toggleCell(chosen: readonly GridCellChoice[], cell: GridCellChoice): GridCellChoice[] {
  const key = cellKey(cell);
  if (chosen.some((entry) => cellKey(entry) === key)) return chosen.filter((entry) => cellKey(entry) !== key);
  return [...chosen, cell].slice(-2);
}

/** Why two cells cannot be A/B tested (they differ only in their seed, which an A/B test shares), or null. */
export function abTestProblem([a, b]: readonly GridCellChoice[]): string | null {
  if (!a || !b) return "Select two cells to A/B them.";
  if (a.adapterId === b.adapterId && a.weight === b.weight) return "These cells differ only in their seed; an A/B test draws both sides with one seed, so choose cells of another weight or adapter.";
  return null;
}

/** The New A/B test page's address for two cells: each side's adapter and weight, the grid's prompt and melody length, the first cell's seed. */
export function abTestQuery(prompt: string, [a, b]: readonly [GridCellChoice, GridCellChoice]): LocationQueryRaw {
  const sides = { adapterA: a.adapterId, weightA: String(a.weight), adapterB: b.adapterId, weightB: String(b.weight) };
  return { ...sides, prompt, seed: String(a.seed), ...(a.durationSeconds ? { durationSeconds: String(a.durationSeconds) } : {}) };
}
