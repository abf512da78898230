import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadRequestBody } from "../fixtures.js";
import { gpt2PeftAdapter, sdxlKohyaAdapter } from "../fixtures/hostile-adapters.js";
import { tunesAdapterFiles } from "../generation-fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";

/** Issue 10, item 9: a file registered for a base model must have that model's modules and shapes. */

const REGISTER = `mutation ($input: RegisterAdapterInput!) { registerAdapter(input: $input) {
  __typename
  ... on Error { message code }
  ... on ArchitectureMismatchError { baseModelId looksLike }
  ... on RegisterAdapterSuccess { adapter { id baseModel { id discovered } } }
} }`;

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await mkdir(app.importRoot, { recursive: true });
});
afterAll(() => app?.close());

async function place(relative: string, data: Uint8Array | string): Promise<string> {
  const path = join(app.importRoot, relative);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, data);
  return path;
}

async function register(input: Record<string, unknown>) {
  const { data, errors } = await app.gql(REGISTER, { input: { version: "1", ...input } });
  expect(errors).toBeUndefined();
  return data.registerAdapter;
}

/** Nothing of a refused file is kept: no row, no stored or staged file. */
async function expectNothingStored(): Promise<void> {
  expect(await app.deps.db.prisma.adapter.count()).toBe(0);
  for (const dir of ["adapters", "tmp"]) expect(await readdir(join(app.dataDir, dir)).catch(() => [])).toEqual([]);
}

async function expectHealthy(): Promise<void> {
  const health = await fetch(`${app.url}/healthz`, { headers: app.headers, signal: AbortSignal.timeout(2_000) });
  expect(health.status).toBe(200);
}

describe("registering a file for a base model it does not fit", () => {
  let gpt2Dir: string;

  beforeAll(async () => {
    const { weights, config } = gpt2PeftAdapter();
    await place("gpt2/adapter_model.safetensors", weights);
    await place("gpt2/adapter_config.json", config);
    gpt2Dir = join(app.importRoot, "gpt2");
  });

  it("refuses a PEFT directory of GPT-2 weights registered as SD 1.5, saying what the file looks like", async () => {
    const refused = await register({ name: "gpt2-as-sd15", filePath: gpt2Dir, baseModelId: "sd15" });
    expect(refused).toMatchObject({ __typename: "ArchitectureMismatchError", code: "INCOMPATIBLE_ADAPTER", baseModelId: "sd15", looksLike: "GPT-2" });
    expect(refused.message).toBe(
      "adapter_model.safetensors does not fit Stable Diffusion 1.5 (baseModelId 'sd15'): none of its modules is one of Stable Diffusion 1.x's; " +
        "it looks like a GPT-2 LoRA (c_attn, c_proj, c_fc …)",
    );
    await expectNothingStored();
    await expectHealthy();
  });

  it("refuses the same weights as a LLaMA-style model, and over multipart upload as SDXL", async () => {
    const llama = await register({ name: "gpt2-as-llama", filePath: gpt2Dir, baseModelId: "llama-3-8b" });
    expect(llama).toMatchObject({ __typename: "ArchitectureMismatchError", looksLike: "GPT-2" });
    expect(llama.message).toContain("none of its modules is one of LLaMA-style's");

    const { weights, config } = gpt2PeftAdapter();
    const body = uploadRequestBody([{ name: "adapter_config.json", data: config }, { name: "adapter_model.safetensors", data: weights }], { name: "gpt2-upload", version: "1", baseModelId: "sdxl" });
    const res = await fetch(`${app.url}/graphql`, { method: "POST", body, headers: app.headers });
    const uploaded = ((await res.json()) as any).data.uploadAdapter;
    expect(uploaded).toMatchObject({ __typename: "ArchitectureMismatchError", code: "INCOMPATIBLE_ADAPTER" });
    expect(uploaded.message).toContain("it looks like a GPT-2 LoRA (c_attn, c_proj, c_fc …)");
    await expectNothingStored();
  });

  it("tells SDXL from SD 1.5 by the width of its cross-attention keys and its second text encoder", async () => {
    const path = await place("sdxl/style.safetensors", sdxlKohyaAdapter());
    const refused = await register({ name: "xl-as-sd15", filePath: path, baseModelId: "sd15" });
    expect(refused).toMatchObject({ __typename: "ArchitectureMismatchError", looksLike: "Stable Diffusion XL" });
    expect(refused.message).toMatch(/attn2_to_k" maps 2048 → 640, but Stable Diffusion 1\.x's cross-attention keys and values take 768-wide text embeddings/);
    await expectNothingStored();
    const accepted = await register({ name: "xl", filePath: path, baseModelId: "sdxl" });
    expect(accepted).toMatchObject({ __typename: "RegisterAdapterSuccess", adapter: { baseModel: { id: "sdxl" } } });
  });

  it("holds the built-in models to their exact layers: a tunes-s adapter is refused for tunes-m", async () => {
    const { weights, config } = tunesAdapterFiles({ baseModel: "tunes-s" });
    await place("tunes/adapter_model.safetensors", weights);
    await place("tunes/adapter_config.json", config);
    const refused = await register({ name: "small-as-medium", filePath: join(app.importRoot, "tunes"), baseModelId: "tunes-m" });
    expect(refused).toMatchObject({ __typename: "ArchitectureMismatchError", baseModelId: "tunes-m", looksLike: "tunes-s" });
    expect(refused.message).toMatch(/tunes-m's fc1 maps \d+ → 128/);
    const accepted = await register({ name: "small", filePath: join(app.importRoot, "tunes"), baseModelId: "tunes-s" });
    expect(accepted.__typename).toBe("RegisterAdapterSuccess");
  });

  it("still registers GPT-2 weights for the model their config names, which the catalogue does not fingerprint", async () => {
    const accepted = await register({ name: "gpt2", filePath: gpt2Dir });
    expect(accepted).toMatchObject({ __typename: "RegisterAdapterSuccess", adapter: { baseModel: { id: "discovered-openai-community-gpt2", discovered: true } } });
    await expectHealthy();
  });
});
