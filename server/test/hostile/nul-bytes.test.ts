import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kohyaAdapter, peftAdapter, upload, type UploadPart } from "../fixtures.js";
import { startTestApp, type TestApp, type TestAppOptions } from "../harness.js";
import { onPostgres } from "../postgres.js";
import { expectLive } from "./liveness.js";

/*
 * Issue 10 item 7: U+0000 anywhere in a text input answered a masked INTERNAL_SERVER_ERROR on PostgreSQL ("invalid
 * byte sequence 0x00"). Every argument is now refused with BAD_USER_INPUT naming the field, before anything is stored;
 * JSON files (adapter_config.json, safetensors headers, Civitai metadata, JSONL lines) likewise.
 */

const NUL = "\u0000";
const REFUSAL = "must not contain the NUL character (\\u0000)";
const RESULT = `__typename ... on Error { code message } ... on BadUserInputError { fieldErrors { field message } }`;

type Refusal = { __typename: string; code: string; fieldErrors: { field: string; message: string }[] };

function expectTypedRefusal(result: Refusal, field: string): void {
  expect(result).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT", fieldErrors: [{ field, message: REFUSAL }] });
}

function nulByteSuite(label: string, start: (options?: TestAppOptions) => Promise<TestApp>): void {
  describe(`NUL characters in text inputs (${label})`, () => {
    let app: TestApp;
    let adapterId: string;

    async function uploadAdapter(parts: UploadPart[], input: Record<string, unknown>) {
      return (await upload(app.url, parts, input)).body.data.uploadAdapter;
    }

    async function stored() {
      const prisma = app.deps.db.prisma;
      const [adapters, experiments, datasets, jobs] = await Promise.all([prisma.adapter.count(), prisma.experiment.count(), prisma.dataset.count(), prisma.generationJob.count()]);
      return { adapters, experiments, datasets, jobs, adapter: await prisma.adapter.findUnique({ where: { id: adapterId } }) };
    }

    beforeAll(async () => {
      app = await start();
      const { weights, config } = peftAdapter();
      const uploaded = await uploadAdapter([{ name: "adapter_model.safetensors", data: weights }, { name: "adapter_config.json", data: config }], { name: "clean", version: "1", description: "kept" });
      adapterId = uploaded.adapter.id;
    });

    afterAll(async () => {
      await app?.close();
    });

    it("refuses each mutation's text field with its own typed BadUserInputError, storing nothing", async () => {
      const before = await stored();
      const mutations: [string, string, Record<string, unknown>, string][] = [
        ["registerAdapter", "RegisterAdapterInput!", { name: "n", version: "1", filePath: "x.safetensors", description: `a${NUL}b` }, "description"],
        ["createExperiment", "CreateExperimentInput!", { name: "e", baseModelId: "tunes-s", description: `${NUL}` }, "description"],
        ["createDataset", "CreateDatasetInput!", { name: "d", description: `x${NUL}`, items: [{ prompt: "waltz", notes: [{ pitch: 60, start: 0, duration: 4 }] }] }, "description"],
        ["createDataset", "CreateDatasetInput!", { name: "d", items: [{ prompt: "waltz", notes: [{ pitch: 60, start: 0, duration: 4 }] }, { prompt: `a${NUL}`, notes: [{ pitch: 60, start: 0, duration: 4 }] }] }, "items.1.prompt"],
        ["createGenerationJob", "CreateGenerationJobInput!", { baseModelId: "tunes-s", prompt: `jazz${NUL}` }, "prompt"],
        ["createExperiment", "CreateExperimentInput!", { name: "e", baseModelId: "tunes-s", config: { optimizer: { name: `adamw${NUL}` } } }, "config.optimizer.name"],
      ];
      for (const [field, type, input, named] of mutations) {
        const { data, errors } = await app.gql(`mutation($input: ${type}) { ${field}(input: $input) { ${RESULT} } }`, { input });
        expect(errors, field).toBeUndefined();
        expectTypedRefusal(data[field], named);
      }
      const update = await app.gql(`mutation($id: ID!, $input: UpdateAdapterInput!) { updateAdapter(id: $id, input: $input) { ${RESULT} } }`, { id: adapterId, input: { description: `changed${NUL}` } });
      expectTypedRefusal(update.data.updateAdapter, "description");
      expect(await stored()).toEqual(before);
      await expectLive(app);
    });

    it("reads a NUL written as a \\u0000 escape in the document itself as the same refusal", async () => {
      const { data } = await app.gql(`mutation { createExperiment(input: { name: "e", baseModelId: "tunes-s", description: "a\\u0000b" }) { ${RESULT} } }`);
      expectTypedRefusal(data.createExperiment, "description");
    });

    it("answers queries with a coded GraphQL error naming the argument: prompt, filter.search, ids", async () => {
      const queries: [string, Record<string, unknown>, string][] = [
        [`query($p: String!) { parsePrompt(prompt: $p) { valid } }`, { p: `<lora:x:1>${NUL}` }, "prompt"],
        [`query($s: String) { adapters(filter: { search: $s }) { totalCount } }`, { s: `jazz${NUL}` }, "filter.search"],
        [`query($id: ID!) { adapter(id: $id) { id } }`, { id: `${adapterId}${NUL}` }, "id"],
        [`query($id: ID!) { experiment(id: $id) { id } }`, { id: NUL }, "id"],
        [`query($id: ID!, $base: ID!) { adapter(id: $id) { compatibility(baseModelId: $base) { compatible } } }`, { id: adapterId, base: `sd15${NUL}` }, "baseModelId"],
      ];
      for (const [query, variables, field] of queries) {
        const { errors } = await app.gql(query, variables);
        expect(errors, query).toEqual([expect.objectContaining({ message: `${field}: ${REFUSAL}`, extensions: expect.objectContaining({ code: "BAD_USER_INPUT", fieldErrors: [{ field, message: REFUSAL }] }) })]);
      }
      await expectLive(app);
    });

    it("refuses a subscription whose id holds a NUL, with the code", async () => {
      const client = app.wsClient();
      try {
        const refusal = await new Promise<unknown>((resolve) => {
          client.subscribe({ query: `subscription($id: ID!) { runLogs(runId: $id) { seq } }`, variables: { id: `run${NUL}` } }, {
            next: (result) => resolve(result.errors),
            error: (error) => resolve(error),
            complete: () => resolve(null),
          });
        });
        expect(refusal).toEqual([expect.objectContaining({ message: `runId: ${REFUSAL}`, extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })]);
      } finally {
        await client.dispose();
      }
    });

    it("refuses uploaded files holding a NUL: in adapter_config.json, in safetensors metadata (naming the file), in the file name", async () => {
      const before = await stored();
      const { weights, config } = peftAdapter({ baseModel: `TinyLlama${NUL}` });
      const peft = await uploadAdapter([{ name: "adapter_model.safetensors", data: weights }, { name: "adapter_config.json", data: config }], { name: "peft-nul", version: "1" });
      expect(peft).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
      expect(peft.message).toContain("adapter_config.json: base_model_name_or_path holds a NUL character");
      const kohya = await uploadAdapter([{ name: "style.safetensors", data: kohyaAdapter({ baseModelVersion: `sd_v1${NUL}` }) }], { name: "kohya-nul", version: "1" });
      expect(kohya).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
      expect(kohya.message).toContain("safetensors header: __metadata__.ss_base_model_version holds a NUL character");
      const named = await uploadAdapter([{ name: `sty${NUL}le.safetensors`, data: kohyaAdapter() }], { name: "named-nul", version: "1" });
      expect(named).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT", message: `files.0.name: ${REFUSAL}` });
      expect(await stored()).toEqual(before);
      await expectLive(app);
    });

    it("fails a Civitai metadata file whose description holds a NUL, storing nothing for it", async () => {
      const dir = join(app.importRoot, "civitai-nul");
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "style.safetensors"), kohyaAdapter({ seed: 11 }));
      await writeFile(join(dir, "style.civitai.info"), JSON.stringify({ name: "v1", model: { name: "Style" }, description: `nice${NUL}` }));
      const before = await stored();
      const { data } = await app.gql(`mutation($input: ImportCivitaiMetadataInput!) { importCivitaiMetadata(input: $input) {
        __typename ... on ImportCivitaiMetadataSuccess { created { path } failed { path reason } } } }`, { input: { directory: dir } });
      expect(data.importCivitaiMetadata.created).toEqual([]);
      expect(data.importCivitaiMetadata.failed).toEqual([{ path: expect.stringMatching(/style\.safetensors$/), reason: expect.stringContaining("model info file: description holds a NUL character") }]);
      expect(await stored()).toEqual(before);
    });

    it("refuses a JSONL dataset line whose prompt holds a NUL, naming the line", async () => {
      const line = JSON.stringify({ prompt: `waltz${NUL}`, notes: [{ pitch: 60, start: 0, duration: 4 }], lengthSteps: 16 });
      const form = new FormData();
      const query = `mutation($files: [File!]!, $input: ImportDatasetInput!) { importDataset(files: $files, input: $input) { ${RESULT} } }`;
      form.set("operations", JSON.stringify({ query, variables: { files: [null], input: { name: "jsonl-nul", format: "JSONL" } } }));
      form.set("map", JSON.stringify({ 0: ["variables.files.0"] }));
      form.set("0", new Blob([line]), "tunes.jsonl");
      const response = await fetch(`${app.url}/graphql`, { method: "POST", body: form, headers: app.headers });
      const { data } = (await response.json()) as any;
      expect(data.importDataset).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
      expect(data.importDataset.message).toContain("tunes.jsonl line 1");
      expect(await app.deps.db.prisma.dataset.count({ where: { name: "jsonl-nul" } })).toBe(0);
    });
  });
}

nulByteSuite("PGlite", startTestApp);
await onPostgres("NUL character suite", nulByteSuite);
