import { builder } from "../schema/builder.js";
import { ErrorInterface } from "../schema/errors.js";
import { ArchitectureMismatchError } from "./architecture.js";
import type { BaseModelCapabilities } from "./catalogue.js";

export const ModalityEnum = builder.enumType("Modality", { values: ["AUDIO", "IMAGE", "TEXT"] as const });

const Capabilities = builder.objectRef<BaseModelCapabilities>("BaseModelCapabilities").implement({
  description: "What the model can produce; null where unknown or not applicable to its modality",
  fields: (t) => ({
    maxDurationSeconds: t.exposeFloat("maxDurationSeconds", { nullable: true }),
    sampleRate: t.exposeInt("sampleRate", { nullable: true }),
    resolution: t.exposeInt("resolution", { nullable: true }),
    maxTokens: t.exposeInt("maxTokens", { nullable: true }),
  }),
});

export const BaseModelRef = builder.prismaObject("BaseModel", {
  fields: (t) => ({
    id: t.exposeID("id"),
    displayName: t.exposeString("displayName"),
    modality: t.expose("modality", { type: ModalityEnum }),
    family: t.exposeString("family"),
    version: t.exposeString("version", { nullable: true }),
    builtin: t.exposeBoolean("builtin"),
    trainer: t.string({
      nullable: true,
      description: "the trainer that trains adapters for it: the built-in one for the reference models, one from TRAINERS, or null",
      resolve: (model, _args, ctx) => ctx.services.experiments.trainerOf(model.id),
    }),
    discovered: t.exposeBoolean("discovered", { description: "created from a name found in a file, not from the catalogue" }),
    accepts: t.exposeStringList("accepts", { description: "ids of other base models whose adapters also fit this one" }),
    capabilities: t.field({ type: Capabilities, resolve: (model) => model.capabilities as BaseModelCapabilities }),
    aliases: t.field({
      type: ["String"],
      select: { aliases: { select: { alias: true }, orderBy: { alias: "asc" } } },
      resolve: (model) => model.aliases.map((a) => a.alias),
    }),
    adapterCount: t.relationCount("adapters", { where: { deletedAt: null } }),
  }),
});

builder.queryFields((t) => ({
  baseModels: t.prismaField({
    authScopes: { read: true },
    type: [BaseModelRef],
    args: { modality: t.arg({ type: ModalityEnum, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.baseModel.findMany({
        ...query,
        where: args.modality ? { modality: args.modality } : undefined,
        orderBy: [{ discovered: "asc" }, { modality: "asc" }, { displayName: "asc" }],
      }),
  }),
  baseModel: t.prismaField({
    authScopes: { read: true },
    type: BaseModelRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.baseModel.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
}));

builder.objectType(ArchitectureMismatchError, {
  name: "ArchitectureMismatchError",
  description: "the file's modules are not the architecture of the base model it was registered for",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ArchitectureMismatchError,
  fields: (t) => ({
    baseModelId: t.exposeID("baseModelId"),
    looksLike: t.exposeString("looksLike", { nullable: true, description: "the architecture the file's modules fit best (\"GPT-2\"), when one does" }),
  }),
});
