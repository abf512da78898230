import type { GenerationGrid, PrismaClient } from "../generated/prisma/client.js";
import type { ActivityService } from "../activity/service.js";
import { parseInput } from "../errors/validate.js";
import type { GenerationService } from "../generation/service.js";
import { createGenerationGridInput, type CreateGenerationGridInput } from "./inputs.js";

export interface GenerationGridServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  generation: GenerationService;
}

/** One job of a grid: its adapter at one weight, drawn with one seed. */
export interface GridCellSetting {
  adapterId: string;
  weight: number;
  seed: number;
}

/** Every cell, adapter by adapter, then weight by weight (the rows), then seed by seed (the columns). */
export function cellsOf({ adapters, weights, seeds }: Pick<CreateGenerationGridInput, "adapters" | "weights" | "seeds">): GridCellSetting[] {
  return adapters.flatMap(({ adapterId }) => weights.flatMap((weight) => seeds.map((seed) => ({ adapterId, weight, seed }))));
}

/** A job of a grid as the layout reads it: its cell, and its one adapter. */
export interface GridJob {
  id: string;
  gridWeight: number | null;
  gridSeed: number | null;
  adapters: { adapterId: string }[];
}

export interface GridCellLayout {
  weight: number;
  seed: number;
  /** null when the job was never queued */
  jobId: string | null;
}

export interface GridAdapterLayout {
  adapterId: string;
  /** one per weight, in the grid's order; each holds one cell per seed, in the grid's order */
  rows: { weight: number; cells: GridCellLayout[] }[];
}

/** The grid's jobs laid out per adapter: rows of weights, columns of seeds. */
export function layOut(grid: Pick<GenerationGrid, "adapterIds" | "weights" | "seeds">, jobs: GridJob[]): GridAdapterLayout[] {
  const jobIdOf = (adapterId: string, weight: number, seed: number) =>
    jobs.find((job) => job.adapters[0]?.adapterId === adapterId && job.gridWeight === weight && job.gridSeed === seed)?.id ?? null;
  return grid.adapterIds.map((adapterId) => ({
    adapterId,
    rows: grid.weights.map((weight) => ({ weight, cells: grid.seeds.map((seed) => ({ weight, seed, jobId: jobIdOf(adapterId, weight, seed) })) })),
  }));
}

/** The createGenerationJob input of one cell: the grid's prompt and settings, the cell's adapter, weight and seed. */
function jobInputOf({ adapters: _adapters, weights: _weights, seeds: _seeds, ...settings }: CreateGenerationGridInput, cell: GridCellSetting) {
  return { ...settings, adapters: [{ adapterId: cell.adapterId, weight: cell.weight }], seed: cell.seed };
}

export class GenerationGridService {
  constructor(private readonly deps: GenerationGridServiceDeps) {}

  /**
   * Refused with nothing stored on a bad bound (BAD_USER_INPUT) or an adapter generation refuses. The weights and seeds
   * are checked with the input and every other setting is the same in each cell, so one cell per adapter is checked
   * as generation would before anything is stored. Then stores the grid and queues one job per cell, in cell order.
   */
  async create(rawInput: unknown): Promise<GenerationGrid> {
    const input = parseInput(createGenerationGridInput, rawInput);
    const cells = cellsOf(input);
    for (const { adapterId } of input.adapters) await this.deps.generation.check(jobInputOf(input, { adapterId, weight: input.weights[0]!, seed: input.seeds[0]! }));
    const grid = await this.deps.activity.transaction(this.deps.prisma, async (tx) => {
      const created = await tx.generationGrid.create({
        data: { baseModelId: input.baseModelId, prompt: input.prompt, adapterIds: input.adapters.map((entry) => entry.adapterId), weights: input.weights, seeds: input.seeds },
      });
      const shape = `${input.adapters.length} × ${input.weights.length} × ${input.seeds.length}`;
      const message = `generation grid of ${cells.length} jobs (adapters × weights × seeds: ${shape}) created`;
      return { result: created, event: { type: "GENERATION_GRID_CREATED", message, subjectType: "GenerationGrid", subjectId: created.id } };
    });
    for (const cell of cells) await this.deps.generation.create(jobInputOf(input, cell), { gridId: grid.id, gridWeight: cell.weight, gridSeed: cell.seed });
    return grid;
  }
}
