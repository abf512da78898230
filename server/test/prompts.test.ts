import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffusersAdapter, kohyaAdapter, peftAdapter, upload } from "./fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/** parsePrompt and composePrompt through the real server, against adapters registered through the API. */

let app: TestApp;
let seed = 10;

interface Registered {
  id: string;
  name: string;
  version: string;
  sha256: string;
}

const PARSE = `query($prompt: String!, $baseModelId: String) { parsePrompt(prompt: $prompt, baseModelId: $baseModelId) {
  prompt cleanPrompt valid loraHashes
  problems { code severity start end tagIndex message }
  tags { index start end raw name weight unetWeight dyn adapter { id name version deletedAt } problems { code severity start end message } } } }`;

const COMPOSE = `query($input: ComposePromptInput!) { composePrompt(input: $input) {
  prompt tokens loraHashes
  adapters { adapter { id name version } weight token }
  warnings { code message adapterId } } }`;

async function uploadKohya(name: string, version = "1.0", extra: Record<string, unknown> = {}): Promise<Registered> {
  const { body } = await upload(app.url, [{ name: `${name}.safetensors`, data: kohyaAdapter({ seed: seed++ }) }], { name, version, ...extra });
  expect(body.data.uploadAdapter.__typename, JSON.stringify(body)).toBe("UploadAdapterSuccess");
  return body.data.uploadAdapter.adapter;
}

async function mutate(operation: string, id: string, extra = "", variables: Record<string, unknown> = {}) {
  const { data, errors } = await app.gql(`mutation($id: ID!${extra ? `, ${extra}` : ""}) { ${operation} { __typename ... on Error { message } } }`, { id, ...variables });
  expect(errors).toBeUndefined();
  expect(Object.values(data as object)[0].__typename).toMatch(/Success$/);
}

const autoV2 = (adapter: Registered) => adapter.sha256.slice(0, 10).toUpperCase();

async function parse(prompt: string, baseModelId?: string) {
  const { data, errors } = await app.gql(PARSE, { prompt, baseModelId });
  expect(errors).toBeUndefined();
  return data.parsePrompt;
}

async function compose(input: Record<string, unknown>) {
  const { data, errors } = await app.gql(COMPOSE, { input });
  expect(errors).toBeUndefined();
  return data.composePrompt;
}

let jazz1: Registered;
let jazz2: Registered;
let piano: Registered;
let sax: Registered;
let gone: Registered;
let sleepy: Registered;
let xlOnly: Registered;

beforeAll(async () => {
  app = await startTestApp();
  jazz1 = await uploadKohya("jazz", "1.0");
  jazz2 = await uploadKohya("jazz", "2.0", { weight: 0.75 });
  piano = await uploadKohya("piano");
  sax = await uploadKohya("sax");
  gone = await uploadKohya("gone");
  sleepy = await uploadKohya("sleepy");
  const { body } = await upload(app.url, [{ name: "xl.safetensors", data: diffusersAdapter() }], { name: "xl-only", version: "1" });
  xlOnly = body.data.uploadAdapter.adapter;
  expect(xlOnly.name).toBe("xl-only");

  await mutate("updateAdapter(id: $id, input: $input)", piano.id, "$input: UpdateAdapterInput!", {
    input: { triggers: ["pno style", "keys"], activationText: "soft piano, pno style" },
  });
  await mutate("updateAdapter(id: $id, input: $input)", sax.id, "$input: UpdateAdapterInput!", { input: { triggers: ["Keys", "breathy"] } });
  await mutate("deleteAdapter(id: $id)", gone.id);
  await mutate("deactivateAdapter(id: $id)", sleepy.id);
  await mutate("activateAdapter(id: $id, ordinal: 5)", piano.id);
});

afterAll(async () => app?.close());

describe("parsePrompt", () => {
  it("reads each tag against the registry: the latest live version of a name, the clean prompt and the Lora hashes line", async () => {
    const prompt = "a smoky club, <lora:jazz:0.8>, <lora:piano:te=0.5:unet=1.2> late night";
    const parsed = await parse(prompt);
    expect(parsed).toMatchObject({ valid: true, problems: [], cleanPrompt: "a smoky club, late night" });
    expect(parsed.tags).toEqual([
      {
        index: 0, start: prompt.indexOf("<lora:jazz"), end: prompt.indexOf("<lora:jazz") + "<lora:jazz:0.8>".length, raw: "<lora:jazz:0.8>",
        name: "jazz", weight: 0.8, unetWeight: 0.8, dyn: null, adapter: { id: jazz2.id, name: "jazz", version: "2.0", deletedAt: null }, problems: [],
      },
      expect.objectContaining({ index: 1, name: "piano", weight: 0.5, unetWeight: 1.2, adapter: expect.objectContaining({ id: piano.id }) }),
    ]);
    expect(parsed.loraHashes).toBe(`Lora hashes: "jazz: ${autoV2(jazz2)}, piano: ${autoV2(piano)}"`);
  });

  it("reports every problem kind at its tag's position", async () => {
    const tags = [
      "<lora:nobody:1>", "<lora:gone:1>", "<lora:sleepy:1>", "<lora:xl-only:1>", "<lora:jazz:2.5>", "<lora:piano:inf>",
      "<lora::1>", "<lora:sax:0.5:x=1>", "<lora:JAZZ:1>",
    ];
    const prompt = `start ${tags.join(" middle ")} end`;
    const parsed = await parse(prompt, "sd15");
    const codesOf = (raw: string) => parsed.tags.find((t: any) => t.raw === raw).problems.map((p: any) => p.code);
    expect(codesOf("<lora:nobody:1>")).toEqual(["UNKNOWN_ADAPTER"]);
    expect(codesOf("<lora:gone:1>")).toEqual(["ADAPTER_DELETED"]);
    expect(codesOf("<lora:sleepy:1>")).toEqual(["INACTIVE_ADAPTER"]);
    expect(codesOf("<lora:xl-only:1>")).toEqual(["INCOMPATIBLE_ADAPTER"]);
    expect(codesOf("<lora:jazz:2.5>")).toEqual(["WEIGHT_OUT_OF_RANGE"]);
    expect(codesOf("<lora:piano:inf>")).toEqual(["NON_FINITE_WEIGHT", "TOO_MANY_ADAPTERS"]);
    expect(codesOf("<lora::1>")).toEqual(["EMPTY_NAME"]);
    expect(codesOf("<lora:sax:0.5:x=1>")).toEqual(["UNKNOWN_PARAMETER", "TOO_MANY_ADAPTERS"]);
    expect(codesOf("<lora:JAZZ:1>")).toEqual(["TOO_MANY_ADAPTERS", "UNKNOWN_ADAPTER"]);

    for (const problem of parsed.problems) {
      const tag = parsed.tags[problem.tagIndex];
      expect(prompt.slice(problem.start, problem.end)).toBe(tag.raw);
      expect(problem.severity).toBe("ERROR");
    }
    const first = (code: string) => parsed.problems.find((p: any) => p.code === code).message;
    expect(first("UNKNOWN_ADAPTER")).toBe("no adapter is named 'nobody'");
    expect(parsed.problems.find((p: any) => p.tagIndex === 8 && p.code === "UNKNOWN_ADAPTER").message).toBe("no adapter is named 'JAZZ'; did you mean 'jazz'?");
    expect(first("ADAPTER_DELETED")).toMatch(/^adapter 'gone' 1\.0 was deleted on .*; it cannot be used$/);
    expect(first("INCOMPATIBLE_ADAPTER")).toMatch(/^Requires .*XL.*; .* is selected$/);
    expect(first("WEIGHT_OUT_OF_RANGE")).toBe("weight 2.5 is outside 0.0–2.0");
    expect(first("TOO_MANY_ADAPTERS")).toBe("at most 5 adapters per prompt; 'piano' is number 6");
    expect(parsed.valid).toBe(false);
    const piano = parsed.tags.find((t: any) => t.name === "piano");
    expect(piano).toMatchObject({ weight: null, adapter: { name: "piano" } });
    expect(parsed.tags.find((t: any) => t.name === "gone").adapter).toMatchObject({ id: gone.id, deletedAt: expect.any(String) });
    expect(parsed.loraHashes).not.toContain("gone");
  });

  it("counts adapters up to five, refuses a repeated one at another weight, warns at the same weight, and checks the unet weight too", async () => {
    const parsed = await parse("<lora:jazz:1> <lora:piano:1> <lora:sax:0.5:unet=-0.1> <lora:jazz:0.2> <lora:piano:1.0>");
    expect(parsed.tags.map((t: any) => t.problems.map((p: any) => [p.code, p.severity]))).toEqual([
      [], [], [["WEIGHT_OUT_OF_RANGE", "ERROR"]], [["DUPLICATE_ADAPTER", "ERROR"]], [["DUPLICATE_ADAPTER", "WARNING"]],
    ]);
    expect(parsed.tags[3].problems[0].message).toBe("'jazz' is at 1 in an earlier tag; give it one weight");
    expect(parsed.tags[4].problems[0].message).toBe("'piano' is named more than once at the same weight; it applies once");
    expect(parsed.tags[2].problems[0].message).toBe("unet weight -0.1 is outside 0.0–2.0");
    const atBounds = await parse("<lora:jazz:0> <lora:piano:2> <lora:sax:2.0001>");
    expect(atBounds.tags.map((t: any) => t.problems.map((p: any) => p.code))).toEqual([[], [], ["WEIGHT_OUT_OF_RANGE"]]);
  });

  it("says when the base model does not exist, and refuses an oversize prompt with BAD_USER_INPUT", async () => {
    const parsed = await parse("<lora:jazz:1>", "no-such-model");
    expect(parsed.problems).toEqual([
      { code: "UNKNOWN_BASE_MODEL", severity: "ERROR", start: null, end: null, tagIndex: null, message: "base model 'no-such-model' does not exist; compatibility was not checked" },
    ]);
    const { data, errors } = await app.gql(PARSE, { prompt: "x".repeat(10_001) });
    expect(data).toBeNull();
    expect(errors?.[0]).toMatchObject({
      message: "prompt: the prompt must be at most 10000 characters",
      extensions: { code: "BAD_USER_INPUT", fieldErrors: [{ field: "prompt", message: "the prompt must be at most 10000 characters" }] },
    });
  });

  it("answers a prompt without tags as it is", async () => {
    expect(await parse("just music")).toMatchObject({ cleanPrompt: "just music", tags: [], problems: [], valid: true, loraHashes: null });
  });
});

describe("composePrompt", () => {
  it("defaults to the active live adapters fitting the base model, set ordinals first then by name, at their default weights, with triggers", async () => {
    const composed = await compose({ prefix: "a smoky club", suffix: "late night", baseModelId: "sd15" });
    expect(composed.adapters.map((a: any) => [a.adapter.name, a.adapter.version, a.weight])).toEqual([
      ["piano", "1.0", 1], ["jazz", "2.0", 0.75], ["sax", "1.0", 1],
    ]);
    expect(composed.tokens).toEqual(["<lora:piano:1>", "<lora:jazz:0.75>", "<lora:sax:1>"]);
    expect(composed.prompt).toBe("a smoky club, pno style, keys, breathy, late night, <lora:piano:1> <lora:jazz:0.75> <lora:sax:1>");
    expect(composed.warnings).toEqual([
      { code: "DUPLICATE_TRIGGER", message: "'Keys' triggers both 'piano' 1.0 and 'sax' 1.0; it is written once", adapterId: sax.id },
    ]);
    expect(composed.loraHashes).toBe(`Lora hashes: "piano: ${autoV2(piano)}, jazz: ${autoV2(jazz2)}, sax: ${autoV2(sax)}"`);

    const parsed = await parse(composed.prompt, "sd15");
    expect(parsed).toMatchObject({ valid: true, loraHashes: composed.loraHashes });
  });

  it("takes an explicit list: weights with up to three decimals, activation text, and warnings for what cannot be used as asked", async () => {
    const composed = await compose({
      adapters: [
        { adapterId: piano.id, weight: 1 / 3 }, { adapterId: gone.id }, { adapterId: sleepy.id, weight: 0.5 },
        { adapterId: piano.id, weight: 2 }, { adapterId: jazz1.id }, { adapterId: xlOnly.id, weight: 1.25 },
      ],
      includeTriggers: false,
      includeActivationText: true,
      baseModelId: "sd15",
    });
    expect(composed.tokens).toEqual(["<lora:piano:0.333>", "<lora:sleepy:0.5>", "<lora:jazz:1>", "<lora:xl-only:1.25>"]);
    expect(composed.prompt).toBe("soft piano, pno style, <lora:piano:0.333> <lora:sleepy:0.5> <lora:jazz:1> <lora:xl-only:1.25>");
    expect(composed.warnings.map((w: any) => [w.code, w.adapterId])).toEqual([
      ["ADAPTER_DELETED", gone.id],
      ["INACTIVE_ADAPTER", sleepy.id],
      ["DUPLICATE_ADAPTER", piano.id],
      ["INCOMPATIBLE_ADAPTER", xlOnly.id],
      ["VERSION_NOT_ADDRESSABLE", jazz1.id],
    ]);
    expect(composed.warnings.find((w: any) => w.code === "VERSION_NOT_ADDRESSABLE").message).toBe(
      "<lora:jazz:…> reads as version 2.0, not 1.0; a backend picks its file by name",
    );
  });

  it("keeps five adapters, and warns about a missing weights file and pickled weights", async () => {
    const row = await app.deps.db.prisma.adapter.findUniqueOrThrow({ where: { id: sax.id } });
    const weights = (row.files as { name: string; role: string }[]).find((f) => f.role === "weights")!;
    const pickled = await uploadPickled();
    await rm(join(app.dataDir, "adapters", row.storageKey, weights.name));
    const composed = await compose({
      adapters: [jazz2, piano, sax, sleepy, pickled, xlOnly].map((a) => ({ adapterId: a.id })),
      includeTriggers: false,
    });
    expect(composed.tokens).toHaveLength(5);
    expect(composed.warnings.map((w: any) => [w.code, w.adapterId])).toEqual([
      ["MISSING_FILE", sax.id],
      ["INACTIVE_ADAPTER", sleepy.id],
      ["NOT_LOADABLE", pickled.id],
      ["TOO_MANY_ADAPTERS", xlOnly.id],
    ]);
    expect(composed.warnings[0].message).toBe("adapter 'sax' 1.0 has no weights file in storage; register or upload it again");
  });

  it("refuses unknown adapters and weights out of range with BAD_USER_INPUT per field", async () => {
    const { errors } = await app.gql(COMPOSE, { input: { adapters: [{ adapterId: piano.id, weight: 2.5 }, { adapterId: "nope" }] } });
    expect(errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters.0.weight", message: "weight must be between 0 and 2" }] });
    const unknown = await app.gql(COMPOSE, { input: { adapters: [{ adapterId: piano.id }, { adapterId: "nope" }] } });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "adapters.1.adapterId", message: "adapter 'nope' does not exist" }] });
    const base = await app.gql(COMPOSE, { input: { baseModelId: "nope" } });
    expect(base.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "baseModelId" }] });
  });

  it("says so when no adapter fits", async () => {
    const composed = await compose({ prefix: "solo", baseModelId: "musicgen-small" });
    expect(composed).toMatchObject({ prompt: "solo", tokens: [], loraHashes: null, warnings: [{ code: "NO_ADAPTERS" }] });
  });
});

async function uploadPickled(): Promise<Registered> {
  const { config } = peftAdapter();
  const pickle = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...Array.from({ length: 64 }, (_, i) => i)]);
  const { body } = await upload(app.url, [{ name: "adapter_config.json", data: config }, { name: "adapter_model.bin", data: pickle }], { name: "pickled", version: "1" });
  expect(body.data.uploadAdapter.__typename).toBe("UploadAdapterSuccess");
  return body.data.uploadAdapter.adapter;
}
