import { BaseModelRef } from "../base-models/types.js";
import { DatasetRef } from "../datasets/types.js";
import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { EXPERIMENT_ORDER } from "./service.js";

export const ExperimentStatusEnum = builder.enumType("ExperimentStatus", { values: ["DRAFT", "RUNNING", "COMPLETED", "FAILED", "ARCHIVED"] as const });

export const ExperimentRef = builder.prismaObject("Experiment", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    status: t.expose("status", { type: ExperimentStatusEnum }),
    baseModel: t.relation("baseModel", { type: BaseModelRef }),
    dataset: t.relation("dataset", { type: DatasetRef, nullable: true }),
    config: t.expose("trainingConfig", { type: "JSON", description: "the training configuration: keys of trainingConfigSchema" }),
    trainer: t.string({
      nullable: true,
      description: "the trainer its runs use: the built-in one for the reference models, else one registered in TRAINERS; null when none trains its base model",
      resolve: (experiment, _args, ctx) => ctx.services.experiments.trainerOf(experiment.baseModelId),
    }),
    bestRun: t.relation("bestRun", { nullable: true, description: "the completed run with the lowest final loss" }),
    bestLoss: t.exposeFloat("bestLoss", { nullable: true }),
    lastError: t.exposeString("lastError", { nullable: true, description: "the error of the last failed run when all runs failed" }),
    runCount: t.relationCount("runs"),
    runs: t.relatedConnection("runs", { cursor: "id", defaultSize: 50, maxSize: 200, totalCount: true, query: { orderBy: [{ createdAt: "desc" }, { id: "asc" }] } }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  experiments: t.prismaConnection({
    authScopes: { read: true },
    type: "Experiment",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    description: "newest first; archived ones only with includeArchived (or status ARCHIVED)",
    args: { includeArchived: t.arg.boolean({ defaultValue: false }), status: t.arg({ type: ExperimentStatusEnum }) },
    totalCount: (_connection, args, ctx) => ctx.prisma.experiment.count({ where: ctx.services.experiments.listWhere(args) }),
    resolve: (query, _root, args, ctx) => ctx.prisma.experiment.findMany({ ...query, where: ctx.services.experiments.listWhere(args), orderBy: EXPERIMENT_ORDER }),
  }),
  experiment: t.prismaField({
    authScopes: { read: true },
    type: ExperimentRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.experiment.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
}));

const CreateExperimentInput = builder.inputType("CreateExperimentInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: "1–60 characters; the trained adapters are named {experiment}-{run}" }),
    description: t.string(),
    baseModelId: t.string({ required: true }),
    datasetId: t.id({ description: "a run can only start once a dataset is linked" }),
    config: t.field({ type: "JSON", description: "training parameters (trainingConfigSchema keys); those left out take their defaults" }),
  }),
});

const UpdateExperimentInput = builder.inputType("UpdateExperimentInput", {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    datasetId: t.id({ description: "null unlinks the dataset" }),
    config: t.field({ type: "JSON", description: "the whole configuration: keys left out take their defaults, validated against trainingConfigSchema" }),
  }),
});

const experimentPayload = (operation: string) => successPayload(operation, "experiment", ExperimentRef);

builder.mutationFields((t) => ({
  createExperiment: t.field({
    authScopes: { write: true },
    type: experimentPayload("CreateExperiment"),
    errors: { types: COMMON_ERRORS },
    args: { input: t.arg({ type: CreateExperimentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ experiment: await ctx.services.experiments.create(input) }),
  }),
  updateExperiment: t.field({
    authScopes: { write: true },
    type: experimentPayload("UpdateExperiment"),
    errors: { types: COMMON_ERRORS },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateExperimentInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => ({ experiment: await ctx.services.experiments.update(String(id), input) }),
  }),
  archiveExperiment: t.field({
    authScopes: { write: true },
    type: experimentPayload("ArchiveExperiment"),
    errors: { types: COMMON_ERRORS },
    description: "status ARCHIVED: hidden from lists unless includeArchived; refused while runs are pending or running",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ experiment: await ctx.services.experiments.archive(String(id)) }),
  }),
  unarchiveExperiment: t.field({
    authScopes: { write: true },
    type: experimentPayload("UnarchiveExperiment"),
    errors: { types: COMMON_ERRORS },
    description: "back to DRAFT",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ experiment: await ctx.services.experiments.unarchive(String(id)) }),
  }),
}));
