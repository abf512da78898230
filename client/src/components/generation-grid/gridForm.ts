/** The new grid form's pure parts: its lists of weights and seeds read from text, and the cells they make. */
import { countOf } from "../../utils/format";
import { formatWeight, MAX_WEIGHT, MIN_WEIGHT } from "../generation/adapterSelection";

/** the most cells (adapters × weights × seeds) one grid runs, as the API's createGenerationGrid allows */
export const MAX_GRID_CELLS = 100;

export interface ParsedList {
  values: number[];
  /** what is wrong with the first entry that is wrong, or null */
  error: string | null;
}

/** Numbers separated by commas or spaces, each once; `problem` says what is wrong with one, or null. */
function parseList(text: string, what: string, problem: (value: number, entry: string) => string | null): ParsedList {
  const entries = text.split(/[\s,;]+/).filter((entry) => entry !== "");
  if (entries.length === 0) return { values: [], error: `give at least one ${what}` };
  const values: number[] = [];
  for (const entry of entries) {
    const value = Number(entry);
    const error = Number.isNaN(value) ? `"${entry}" is not a number` : (problem(value, entry) ?? (values.includes(value) ? `${what} ${entry} is listed twice` : null));
    if (error) return { values, error };
    values.push(value);
  }
  return { values, error: null };
}

/** "0.4, 0.7, 1" → [0.4, 0.7, 1]: the rows of a grid. */
export function parseWeights(text: string): ParsedList {
  return parseList(text, "weight", (weight, entry) =>
    weight < MIN_WEIGHT || weight > MAX_WEIGHT ? `weight ${entry} is outside ${formatWeight(MIN_WEIGHT)} to ${formatWeight(MAX_WEIGHT)}` : null,
  );
}

/** "1 2 3" → [1, 2, 3]: the columns of a grid. */
export function parseSeeds(text: string): ParsedList {
  return parseList(text, "seed", (seed, entry) => (Number.isInteger(seed) && seed >= 0 ? null : `seed ${entry} must be a whole number, 0 or more`));
}

/** "2 adapters × 3 weights × 2 seeds = 12 cells" */
export function cellCountText(adapters: number, weights: number, seeds: number): string {
  return `${countOf(adapters, "adapter")} × ${countOf(weights, "weight")} × ${countOf(seeds, "seed")} = ${countOf(adapters * weights * seeds, "cell")}`;
}

/** Why a grid of this many cells cannot be sent, or null. */
export function cellCountProblem(cells: number): string | null {
  return cells > MAX_GRID_CELLS ? `A grid runs at most ${MAX_GRID_CELLS} cells; drop some adapters, weights or seeds.` : null;
}
