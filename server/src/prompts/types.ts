import { GraphQLError } from "graphql";
import { AdapterRef } from "../adapters/types.js";
import { BadUserInputError } from "../errors/domain-errors.js";
import { builder } from "../schema/builder.js";
import { MAX_PROMPT_ADAPTERS, MAX_PROMPT_CHARS } from "./inputs.js";
import {
  PROMPT_PROBLEM_CODES,
  PROMPT_WARNING_CODES,
  type ComposedAdapter,
  type ComposedPrompt,
  type PromptProblem,
  type PromptReading,
  type PromptTagReading,
  type PromptWarning,
} from "./service.js";

const PromptProblemCodeEnum = builder.enumType("PromptProblemCode", { values: PROMPT_PROBLEM_CODES });
const PromptWarningCodeEnum = builder.enumType("PromptWarningCode", { values: PROMPT_WARNING_CODES });
const PromptProblemSeverityEnum = builder.enumType("PromptProblemSeverity", {
  description: "ERROR: a generation from this prompt is refused; WARNING: it runs, perhaps not as meant",
  values: ["ERROR", "WARNING"] as const,
});

const PromptProblemRef = builder.objectRef<PromptProblem>("PromptProblem").implement({
  fields: (t) => ({
    code: t.expose("code", { type: PromptProblemCodeEnum }),
    severity: t.expose("severity", { type: PromptProblemSeverityEnum }),
    message: t.exposeString("message"),
    start: t.exposeInt("start", { nullable: true, description: "offset of the tag's '<' (UTF-16 code units); null for the whole prompt" }),
    end: t.exposeInt("end", { nullable: true, description: "offset just past the tag's '>'" }),
    tagIndex: t.exposeInt("tagIndex", { nullable: true }),
  }),
});

const PromptLoraTagRef = builder.objectRef<PromptTagReading>("PromptLoraTag").implement({
  description: "one <lora:name:weight> tag (also the te= / unet= / dyn= forms) as AUTOMATIC1111 and SD.Next read it",
  fields: (t) => ({
    index: t.exposeInt("index"),
    start: t.exposeInt("start"),
    end: t.exposeInt("end"),
    raw: t.exposeString("raw"),
    name: t.exposeString("name"),
    weight: t.exposeFloat("weight", { nullable: true, description: "the text-encoder multiplier (default 1); null when not a finite number" }),
    unetWeight: t.exposeFloat("unetWeight", { nullable: true, description: "unet= or the third value, else the weight" }),
    dyn: t.exposeInt("dyn", { nullable: true }),
    adapter: t.field({
      type: AdapterRef,
      nullable: true,
      description: "the latest live version of that name (an active one first), else its latest deleted version",
      resolve: (tag) => tag.adapter,
    }),
    problems: t.field({ type: [PromptProblemRef], resolve: (tag) => tag.problems }),
  }),
});

const ParsedPromptRef = builder.objectRef<PromptReading>("ParsedPrompt").implement({
  fields: (t) => ({
    prompt: t.exposeString("prompt"),
    cleanPrompt: t.exposeString("cleanPrompt", { description: "the prompt without its <lora:…> tags" }),
    tags: t.field({ type: [PromptLoraTagRef], resolve: (reading) => reading.tags }),
    problems: t.field({ type: [PromptProblemRef], description: "every tag's problems in prompt order, then the prompt's own", resolve: (reading) => reading.problems }),
    valid: t.boolean({ description: "no ERROR problem", resolve: (reading) => reading.problems.every((p) => p.severity !== "ERROR") }),
    loraHashes: t.exposeString("loraHashes", { nullable: true, description: 'A1111 provenance of the live adapters named: Lora hashes: "name: AUTOV2, …"' }),
  }),
});

const PromptWarningRef = builder.objectRef<PromptWarning>("PromptWarning").implement({
  fields: (t) => ({
    code: t.expose("code", { type: PromptWarningCodeEnum }),
    message: t.exposeString("message"),
    adapterId: t.exposeID("adapterId", { nullable: true }),
  }),
});

const ComposedPromptAdapterRef = builder.objectRef<ComposedAdapter>("ComposedPromptAdapter").implement({
  fields: (t) => ({
    adapter: t.field({ type: AdapterRef, resolve: (entry) => entry.adapter }),
    weight: t.exposeFloat("weight"),
    token: t.exposeString("token", { description: "<lora:{name}:{weight}>, the weight with at most three decimals" }),
  }),
});

const ComposedPromptRef = builder.objectRef<ComposedPrompt>("ComposedPrompt").implement({
  fields: (t) => ({
    prompt: t.exposeString("prompt", { description: "prefix, activation text and triggers, suffix, then the tokens" }),
    tokens: t.exposeStringList("tokens"),
    adapters: t.field({ type: [ComposedPromptAdapterRef], resolve: (composed) => composed.adapters }),
    warnings: t.field({ type: [PromptWarningRef], resolve: (composed) => composed.warnings }),
    loraHashes: t.exposeString("loraHashes", { nullable: true }),
  }),
});

const PromptAdapterInput = builder.inputType("PromptAdapterInput", {
  fields: (t) => ({
    adapterId: t.id({ required: true }),
    weight: t.float({ description: "0.0–2.0; default: the adapter's default weight" }),
  }),
});

const ComposePromptInput = builder.inputType("ComposePromptInput", {
  fields: (t) => ({
    prefix: t.string(),
    suffix: t.string(),
    adapters: t.field({
      type: [PromptAdapterInput],
      description: `default: the active adapters (fitting baseModelId when given) by ordinal, then name; at most ${MAX_PROMPT_ADAPTERS} are used`,
    }),
    includeTriggers: t.boolean({ description: "add each adapter's trigger words (default true)" }),
    includeActivationText: t.boolean({ description: "add each adapter's activation text (default false)" }),
    baseModelId: t.string({ description: "warn about adapters that do not fit it; narrows the default list" }),
  }),
});

/** A query answers data; bad arguments are a protocol error with the code and the field messages. */
async function asQueryResult<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BadUserInputError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, fieldErrors: error.fieldErrors } });
    }
    throw error;
  }
}

builder.queryFields((t) => ({
  parsePrompt: t.field({
    authScopes: { read: true },
    type: ParsedPromptRef,
    description: `the <lora:…> tags of an AUTOMATIC1111 / SD.Next prompt read against the registry, each problem with its position; at most ${MAX_PROMPT_CHARS} characters`,
    args: { prompt: t.arg.string({ required: true }), baseModelId: t.arg.string({ description: "also check that each adapter fits this base model" }) },
    resolve: (_root, args, ctx) => asQueryResult(() => ctx.services.prompts.parse(args, ctx.loadBaseModel)),
  }),
  composePrompt: t.field({
    authScopes: { read: true },
    type: ComposedPromptRef,
    description: "a prompt with <lora:name:weight> tokens composed from adapters; nothing is stored",
    args: { input: t.arg({ type: ComposePromptInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      asQueryResult(() =>
        ctx.services.prompts.compose(
          { ...input, adapters: input.adapters?.map((a) => ({ ...a, adapterId: String(a.adapterId) })) },
          ctx.loadBaseModel,
        ),
      ),
  }),
}));
