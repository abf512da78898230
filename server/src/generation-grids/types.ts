import { AdapterRef } from "../adapters/types.js";
import { BaseModelRef } from "../base-models/types.js";
import { GenerationJobRef, generationSettingFields } from "../generation/types.js";
import { MAX_WEIGHT, MIN_WEIGHT } from "../generation/inputs.js";
import { builder } from "../schema/builder.js";
import { GENERATION_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { MAX_GRID_CELLS } from "./inputs.js";
import { layOut, type GridAdapterLayout, type GridCellLayout } from "./service.js";

const GenerationGridCellRef = builder.objectRef<GridCellLayout>("GenerationGridCell").implement({
  description: "one job of a grid: its adapter at the row's weight, drawn with the column's seed",
  fields: (t) => ({
    weight: t.exposeFloat("weight"),
    seed: t.exposeInt("seed"),
    job: t.prismaField({
      type: GenerationJobRef,
      nullable: true,
      description: "its status and samples (with their scores and ratings); null when it was never queued",
      resolve: (query, cell, _args, ctx) => (cell.jobId ? ctx.prisma.generationJob.findUnique({ ...query, where: { id: cell.jobId } }) : null),
    }),
  }),
});

const GenerationGridRowRef = builder.objectRef<GridAdapterLayout["rows"][number]>("GenerationGridRow").implement({
  fields: (t) => ({
    weight: t.exposeFloat("weight"),
    cells: t.field({ type: [GenerationGridCellRef], description: "one per seed, in the grid's order of seeds (its columns)", resolve: (row) => row.cells }),
  }),
});

const GenerationGridAdapterRef = builder.objectRef<GridAdapterLayout>("GenerationGridAdapter").implement({
  description: "one adapter's part of a grid: rows of weights × columns of seeds",
  fields: (t) => ({
    adapter: t.prismaField({
      type: AdapterRef,
      description: "the adapter as it is now, deleted ones included",
      resolve: (query, part, _args, ctx) => ctx.prisma.adapter.findUniqueOrThrow({ ...query, where: { id: part.adapterId } }),
    }),
    rows: t.field({ type: [GenerationGridRowRef], description: "one per weight, in the grid's order of weights", resolve: (part) => part.rows }),
  }),
});

export const GenerationGridRef = builder.prismaObject("GenerationGrid", {
  description: "one generation job per adapter × weight × seed, all with the same prompt and settings (AUTOMATIC1111's X/Y/Z plot, kept)",
  fields: (t) => ({
    id: t.exposeID("id"),
    prompt: t.exposeString("prompt"),
    baseModel: t.prismaField({
      type: BaseModelRef,
      resolve: (query, grid, _args, ctx) => ctx.prisma.baseModel.findUniqueOrThrow({ ...query, where: { id: grid.baseModelId } }),
    }),
    weights: t.exposeFloatList("weights", { description: "the rows, in the order asked" }),
    seeds: t.exposeIntList("seeds", { description: "the columns, in the order asked" }),
    cellCount: t.int({ description: "adapters × weights × seeds", resolve: (grid) => grid.adapterIds.length * grid.weights.length * grid.seeds.length }),
    adapters: t.field({
      type: [GenerationGridAdapterRef],
      description: "one per adapter, in the order asked",
      select: { jobs: { select: { id: true, gridWeight: true, gridSeed: true, adapters: { select: { adapterId: true } } } } },
      resolve: (grid) => layOut(grid, grid.jobs),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  generationGrids: t.prismaConnection({
    authScopes: { read: true },
    type: "GenerationGrid",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    description: "newest first",
    totalCount: (_connection, _args, ctx) => ctx.prisma.generationGrid.count(),
    resolve: (query, _root, _args, ctx) => ctx.prisma.generationGrid.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  generationGrid: t.prismaField({
    authScopes: { read: true },
    type: GenerationGridRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    description: "null for a missing grid",
    resolve: (query, _root, args, ctx) => ctx.prisma.generationGrid.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
}));

const GenerationGridAdapterInput = builder.inputType("GenerationGridAdapterInput", {
  fields: (t) => ({ adapterId: t.id({ required: true }) }),
});

const CreateGenerationGridInput = builder.inputType("CreateGenerationGridInput", {
  fields: (t) => ({
    prompt: t.string({ required: true, description: "without <lora:…> tags: the grid applies its adapters itself" }),
    adapters: t.field({ type: [GenerationGridAdapterInput], required: true, description: "live, active adapters that fit the base model, each once; each cell applies one" }),
    weights: t.floatList({ required: true, description: `the rows: each ${MIN_WEIGHT.toFixed(1)} to ${MAX_WEIGHT.toFixed(1)}, each once` }),
    seeds: t.intList({ required: true, description: "the columns: each once" }),
    ...generationSettingFields(t),
  }),
});

builder.mutationFields((t) => ({
  createGenerationGrid: t.field({
    authScopes: { write: true },
    type: successPayload("CreateGenerationGrid", "grid", GenerationGridRef),
    errors: { types: GENERATION_ERRORS },
    description: `queues one generation job per adapter × weight × seed (at most ${MAX_GRID_CELLS}), on a built-in model or a generation backend; refused, with nothing stored, as createGenerationJob would refuse any of its cells`,
    args: { input: t.arg({ type: CreateGenerationGridInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ grid: await ctx.services.generationGrids.create(input) }),
  }),
}));
