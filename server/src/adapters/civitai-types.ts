import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import type { ImportAction, ImportItem, ImportReport } from "./civitai-import.js";
import { AdapterRef } from "./types.js";

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
