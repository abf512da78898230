import { GraphQLError } from "graphql";
import { AdapterRef } from "../adapters/types.js";
import { BadUserInputError } from "../errors/domain-errors.js";
import { parseLoraTags } from "../formats/a1111-prompt.js";
import { builder } from "../schema/builder.js";
import type { PromptRecommendation, RecommendationStats, SignatureFailure, SimilarAdapter } from "./service.js";

const RecommendationScoreRef = builder.objectRef<SimilarAdapter["score"]>("RecommendationScore").implement({
  description: "the parts of a similarity score, each in [0, 1] but weightSpace, a cosine in [-1, 1]",
  fields: (t) => ({
    text: t.exposeFloat("text", { description: "TF-IDF cosine over name, description, tags, trained words and triggers" }),
    weightSpace: t.exposeFloat("weightSpace", {
      nullable: true,
      description: "cosine of the adapters' updates B·A through a fixed random projection, over the modules both have; null across base models or without signatures",
    }),
    combined: t.exposeFloat("combined", { description: "the weighted mean of text and max(0, weightSpace); the text score alone when weightSpace is null" }),
  }),
});

const SimilarAdapterRef = builder.objectRef<SimilarAdapter>("SimilarAdapter").implement({
  fields: (t) => ({
    adapter: t.field({ type: AdapterRef, resolve: (result) => result.adapter }),
    score: t.field({ type: RecommendationScoreRef, resolve: (result) => result.score }),
    sharedTags: t.exposeStringList("sharedTags"),
    sharedWords: t.exposeStringList("sharedWords", { description: "shared words beyond the tags, the most telling first" }),
    sharedModules: t.exposeStringList("sharedModules", { description: "target modules both update, when their weights were compared" }),
    identical: t.exposeBoolean("identical", { description: "the same sha256 as the adapter compared with: a byte-identical duplicate, listed first whatever the threshold" }),
    explanation: t.exposeString("explanation"),
  }),
});

const PromptRecommendationRef = builder.objectRef<PromptRecommendation>("PromptRecommendation").implement({
  fields: (t) => ({
    adapter: t.field({ type: AdapterRef, resolve: (result) => result.adapter }),
    score: t.exposeFloat("score", { description: "TF-IDF cosine of the prompt and the adapter's words" }),
    matchedWords: t.exposeStringList("matchedWords", { description: "the most telling first" }),
    explanation: t.exposeString("explanation"),
  }),
});

const SignatureFailureRef = builder.objectRef<SignatureFailure>("SignatureFailure").implement({
  fields: (t) => ({
    adapterId: t.exposeID("adapterId"),
    code: t.exposeString("code", { description: "NO_LORA_MODULES, TENSOR_TOO_LARGE, UNREADABLE_WEIGHTS or SIGNATURE_FAILED" }),
    message: t.exposeString("message"),
  }),
});

const RecommendationStatsRef = builder.objectRef<RecommendationStats>("RecommendationStats").implement({
  fields: (t) => ({
    adaptersInTextIndex: t.exposeInt("adaptersInTextIndex", { description: "live adapters" }),
    adaptersWithLoadableWeights: t.exposeInt("adaptersWithLoadableWeights", { description: "live adapters whose weights are safetensors (pickles are never loaded)" }),
    adaptersWithSignature: t.exposeInt("adaptersWithSignature"),
    signatureCoverage: t.exposeFloat("signatureCoverage", { nullable: true, description: "adaptersWithSignature / adaptersWithLoadableWeights" }),
    lastComputedAt: t.expose("lastComputedAt", { type: "DateTime", nullable: true, description: "when the latest signature was computed" }),
    signatureFailures: t.field({
      type: [SignatureFailureRef],
      description: "live adapters whose weights could not give a signature (they are compared by text only), and why",
      resolve: (stats) => stats.signatureFailures,
    }),
  }),
});

const SimilarityWeightsInput = builder.inputType("SimilarityWeights", {
  description: "how much text and weight-space similarity count; across base models only text counts",
  fields: (t) => ({
    text: t.float({ defaultValue: 0.5 }),
    weights: t.float({ defaultValue: 0.5 }),
  }),
});

/** Bad arguments to a query are a protocol error with the domain's code. */
async function asQueryError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BadUserInputError) throw new GraphQLError(error.message, { extensions: { code: error.code, fieldErrors: error.fieldErrors } });
    throw error;
  }
}

builder.queryFields((t) => ({
  similarAdapters: t.field({
    authScopes: { read: true },
    type: [SimilarAdapterRef],
    nullable: true,
    description: "adapters like this one (which may be deleted), best first; never deleted ones nor itself; null when no such adapter exists",
    args: {
      adapterId: t.arg.id({ required: true }),
      limit: t.arg.int({ defaultValue: 10 }),
      threshold: t.arg.float({ defaultValue: 0.05, description: "the least combined score shown; 0 lists every live adapter" }),
      weights: t.arg({ type: SimilarityWeightsInput }),
    },
    resolve: (_root, args, ctx) =>
      asQueryError(() =>
        ctx.services.recommendations.similarAdapters(String(args.adapterId), {
          limit: args.limit ?? undefined,
          threshold: args.threshold ?? undefined,
          weights: args.weights ? { text: args.weights.text ?? undefined, weights: args.weights.weights ?? undefined } : undefined,
        }),
      ),
  }),
  recommendAdapters: t.field({
    authScopes: { read: true },
    type: [PromptRecommendationRef],
    description: "active adapters whose words match the prompt's (its <lora:…> tags left out), best first",
    args: {
      prompt: t.arg.string({ required: true }),
      limit: t.arg.int({ defaultValue: 10 }),
      compatibleWith: t.arg.id({ description: "only adapters that fit this base model" }),
    },
    resolve: (_root, args, ctx) =>
      asQueryError(async () => {
        const compatibleIds = args.compatibleWith ? await ctx.services.baseModels.compatibleIds(String(args.compatibleWith), ctx.loadBaseModel) : null;
        return ctx.services.recommendations.recommendAdapters({ prompt: parseLoraTags(args.prompt).text, limit: args.limit ?? undefined, compatibleIds });
      }),
  }),
  recommendationStats: t.field({
    authScopes: { read: true },
    type: RecommendationStatsRef,
    resolve: (_root, _args, ctx) => ctx.services.recommendations.stats(),
  }),
}));
