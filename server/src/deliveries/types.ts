import { GraphQLError } from "graphql";
import type { Delivery } from "../generated/prisma/client.js";
import { builder } from "../schema/builder.js";
import { COMMON_ERRORS } from "../schema/errors.js";
import { successPayload } from "../schema/payloads.js";
import { imageUrl } from "./http-route.js";
import { DELIVERY_MODES, MAX_TIMEOUT_SECONDS } from "./inputs.js";
import { readResult, type StoredImage } from "./outcome.js";
import { DELIVERY_ORDER } from "./service.js";

const DeliveryModeEnum = builder.enumType("DeliveryMode", {
  description: "HTTP: POST JSON to a webhook; CLI: run an operator's command template; SDNEXT: SD.Next / AUTOMATIC1111 txt2img",
  values: DELIVERY_MODES,
});
const DeliveryStatusEnum = builder.enumType("DeliveryStatus", { values: ["PENDING", "RUNNING", "SUCCEEDED", "FAILED"] as const });

const DeliveryImageRef = builder.objectRef<StoredImage & { deliveryId: string }>("DeliveryImage").implement({
  fields: (t) => ({
    index: t.exposeInt("index"),
    url: t.string({ description: "the PNG, served by the API (signed for the caller)", resolve: (image, _args, ctx) => ctx.signUrl(imageUrl(image.deliveryId, image.index)) }),
    width: t.exposeInt("width"),
    height: t.exposeInt("height"),
    sizeBytes: t.exposeInt("sizeBytes"),
    sha256: t.exposeString("sha256"),
  }),
});

const DeliveryAttemptRef = builder.objectRef<{ attempt: number; at: Date; error: string }>("DeliveryAttempt").implement({
  description: "a failed attempt: its number (from 1), when it failed and why",
  fields: (t) => ({ attempt: t.exposeInt("attempt"), at: t.expose("at", { type: "DateTime" }), error: t.exposeString("error") }),
});

const result = (delivery: Delivery) => readResult(delivery.result);
const storedParam = (delivery: Delivery, key: "loraTokens" | "loraHashes") => (delivery.params as Record<string, unknown> | null)?.[key];

export const DeliveryRef = builder.prismaObject("Delivery", {
  fields: (t) => ({
    id: t.exposeID("id"),
    mode: t.expose("mode", { type: DeliveryModeEnum }),
    target: t.exposeString("target", { description: "the URL (HTTP, SDNEXT) or the command template's name (CLI)" }),
    prompt: t.exposeString("prompt"),
    params: t.expose("params", { type: "JSON", description: "what every attempt sends: generation parameters, timeout, the prompt's LoRA tokens and provenance" }),
    loraTokens: t.stringList({ resolve: (d) => (storedParam(d, "loraTokens") as string[] | undefined) ?? [] }),
    loraHashes: t.string({ nullable: true, resolve: (d) => (storedParam(d, "loraHashes") as string | null | undefined) ?? null }),
    status: t.expose("status", { type: DeliveryStatusEnum }),
    attempts: t.exposeInt("attempts"),
    maxAttempts: t.exposeInt("maxAttempts"),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", nullable: true, description: "when a PENDING delivery is tried (again)" }),
    error: t.exposeString("error", { nullable: true, description: "why the last attempt failed" }),
    result: t.expose("result", { type: "JSON", nullable: true, description: "the last attempt's answer, and one line per earlier failed attempt" }),
    attemptHistory: t.field({
      type: [DeliveryAttemptRef],
      description: "the attempts that failed before the latest one, oldest first",
      resolve: (d) => (result(d)?.history ?? []).map((entry) => ({ ...entry, at: new Date(entry.at) })),
    }),
    httpStatus: t.int({ nullable: true, resolve: (d) => result(d)?.httpStatus ?? null }),
    responseBody: t.string({ nullable: true, description: "the webhook's answer (at most 64 KiB)", resolve: (d) => result(d)?.body ?? null }),
    exitCode: t.int({ nullable: true, resolve: (d) => result(d)?.exitCode ?? null }),
    stdout: t.string({ nullable: true, description: "at most 64 KiB", resolve: (d) => result(d)?.stdout ?? null }),
    stderr: t.string({ nullable: true, description: "at most 64 KiB", resolve: (d) => result(d)?.stderr ?? null }),
    images: t.field({
      type: [DeliveryImageRef],
      description: "the PNGs SD.Next returned",
      resolve: (d) => (result(d)?.images ?? []).map((image) => ({ ...image, deliveryId: d.id })),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true, description: "when the latest attempt began" }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
  }),
});

const DeliveryCommandTemplateRef = builder.objectRef<{ name: string; timeoutSeconds: number }>("DeliveryCommandTemplate").implement({
  fields: (t) => ({ name: t.exposeString("name"), timeoutSeconds: t.exposeInt("timeoutSeconds") }),
});

builder.queryFields((t) => ({
  deliveries: t.prismaConnection({
    authScopes: { read: true },
    type: "Delivery",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    description: "newest first",
    args: { status: t.arg({ type: DeliveryStatusEnum }) },
    totalCount: (_connection, args, ctx) => ctx.prisma.delivery.count({ where: ctx.services.deliveries.listWhere(args) }),
    resolve: (query, _root, args, ctx) => ctx.prisma.delivery.findMany({ ...query, where: ctx.services.deliveries.listWhere(args), orderBy: DELIVERY_ORDER }),
  }),
  delivery: t.prismaField({
    authScopes: { read: true },
    type: DeliveryRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.delivery.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
  deliveryCommandTemplates: t.field({
    authScopes: { read: true },
    type: [DeliveryCommandTemplateRef],
    description: "the command templates CLI deliveries may name (DELIVERY_COMMANDS)",
    resolve: (_root, _args, ctx) => ctx.services.deliveries.commandTemplates(),
  }),
  deliveryAllowedHosts: t.stringList({
    authScopes: { read: true },
    description: "host or host:port entries HTTP and SDNEXT deliveries may reach (DELIVERY_ALLOWED_HOSTS); a host alone allows its default port only",
    resolve: (_root, _args, ctx) => ctx.services.deliveries.allowedHosts(),
  }),
}));

const DeliveryParamsInput = builder.inputType("DeliveryParamsInput", {
  description: "txt2img parameters (SDNEXT, where SD.Next's defaults fill the gaps); HTTP and CLI deliveries pass on those given",
  fields: (t) => ({
    negativePrompt: t.string(),
    steps: t.int({ description: "1–150; default 20" }),
    cfgScale: t.float({ description: "1–30; default 7" }),
    sampler: t.string({ description: "a sampler name of the backend; default 'Euler a'" }),
    width: t.int({ description: "64–2048, a multiple of 8; default 512" }),
    height: t.int({ description: "64–2048, a multiple of 8; default 512" }),
    seed: t.int({ description: "-1 for random; default -1" }),
  }),
});

const CreateDeliveryInput = builder.inputType("CreateDeliveryInput", {
  fields: (t) => ({
    mode: t.field({ type: DeliveryModeEnum, required: true }),
    url: t.string({ description: "HTTP and SDNEXT: its host must be in DELIVERY_ALLOWED_HOSTS; SDNEXT: the base URL (…/sdapi/v1/txt2img is added)" }),
    command: t.string({ description: "CLI: the name of a command template of DELIVERY_COMMANDS" }),
    prompt: t.string({ required: true, description: "may hold <lora:name:weight> tokens (composePrompt); at most 10000 characters" }),
    params: t.field({ type: DeliveryParamsInput }),
    timeoutSeconds: t.int({ description: `HTTP and SDNEXT: 1–${MAX_TIMEOUT_SECONDS}, default 120; CLI uses its template's` }),
    maxAttempts: t.int({ description: "1–10, default 3: transient failures (refused connections, timeouts, 5xx, 429) are retried with backoff" }),
  }),
});

builder.mutationFields((t) => ({
  createDelivery: t.field({
    authScopes: { write: true },
    type: successPayload("CreateDelivery", "delivery", DeliveryRef),
    errors: { types: COMMON_ERRORS },
    description: "queues a delivery; a refused one stores nothing",
    args: { input: t.arg({ type: CreateDeliveryInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ delivery: await ctx.services.deliveries.create(input) }),
  }),
}));

builder.subscriptionFields((t) => ({
  deliveryStatus: t.prismaField({
    authScopes: { read: true },
    type: DeliveryRef,
    description: "the delivery now, then after each change (claimed, retried, put back); ends once it has succeeded or failed",
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!(await ctx.prisma.delivery.count({ where: { id } }))) throw new GraphQLError(`delivery '${id}' does not exist`, { extensions: { code: "NOT_FOUND" } });
      return ctx.services.deliveries.statusStream(id);
    },
    resolve: (query, delivery, _args, ctx) => ctx.prisma.delivery.findUniqueOrThrow({ ...query, where: { id: delivery.id } }),
  }),
  deliveryUpdates: t.prismaField({
    authScopes: { read: true },
    type: DeliveryRef,
    description: "every delivery as it is created or changes, for lists of them",
    subscribe: (_root, _args, ctx) => ctx.services.deliveries.updates(),
    resolve: (query, delivery, _args, ctx) => ctx.prisma.delivery.findUniqueOrThrow({ ...query, where: { id: delivery.id } }),
  }),
}));
