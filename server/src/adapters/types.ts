import type { Adapter } from "../generated/prisma/client.js";
import { ArchitectureMismatchError } from "../base-models/architecture.js";
import { compatibilityOf } from "../base-models/service.js";
import { autoV2 } from "../formats/hash.js";
import { decodeKohyaMetadata, rankedTags, type TagCount } from "../formats/kohya.js";
import type { InputFieldBuilder } from "@pothos/core";
import { builder, type AppSchemaTypes } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { adapterDownloadPath } from "./http.js";
import { ADAPTER_ORDERS } from "./inputs.js";
import { storedFilesOf, type StoredAdapterFile } from "./stored-files.js";

export const AdapterFormatEnum = builder.enumType("AdapterFormat", { values: ["PEFT", "KOHYA", "SAFETENSORS"] as const });
const AdapterSourceEnum = builder.enumType("AdapterSource", { values: ["UPLOAD", "REGISTERED", "TRAINED", "CIVITAI"] as const });
const AdapterOrderEnum = builder.enumType("AdapterOrder", { values: ADAPTER_ORDERS });

const AdapterFileRef = builder.objectRef<StoredAdapterFile>("AdapterFile").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    role: t.exposeString("role", { description: "weights or config" }),
    sizeBytes: t.exposeFloat("sizeBytes"),
    sha256: t.exposeString("sha256"),
  }),
});

const CompatibilityRef = builder.objectRef<{ compatible: boolean; reason: string }>("Compatibility").implement({
  fields: (t) => ({ compatible: t.exposeBoolean("compatible"), reason: t.exposeString("reason") }),
});

const TagCountRef = builder.objectRef<TagCount>("TagCount").implement({
  fields: (t) => ({ tag: t.exposeString("tag"), count: t.exposeInt("count", { description: "captions holding it, over every dataset folder" }) }),
});

const MAX_TRIGGER_SUGGESTIONS = 200;

function triggerWordSuggestions(adapter: Adapter, first: number): TagCount[] {
  const tagFrequency = decodeKohyaMetadata(adapter.fileMetadata as Record<string, string>).tagFrequency;
  return tagFrequency ? rankedTags(tagFrequency).slice(0, first) : [];
}

function loraScale(adapter: Adapter): number {
  return adapter.useRslora ? adapter.alpha / Math.sqrt(adapter.rank) : adapter.alpha / adapter.rank;
}

export const AdapterRef = builder.prismaObject("Adapter", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    version: t.exposeString("version"),
    description: t.exposeString("description"),
    format: t.expose("format", { type: AdapterFormatEnum }),
    source: t.expose("source", { type: AdapterSourceEnum }),
    baseModel: t.relation("baseModel"),
    baseModelNameInFile: t.exposeString("baseModelNameInFile", { nullable: true, description: "the base model name as written in the file" }),
    compatibility: t.field({
      type: CompatibilityRef,
      description: "whether this adapter fits the given base model, and why",
      args: { baseModelId: t.arg.id({ required: true }) },
      select: { baseModel: true },
      resolve: async (adapter, args, ctx) => {
        const targetId = String(args.baseModelId);
        return compatibilityOf(adapter.baseModel, await ctx.loadBaseModel(targetId), targetId);
      },
    }),
    originalFilename: t.exposeString("originalFilename"),
    files: t.field({ type: [AdapterFileRef], resolve: storedFilesOf }),
    downloadUrl: t.string({
      description: "the adapter as a file: a single-file LoRA under its original name, a PEFT pair as a zip; signed for the caller",
      resolve: (adapter, _args, ctx) => ctx.signUrl(adapterDownloadPath(adapter.id)),
    }),

    sizeBytes: t.float({ resolve: (adapter) => Number(adapter.sizeBytes) }),
    sha256: t.exposeString("sha256"),
    autoV2: t.string({ description: "the short hash AUTOMATIC1111 and Civitai show", resolve: (adapter) => autoV2(adapter.sha256) }),
    rank: t.exposeInt("rank"),
    alpha: t.exposeFloat("alpha"),
    useRslora: t.exposeBoolean("useRslora"),
    scale: t.float({ description: "alpha / rank, or alpha / sqrt(rank) with rsLoRA", resolve: loraScale }),
    effectiveScale: t.float({ description: "weight × scale: what 'weight 1.0' really applies", resolve: (a) => a.weight * loraScale(a) }),
    targetModules: t.exposeStringList("targetModules"),
    tensorCount: t.exposeInt("tensorCount", { description: "0 when the weights are pickled and so never opened" }),
    loadable: t.boolean({
      description: "false for pickled weights (adapter_model.bin), which are registered but never loaded",
      resolve: (adapter) => !adapter.pickledWeights,
    }),
    tags: t.exposeStringList("tags"),
    trainedWords: t.exposeStringList("trainedWords"),
    triggers: t.exposeStringList("triggers"),
    triggerWordSuggestions: t.field({
      type: [TagCountRef],
      description: "the training captions' tags (kohya ss_tag_frequency), most frequent first: candidates for trigger words",
      args: { first: t.arg.int({ defaultValue: 30 }) },
      resolve: (adapter, args) => triggerWordSuggestions(adapter, Math.min(Math.max(args.first ?? 30, 0), MAX_TRIGGER_SUGGESTIONS)),
    }),
    activationText: t.exposeString("activationText", { nullable: true }),
    weight: t.exposeFloat("weight", { description: "default weight, 0.0–2.0" }),
    active: t.exposeBoolean("active"),
    ordinal: t.exposeInt("ordinal", { nullable: true, description: "position when composed: set ordinals first, ascending, then unset ones; each by name" }),
    notes: t.exposeString("notes", { description: "the owner's notes; never part of a prompt" }),
    previewSample: t.relation("previewSample", { nullable: true, description: "the sample that shows what it does" }),
    fileMetadata: t.expose("fileMetadata", { type: "JSON", description: "the safetensors __metadata__ strings" }),
    warnings: t.exposeStringList("warnings"),
    trainingConfig: t.expose("trainingConfig", { type: "JSON", nullable: true }),
    run: t.relation("run", { nullable: true, description: "the training run that produced it; null once that run is deleted" }),
    civitai: t.expose("civitai", { type: "JSON", nullable: true }),
    usageCount: t.exposeInt("usageCount"),
    ratingCount: t.exposeInt("ratingCount"),
    averageRating: t.float({ nullable: true, resolve: (a) => (a.ratingCount ? a.ratingSum / a.ratingCount : null) }),
    deletedAt: t.expose("deletedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.objectField(AdapterRef, "duplicates", (t) =>
  t.field({
    type: [AdapterRef],
    description: "other live adapters whose weights are byte-identical (same sha256)",
    resolve: (adapter, _args, ctx) => ctx.services.adapters.duplicatesOf(adapter),
  }),
);

export const AdapterFilterInput = builder.inputType("AdapterFilter", {
  fields: (t) => ({
    active: t.boolean(),
    tag: t.string(),
    baseModelId: t.id(),
    compatibleWith: t.id({ description: "only adapters that fit this base model" }),
    search: t.string({ description: "name, description, tags and trained words" }),
    name: t.string(),
  }),
});

const AdapterGroupRef = builder.objectRef<{ name: string; versions: Adapter[] }>("AdapterGroup").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    versions: t.field({ type: [AdapterRef], description: "oldest first", resolve: (group) => group.versions }),
    latest: t.field({ type: AdapterRef, resolve: (group) => group.versions[group.versions.length - 1]! }),
    count: t.int({ resolve: (group) => group.versions.length }),
  }),
});

const toFilter = (filter: typeof AdapterFilterInput.$inferInput | null | undefined) => ({
  ...filter,
  baseModelId: filter?.baseModelId == null ? null : String(filter.baseModelId),
  compatibleWith: filter?.compatibleWith == null ? null : String(filter.compatibleWith),
});

builder.queryFields((t) => ({
  adapters: t.prismaConnection({
    authScopes: { read: true },
    type: "Adapter",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    args: {
      filter: t.arg({ type: AdapterFilterInput, required: false }),
      orderBy: t.arg({ type: AdapterOrderEnum, required: false, defaultValue: "CREATED_AT_DESC" }),
    },
    totalCount: async (_connection, args, ctx) =>
      ctx.prisma.adapter.count({ where: await ctx.services.adapters.listWhere(toFilter(args.filter), ctx.loadBaseModel) }),
    resolve: async (query, _root, args, ctx) =>
      ctx.prisma.adapter.findMany({
        ...query,
        where: await ctx.services.adapters.listWhere(toFilter(args.filter), ctx.loadBaseModel),
        orderBy: ctx.services.adapters.orderBy(args.orderBy),
      }),
  }),
  adapterGroups: t.field({
    authScopes: { read: true },
    type: [AdapterGroupRef],
    args: { filter: t.arg({ type: AdapterFilterInput, required: false }) },
    resolve: (_root, args, ctx) => ctx.services.adapters.groups(toFilter(args.filter)),
  }),
  adapter: t.prismaField({
    authScopes: { read: true },
    type: AdapterRef,
    nullable: true,
    description: "any adapter by id, soft-deleted ones included (deletedAt set)",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.adapter.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
}));


/** The fields a new adapter version takes, whether its file is uploaded or registered by path. */
const newAdapterFields = (t: InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<AppSchemaTypes>, "InputObject">) => ({
  name: t.string({ required: true }),
  version: t.string({ required: true }),
  baseModelId: t.id({ description: "the base model it is for; needed when the file names none" }),
  description: t.string(),
  tags: t.stringList(),
  weight: t.float(),
  active: t.boolean(),
});

const RegisterAdapterInput = builder.inputType("RegisterAdapterInput", {
  fields: (t) => ({
    ...newAdapterFields(t),
    filePath: t.string({ required: true, description: "a .safetensors file or PEFT directory below IMPORT_ROOTS" }),
  }),
});

const UploadAdapterInput = builder.inputType("UploadAdapterInput", { fields: newAdapterFields });

const UpdateAdapterInput = builder.inputType("UpdateAdapterInput", {
  fields: (t) => ({
    description: t.string(),
    tags: t.stringList(),
    weight: t.float(),
    trainedWords: t.stringList(),
    triggers: t.stringList(),
    activationText: t.string({ description: "null clears it" }),
    version: t.string(),
    notes: t.string(),
    ordinal: t.int({ description: "null clears it: the adapter then composes after those with an ordinal" }),
    previewSampleId: t.id({ description: "one of its own samples; null clears it" }),
  }),
});

/** Pothos gives omitted optional input fields as null; the services treat absent and null alike. */
function withoutNulls<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) as { [K in keyof T]: Exclude<T[K], null> };
}

builder.mutationFields((t) => ({
  registerAdapter: t.field({
    authScopes: { write: true },
    type: successPayload("RegisterAdapter", "adapter", AdapterRef),
    errors: { types: [...COMMON_ERRORS, ArchitectureMismatchError] },
    args: { input: t.arg({ type: RegisterAdapterInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ adapter: await ctx.services.adapters.register(withoutNulls(input)) }),
  }),
  uploadAdapter: t.field({
    authScopes: { write: true },
    type: successPayload("UploadAdapter", "adapter", AdapterRef),
    errors: { types: [...COMMON_ERRORS, ArchitectureMismatchError] },
    description: "GraphQL multipart request: one .safetensors file, or adapter_config.json + adapter_model.safetensors",
    args: {
      files: t.arg({ type: ["File"], required: true }),
      input: t.arg({ type: UploadAdapterInput, required: true }),
    },
    resolve: async (_root, { files, input }, ctx) => ({ adapter: await ctx.services.adapters.upload(files, withoutNulls(input)) }),
  }),
  updateAdapter: t.field({
    authScopes: { write: true },
    type: successPayload("UpdateAdapter", "adapter", AdapterRef),
    errors: { types: COMMON_ERRORS },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateAdapterInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const { activationText, ordinal, previewSampleId, ...rest } = input;
      const clearable = { activationText, ordinal, previewSampleId: previewSampleId == null ? previewSampleId : String(previewSampleId) };
      const changes = { ...withoutNulls(rest), ...Object.fromEntries(Object.entries(clearable).filter(([, value]) => value !== undefined)) };
      return { adapter: await ctx.services.adapters.update(String(id), changes) };
    },
  }),
  renameAdapter: t.field({
    authScopes: { write: true },
    type: successPayload("RenameAdapter", "adapter", AdapterRef),
    errors: { types: COMMON_ERRORS },
    args: { id: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: async (_root, { id, name }, ctx) => ({ adapter: await ctx.services.adapters.rename(String(id), name) }),
  }),
  activateAdapter: t.field({
    authScopes: { write: true },
    type: successPayload("ActivateAdapter", "adapter", AdapterRef),
    errors: { types: COMMON_ERRORS },
    args: { id: t.arg.id({ required: true }), ordinal: t.arg.int({ description: "position among active adapters" }) },
    resolve: async (_root, { id, ordinal }, ctx) => ({ adapter: await ctx.services.adapters.setActive(String(id), true, ordinal) }),
  }),
  deactivateAdapter: t.field({
    authScopes: { write: true },
    type: successPayload("DeactivateAdapter", "adapter", AdapterRef),
    errors: { types: COMMON_ERRORS },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ adapter: await ctx.services.adapters.setActive(String(id), false) }),
  }),
  deleteAdapter: t.field({
    authScopes: { write: true },
    type: successPayload("DeleteAdapter", "adapter", AdapterRef),
    errors: { types: COMMON_ERRORS },
    description: "soft delete: the adapter leaves every list but stays readable by id",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ adapter: await ctx.services.adapters.softDelete(String(id)) }),
  }),
}));
