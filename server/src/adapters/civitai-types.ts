import { civitaiDetails, civitaiInfoOf, type CivitaiDetails, type CivitaiInfo, type CivitaiPrimaryFile, type CivitaiStats } from "../formats/civitai.js";
import { isJsonObject } from "../formats/json.js";
import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import type { ImportAction, ImportItem, ImportReport } from "./civitai-import.js";
import { AdapterRef } from "./types.js";

interface CivitaiMetadata {
  info: CivitaiInfo;
  details: CivitaiDetails;
  sourcePath: string | null;
  ingestedAt: Date | null;
}

const CivitaiStatsRef = builder.objectRef<CivitaiStats>("CivitaiStats").implement({
  description: "community figures on Civitai when the metadata was saved",
  fields: (t) => ({
    downloads: t.exposeInt("downloads", { nullable: true }),
    favorites: t.exposeInt("favorites", { nullable: true }),
    comments: t.exposeInt("comments", { nullable: true }),
    rating: t.exposeFloat("rating", { nullable: true, description: "average, 0–5" }),
    ratingCount: t.exposeInt("ratingCount", { nullable: true }),
  }),
});

const CivitaiFileRef = builder.objectRef<CivitaiPrimaryFile>("CivitaiFile").implement({
  description: "the model file of the Civitai version",
  fields: (t) => ({
    name: t.exposeString("name", { nullable: true }),
    sizeBytes: t.exposeFloat("sizeBytes", { nullable: true }),
    sha256: t.exposeString("sha256", { nullable: true, description: "lowercase hex" }),
    downloadUrl: t.exposeString("downloadUrl", { nullable: true }),
  }),
});

const CivitaiMetadataRef = builder.objectRef<CivitaiMetadata>("CivitaiMetadata").implement({
  description: "the Civitai model-version metadata stored with an adapter, as typed fields",
  fields: (t) => ({
    author: t.string({ nullable: true, resolve: (m) => m.details.author }),
    modelId: t.int({ nullable: true, resolve: (m) => m.info.modelId }),
    versionId: t.int({ nullable: true, resolve: (m) => m.info.versionId }),
    modelName: t.string({ nullable: true, resolve: (m) => m.info.modelName }),
    versionName: t.string({ nullable: true, description: "the canonical version name on Civitai", resolve: (m) => m.info.versionName }),
    baseModel: t.string({ nullable: true, description: "Civitai's base model, or A1111's sd version", resolve: (m) => m.info.baseModel }),
    archetype: t.string({ nullable: true, description: "Civitai's model type: LORA, LoCon, DoRA, ...", resolve: (m) => m.details.archetype }),
    nsfw: t.boolean({ nullable: true, resolve: (m) => m.details.nsfw }),
    nsfwLevel: t.int({ nullable: true, description: "Civitai's level flags: 1 PG, 2 PG-13, 4 R, 8 X, 16 XXX", resolve: (m) => m.details.nsfwLevel }),
    publishedAt: t.field({ type: "DateTime", nullable: true, resolve: (m) => m.details.publishedAt }),
    stats: t.field({ type: CivitaiStatsRef, resolve: (m) => m.details.stats }),
    trainedWords: t.stringList({ resolve: (m) => m.info.trainedWords }),
    primaryFile: t.field({ type: CivitaiFileRef, nullable: true, resolve: (m) => m.details.primaryFile }),
    url: t.string({
      nullable: true,
      description: "the version's page on civitai.com",
      resolve: ({ info }) => (info.modelId ? `https://civitai.com/models/${info.modelId}${info.versionId ? `?modelVersionId=${info.versionId}` : ""}` : null),
    }),
    sourcePath: t.exposeString("sourcePath", { nullable: true, description: "the metadata file it was read from" }),
    ingestedAt: t.expose("ingestedAt", { type: "DateTime", nullable: true, description: "when it was last read in" }),
  }),
});

builder.objectField(AdapterRef, "civitaiMetadata", (t) =>
  t.field({
    type: CivitaiMetadataRef,
    nullable: true,
    resolve: (adapter) =>
      isJsonObject(adapter.civitai)
        ? { info: civitaiInfoOf(adapter.civitai), details: civitaiDetails(adapter.civitai), sourcePath: adapter.civitaiSourcePath, ingestedAt: adapter.civitaiIngestedAt }
        : null,
  }),
);

const ImportItemRef = builder.objectRef<ImportItem>("CivitaiImportItem").implement({
  fields: (t) => ({
    path: t.exposeString("path", { description: "the .safetensors file" }),
    metadataPath: t.exposeString("metadataPath", { nullable: true }),
    reason: t.exposeString("reason", { nullable: true, description: "why it failed" }),
    adapter: t.field({ type: AdapterRef, nullable: true, description: "null in a dry run of a creation, and on failure", resolve: (item) => item.adapter }),
  }),
});

const ImportInput = builder.inputType("ImportCivitaiMetadataInput", {
  fields: (t) => ({
    directory: t.string({ required: true, description: "a directory below IMPORT_ROOTS" }),
    dryRun: t.boolean({ defaultValue: false, description: "report what would happen, change nothing" }),
    force: t.boolean({ defaultValue: false, description: "resync even when a metadata file's mtime and size are unchanged" }),
  }),
});

const itemsWith = (action: ImportAction) => (report: ImportReport) => report.items.filter((item) => item.action === action);

const ImportSuccess = builder.objectRef<ImportReport>("ImportCivitaiMetadataSuccess").implement({
  fields: (t) => ({
    dryRun: t.exposeBoolean("dryRun"),
    created: t.field({ type: [ImportItemRef], resolve: itemsWith("CREATED") }),
    updated: t.field({ type: [ImportItemRef], resolve: itemsWith("UPDATED") }),
    unchanged: t.field({ type: [ImportItemRef], resolve: itemsWith("UNCHANGED") }),
    failed: t.field({ type: [ImportItemRef], resolve: itemsWith("FAILED") }),
  }),
});

builder.mutationField("importCivitaiMetadata", (t) =>
  t.field({
    authScopes: { write: true },
    type: ImportSuccess,
    errors: { types: COMMON_ERRORS },
    args: { input: t.arg({ type: ImportInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.civitai.importDirectory(input),
  }),
);
