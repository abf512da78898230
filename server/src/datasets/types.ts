import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { createRandom } from "../ml/random.js";
import { generatePrompt, STYLES, type Style } from "../ml/styles.js";
import { DATASET_ORDER } from "./service.js";

const DatasetSourceEnum = builder.enumType("DatasetSource", { values: ["GENERATED", "UPLOADED", "MANUAL"] as const });

export const DatasetItemRef = builder.prismaObject("DatasetItem", {
  fields: (t) => ({
    id: t.exposeID("id"),
    position: t.exposeInt("position", { description: "0-based order within the dataset" }),
    prompt: t.exposeString("prompt"),
    notes: t.expose("notes", {
      type: "JSON",
      description: "the melody: { notes: [{ pitch, start, duration }], lengthSteps, meter: { beatsPerBar, stepsPerBeat } }; steps are 16ths",
    }),
  }),
});

export const DatasetRef = builder.prismaObject("Dataset", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    source: t.expose("source", { type: DatasetSourceEnum }),
    style: t.exposeString("style", { nullable: true, description: "the style a generated dataset was made in" }),
    seed: t.exposeInt("seed", { nullable: true, description: "the seed a generated dataset was made with" }),
    itemCount: t.exposeInt("itemCount"),
    items: t.relatedConnection("items", {
      cursor: "id",
      defaultSize: 50,
      maxSize: 500,
      query: { orderBy: [{ position: "asc" }] },
      totalCount: true,
    }),
    preview: t.relation("items", { description: "the first 5 items", query: { orderBy: [{ position: "asc" }], take: 5 } }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const DatasetStyleRef = builder.objectRef<Style>("DatasetStyle").implement({
  description: "a style of the built-in melody generator (generateDataset)",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    mode: t.exposeString("mode", { description: "the scale: major, minor, dorian, pentatonic, blues, ..." }),
    beatsPerBar: t.int({ resolve: (style) => style.meter.beatsPerBar }),
    stepsPerBeat: t.int({ resolve: (style) => style.meter.stepsPerBeat }),
    examplePrompt: t.string({ resolve: (style) => generatePrompt(style.id, createRandom(1), style.tonics[0]) }),
  }),
});

builder.queryFields((t) => ({
  datasetStyles: t.field({ authScopes: { read: true }, type: [DatasetStyleRef], resolve: () => STYLES }),
  datasets: t.prismaConnection({
    authScopes: { read: true },
    type: "Dataset",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    description: "newest first",
    totalCount: (_connection, _args, ctx) => ctx.prisma.dataset.count(),
    resolve: (query, _root, _args, ctx) => ctx.prisma.dataset.findMany({ ...query, orderBy: DATASET_ORDER }),
  }),
  dataset: t.prismaField({
    authScopes: { read: true },
    type: DatasetRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.dataset.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
}));


const NoteInput = builder.inputType("NoteInput", {
  description: "one note of a monophonic melody; start and duration count 16th-note steps",
  fields: (t) => ({
    pitch: t.int({ required: true, description: "MIDI pitch, 0–127 (60 = middle C)" }),
    start: t.int({ required: true }),
    duration: t.int({ required: true }),
  }),
});

const MeterInput = builder.inputType("MeterInput", {
  fields: (t) => ({
    beatsPerBar: t.int({ required: true }),
    stepsPerBeat: t.int({ required: true, description: "16th-note steps per beat: 4 for quarter-note beats, 6 for dotted quarters" }),
  }),
});

const DatasetItemInput = builder.inputType("DatasetItemInput", {
  fields: (t) => ({
    prompt: t.string({ required: true }),
    notes: t.field({ type: [NoteInput], required: true }),
    lengthSteps: t.int({ description: "defaults to the last note's end rounded up to a whole bar" }),
    meter: t.field({ type: MeterInput, description: "defaults to 4/4" }),
  }),
});

const CreateDatasetInput = builder.inputType("CreateDatasetInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    items: t.field({ type: [DatasetItemInput], required: true }),
  }),
});

const GenerateDatasetInput = builder.inputType("GenerateDatasetInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    style: t.string({ required: true, description: "a style id, e.g. major-waltz" }),
    count: t.int({ required: true, description: "1–5000 examples" }),
    seed: t.int({ description: "the same seed gives the same examples; random when omitted" }),
  }),
});

const DatasetImportFormat = builder.enumType("DatasetImportFormat", {
  values: {
    MIDI: { description: "one or more .mid files, each one item: quantised to 16ths, the top voice kept" },
    JSONL: { description: "one file, one training example per line, as a dataset exports" },
  } as const,
});

const ImportDatasetInput = builder.inputType("ImportDatasetInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    format: t.field({ type: DatasetImportFormat, required: true }),
  }),
});

builder.mutationFields((t) => ({
  createDataset: t.field({
    authScopes: { write: true },
    type: successPayload("CreateDataset", "dataset", DatasetRef),
    errors: { types: COMMON_ERRORS },
    args: { input: t.arg({ type: CreateDatasetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ dataset: await ctx.services.datasets.create(input) }),
  }),
  generateDataset: t.field({
    authScopes: { write: true },
    type: successPayload("GenerateDataset", "dataset", DatasetRef),
    errors: { types: COMMON_ERRORS },
    description: "prompt and melody pairs in one of the built-in styles",
    args: { input: t.arg({ type: GenerateDatasetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ dataset: await ctx.services.datasets.generate(input) }),
  }),
  importDataset: t.field({
    authScopes: { write: true },
    type: successPayload("ImportDataset", "dataset", DatasetRef),
    errors: { types: COMMON_ERRORS },
    description: "GraphQL multipart request: 1–500 MIDI files (≤ 5 MB each) or one JSONL file; any bad file refuses the whole import",
    args: {
      files: t.arg({ type: ["File"], required: true }),
      input: t.arg({ type: ImportDatasetInput, required: true }),
    },
    resolve: async (_root, { files, input }, ctx) => ({ dataset: await ctx.services.datasets.import(files, input) }),
  }),
}));
