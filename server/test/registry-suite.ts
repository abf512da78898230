import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffusersAdapter, kohyaAdapter, peftAdapter, sha256, upload } from "./fixtures.js";
import type { TestApp } from "./harness.js";
import { untilListening } from "./subscriptions.js";

const ADAPTER_FIELDS = `id name version format source rank alpha sha256 sizeBytes targetModules tensorCount tags trainedWords
  active ordinal weight description deletedAt createdAt updatedAt warnings baseModel { id displayName discovered }`;

const RESULT = (success: string) => `
  __typename
  ... on Error { message code }
  ... on ConflictError { suggestedVersion }
  ... on BadUserInputError { fieldErrors { field message } }
  ... on ${success} { adapter { ${ADAPTER_FIELDS} } }`;

const REGISTER = `mutation($input: RegisterAdapterInput!) { registerAdapter(input: $input) { ${RESULT("RegisterAdapterSuccess")} } }`;
const RENAME = `mutation($id: ID!, $name: String!) { renameAdapter(id: $id, name: $name) { ${RESULT("RenameAdapterSuccess")} } }`;
const DELETE = `mutation($id: ID!) { deleteAdapter(id: $id) { ${RESULT("DeleteAdapterSuccess")} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAdapterInput!) { updateAdapter(id: $id, input: $input) { ${RESULT("UpdateAdapterSuccess")} } }`;
const ACTIVATE = `mutation($id: ID!, $ordinal: Int) { activateAdapter(id: $id, ordinal: $ordinal) { ${RESULT("ActivateAdapterSuccess")} } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivateAdapter(id: $id) { ${RESULT("DeactivateAdapterSuccess")} } }`;
const LIST = `query($filter: AdapterFilter, $first: Int, $after: String, $orderBy: AdapterOrder) {
  adapters(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name version active tags } }
  } }`;
const IMPORT = `mutation($input: ImportCivitaiMetadataInput!) { importCivitaiMetadata(input: $input) {
  __typename
  ... on Error { message code }
  ... on ImportCivitaiMetadataSuccess { dryRun
    created { path reason adapter { id name version trainedWords tags baseModel { id } source } }
    updated { path adapter { id trainedWords } } unchanged { path adapter { id } } failed { path reason } } } }`;

/**
 * Every registry rule through the real server over HTTP and WebSocket. Run against PGlite and,
 * from another file, against PostgreSQL.
 */
export function registrySuite(label: string, start: () => Promise<TestApp>): void {
  describe(`adapter registry (${label})`, () => {
    let app: TestApp;
    let n = 0;
    const uniqueName = (base: string) => `${base}-${++n}`;

    beforeAll(async () => {
      app = await start();
      await mkdir(app.importRoot, { recursive: true });
    });
    afterAll(async () => app?.close());

    async function placeFile(relative: string, data: Uint8Array | string): Promise<string> {
      const path = join(app.importRoot, relative);
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, data);
      return path;
    }

    async function register(input: Record<string, unknown>) {
      const { data, errors } = await app.gql(REGISTER, { input });
      expect(errors).toBeUndefined();
      return data.registerAdapter;
    }

    async function registerPeft(name = uniqueName("peft"), version = "1.0", extra: Record<string, unknown> = {}) {
      const dir = join(app.importRoot, `${name}-${version}`);
      const files = peftAdapter();
      await placeFile(`${name}-${version}/adapter_model.safetensors`, files.weights);
      await placeFile(`${name}-${version}/adapter_config.json`, files.config);
      const result = await register({ name, version, filePath: dir, ...extra });
      expect(result.__typename).toBe("RegisterAdapterSuccess");
      return result.adapter;
    }

    async function storedDirs(): Promise<string[]> {
      return readdir(join(app.dataDir, "adapters")).catch(() => []);
    }

    async function adapterCount(): Promise<number> {
      return app.deps.db.prisma.adapter.count();
    }

    it("serves health and the base model catalogue", async () => {
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(200);
      const { data } = await app.gql(`{ baseModels { id modality capabilities { maxDurationSeconds resolution maxTokens } } missing: baseModel(id: "nope") { id } }`);
      const byId = Object.fromEntries(data.baseModels.map((m: any) => [m.id, m]));
      expect(byId.sd15.capabilities.resolution).toBe(512);
      expect(byId.sdxl.modality).toBe("IMAGE");
      expect(byId["musicgen-small"]).toMatchObject({ modality: "AUDIO", capabilities: { maxDurationSeconds: 30 } });
      expect(byId["llama-3-8b"].capabilities.maxTokens).toBeGreaterThan(0);
      expect(data.missing).toBeNull();
    });

    it("registers a PEFT directory by path, reading rank, alpha and modules from the files", async () => {
      const adapter = await registerPeft("tiny-chat", "1.0", { tags: ["chat", "chat"], description: "a small chat LoRA" });
      const files = peftAdapter();
      expect(adapter).toMatchObject({
        name: "tiny-chat", version: "1.0", format: "PEFT", source: "REGISTERED", rank: 4, alpha: 8,
        targetModules: ["q_proj", "v_proj"], tensorCount: 4, tags: ["chat"], active: true,
        baseModel: { id: "tinyllama-1.1b", discovered: false },
      });
      expect(adapter.sha256).toBe(sha256(files.weights));
      expect(adapter.sizeBytes).toBe(files.weights.length + Buffer.byteLength(files.config));
    });

    it("keeps a registered version unchanged when its source file changes", async () => {
      const path = await placeFile("kohya/original.safetensors", kohyaAdapter());
      const { adapter } = await register({ name: uniqueName("kohya-copy"), version: "1", filePath: path });
      await writeFile(path, kohyaAdapter({ seed: 99 }));
      const row = await app.deps.db.prisma.adapter.findUniqueOrThrow({ where: { id: adapter.id } });
      const stored = await app.deps.storage.adapters.readAll(row.storageKey, "adapter_model.safetensors");
      expect(sha256(stored)).toBe(adapter.sha256);
      expect(sha256(stored)).toBe(sha256(kohyaAdapter()));
    });

    it("reads kohya files: base model from ss_base_model_version, missing alpha means alpha = rank", async () => {
      const path = await placeFile("kohya/a.safetensors", kohyaAdapter({ rank: 8 }));
      const { adapter } = await register({ name: uniqueName("kohya"), version: "1", filePath: path });
      expect(adapter).toMatchObject({ format: "KOHYA", rank: 8, alpha: 8, baseModel: { id: "sd15" } });
      const zeroAlpha = await placeFile("kohya/zero.safetensors", kohyaAdapter({ rank: 16, networkAlpha: "0", baseModelVersion: "sdxl_base_v1-0" }));
      const second = await register({ name: uniqueName("kohya"), version: "1", filePath: zeroAlpha });
      expect(second.adapter).toMatchObject({ rank: 16, alpha: 16, baseModel: { id: "sdxl" } });
    });

    it("does not call a file KOHYA because of its metadata alone", async () => {
      const path = await placeFile("diffusers/x.safetensors", diffusersAdapter());
      const { adapter } = await register({ name: uniqueName("diffusers"), version: "1", filePath: path });
      expect(adapter.format).toBe("SAFETENSORS");
      expect(adapter.rank).toBe(4);
    });

    it("uploads a PEFT pair and a single file as a GraphQL multipart request", async () => {
      const files = peftAdapter({ rank: 8, alpha: 16 });
      const pair = await upload(app.url, [{ name: "adapter_config.json", data: files.config }, { name: "adapter_model.safetensors", data: files.weights }], { name: uniqueName("uploaded"), version: "1" });
      expect(pair.body.data.uploadAdapter).toMatchObject({ __typename: "UploadAdapterSuccess", adapter: { format: "PEFT", rank: 8, alpha: 16 } });
      const single = await upload(app.url, [{ name: "my-style.safetensors", data: kohyaAdapter() }], { name: uniqueName("uploaded"), version: "1", tags: ["style"] });
      expect(single.body.data.uploadAdapter.adapter).toMatchObject({ format: "KOHYA", baseModel: { id: "sd15" } });
      const { data } = await app.gql(`query($id: ID!) { adapter(id: $id) { originalFilename } }`, { id: single.body.data.uploadAdapter.adapter.id });
      expect(data.adapter.originalFilename).toBe("my-style.safetensors");
    });

    it("refuses a bad upload with BAD_USER_INPUT and stores nothing", async () => {
      const before = { count: await adapterCount(), dirs: (await storedDirs()).length };
      const valid = kohyaAdapter();
      const corrupt = valid.slice();
      corrupt[8] = "[".charCodeAt(0);
      const cases = [
        [{ name: "x.safetensors", data: corrupt }],
        [{ name: "x.safetensors", data: valid.slice(0, valid.length - 3) }],
        [{ name: "x.safetensors", data: new Uint8Array(4) }],
        [{ name: "notes.txt", data: "hello" }],
        [{ name: "a.safetensors", data: valid }, { name: "b.safetensors", data: valid }],
      ];
      for (const parts of cases) {
        const { body } = await upload(app.url, parts, { name: uniqueName("bad"), version: "1" });
        expect(body.data.uploadAdapter.__typename).toBe("BadUserInputError");
        expect(body.data.uploadAdapter.code).toBe("BAD_USER_INPUT");
        expect(body.data.uploadAdapter.message.length).toBeGreaterThan(10);
      }
      expect(await adapterCount()).toBe(before.count);
      expect((await storedDirs()).length).toBe(before.dirs);
      expect(await readdir(join(app.dataDir, "tmp"))).toEqual([]);
    });

    it("answers a duplicate name+version with CONFLICT and the next free version", async () => {
      const name = uniqueName("dup");
      await registerPeft(name, "1.2");
      const before = await adapterCount();
      const path = await placeFile("dup/again.safetensors", kohyaAdapter());
      const result = await register({ name, version: "1.2", filePath: path });
      expect(result).toMatchObject({ __typename: "ConflictError", code: "CONFLICT", suggestedVersion: "1.3" });
      expect(result.message).toContain("1.3");
      expect(await adapterCount()).toBe(before);
    });

    it("gives one CONFLICT when two requests race for one name+version", async () => {
      const name = uniqueName("race");
      const a = await placeFile("race/a.safetensors", kohyaAdapter({ seed: 5 }));
      const b = await placeFile("race/b.safetensors", kohyaAdapter({ seed: 6 }));
      const dirsBefore = (await storedDirs()).length;
      const results = await Promise.all([a, b].map((filePath) => app.gql(REGISTER, { input: { name, version: "1", filePath } })));
      const kinds = results.map((r) => r.data.registerAdapter.__typename).sort();
      expect(kinds).toEqual(["ConflictError", "RegisterAdapterSuccess"]);
      expect((await storedDirs()).length).toBe(dirsBefore + 1);
    });

    it("refuses paths outside IMPORT_ROOTS, traversal and symlink escapes alike", async () => {
      const outside = join(app.dataDir, "outside.safetensors");
      await writeFile(outside, kohyaAdapter());
      await symlink(outside, join(app.importRoot, "escape.safetensors"));
      for (const filePath of [outside, `${app.importRoot}/../outside.safetensors`, join(app.importRoot, "escape.safetensors"), "/etc/passwd", "relative/x.safetensors", `${app.importRoot}/missing.safetensors`]) {
        const result = await register({ name: uniqueName("escape"), version: "1", filePath });
        expect(result.__typename, filePath).toBe("BadUserInputError");
        expect(result.fieldErrors[0].field).toBe("filePath");
      }
    });

    it("registers pickled PEFT weights (adapter_model.bin) from the config alone, flagged as not loadable", async () => {
      const { config } = peftAdapter({ rank: 16, alpha: 32 });
      const pickle = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...Array.from({ length: 64 }, (_, i) => i)]);
      await placeFile("pickled/adapter_model.bin", pickle);
      await placeFile("pickled/adapter_config.json", config);
      const { adapter } = await register({ name: uniqueName("pickled"), version: "1", filePath: join(app.importRoot, "pickled") });
      expect(adapter).toMatchObject({ format: "PEFT", rank: 16, alpha: 32, tensorCount: 0, sha256: sha256(pickle) });
      expect(adapter.warnings.join(" ")).toContain("pickle");
      const { data } = await app.gql(`query($id: ID!) { adapter(id: $id) { loadable files { name role } } }`, { id: adapter.id });
      expect(data.adapter).toEqual({ loadable: false, files: [{ name: "adapter_model.bin", role: "weights" }, { name: "adapter_config.json", role: "config" }] });

      const uploaded = await upload(app.url, [{ name: "adapter_config.json", data: config }, { name: "adapter_model.bin", data: pickle }], { name: uniqueName("pickled"), version: "1" });
      expect(uploaded.body.data.uploadAdapter).toMatchObject({ __typename: "UploadAdapterSuccess", adapter: { format: "PEFT", tensorCount: 0 } });
      const alone = await upload(app.url, [{ name: "adapter_model.bin", data: pickle }], { name: uniqueName("pickled"), version: "1" });
      expect(alone.body.data.uploadAdapter.code).toBe("BAD_USER_INPUT");
      await placeFile("lonely/adapter_model.bin", pickle);
      const lonely = await register({ name: uniqueName("pickled"), version: "1", filePath: join(app.importRoot, "lonely/adapter_model.bin") });
      expect(lonely.code).toBe("BAD_USER_INPUT");
    });

    it("asks for baseModelId when the file names no base model", async () => {
      const files = peftAdapter({ baseModel: null });
      const dir = join(app.importRoot, "nobase");
      await placeFile("nobase/adapter_model.safetensors", files.weights);
      await placeFile("nobase/adapter_config.json", files.config);
      const refused = await register({ name: uniqueName("nobase"), version: "1", filePath: dir });
      expect(refused).toMatchObject({ __typename: "BadUserInputError", fieldErrors: [{ field: "baseModelId" }] });
      const accepted = await register({ name: uniqueName("nobase"), version: "1", filePath: dir, baseModelId: "llama-3-8b" });
      expect(accepted.adapter.baseModel.id).toBe("llama-3-8b");
      expect(accepted.adapter.warnings.join(" ")).toContain("base_model_name_or_path");
      const unknown = await register({ name: uniqueName("nobase"), version: "1", filePath: dir, baseModelId: "no-such-model" });
      expect(unknown.__typename).toBe("BadUserInputError");
    });

    it("creates a discovered catalogue entry for an unknown base model name", async () => {
      const files = peftAdapter({ baseModel: "acme/secret-model-9b" });
      await placeFile("acme/adapter_model.safetensors", files.weights);
      await placeFile("acme/adapter_config.json", files.config);
      const { adapter } = await register({ name: uniqueName("acme"), version: "1", filePath: join(app.importRoot, "acme") });
      expect(adapter.baseModel).toMatchObject({ discovered: true, displayName: "acme/secret-model-9b" });
      const { data } = await app.gql(`query($id: ID!, $target: ID!) { adapter(id: $id) { compatibility(baseModelId: $target) { compatible reason } } }`, { id: adapter.id, target: "sd15" });
      expect(data.adapter.compatibility.compatible).toBe(false);
    });

    it("renames within 1–100 characters after trimming and moves updatedAt", async () => {
      const adapter = await registerPeft();
      const renamed = await app.gql(RENAME, { id: adapter.id, name: `  ${uniqueName("renamed")}  ` });
      const result = renamed.data.renameAdapter;
      expect(result.__typename).toBe("RenameAdapterSuccess");
      expect(result.adapter.name).toMatch(/^renamed-\d+$/);
      expect(new Date(result.adapter.updatedAt).getTime()).toBeGreaterThan(new Date(adapter.updatedAt).getTime());
      for (const name of ["", "   ", "x".repeat(101), "bad<name>"]) {
        const refused = (await app.gql(RENAME, { id: adapter.id, name })).data.renameAdapter;
        expect(refused.__typename, JSON.stringify(name)).toBe("BadUserInputError");
      }
      expect((await app.gql(RENAME, { id: adapter.id, name: "y".repeat(100) })).data.renameAdapter.__typename).toBe("RenameAdapterSuccess");
      const missing = (await app.gql(RENAME, { id: "00000000-0000-0000-0000-000000000000", name: "z" })).data.renameAdapter;
      expect(missing.code).toBe("NOT_FOUND");
    });

    it("refuses a rename onto an existing name+version with CONFLICT", async () => {
      const first = await registerPeft(uniqueName("taken"), "1");
      const second = await registerPeft(uniqueName("other"), "1");
      const result = (await app.gql(RENAME, { id: second.id, name: first.name })).data.renameAdapter;
      expect(result).toMatchObject({ code: "CONFLICT", suggestedVersion: "2" });
    });

    it("gives one CONFLICT when two renames race for one name+version", async () => {
      const [a, b] = [await registerPeft(uniqueName("racer"), "1"), await registerPeft(uniqueName("racer"), "1")];
      const target = uniqueName("finish-line");
      const results = await Promise.all([a, b].map((adapter) => app.gql(RENAME, { id: adapter.id, name: target })));
      expect(results.map((r) => r.data.renameAdapter.__typename).sort()).toEqual(["ConflictError", "RenameAdapterSuccess"]);
    });

    it("updates fields and validates each one", async () => {
      const adapter = await registerPeft();
      const ok = (await app.gql(UPDATE, { id: adapter.id, input: { description: "new", tags: ["a", "b"], weight: 0.75, trainedWords: ["sks"], triggers: ["t1"], activationText: "in sks style" } })).data.updateAdapter;
      expect(ok.adapter).toMatchObject({ description: "new", tags: ["a", "b"], weight: 0.75, trainedWords: ["sks"] });
      const bad = (await app.gql(UPDATE, { id: adapter.id, input: { weight: 2.5, tags: [""] } })).data.updateAdapter;
      expect(bad.code).toBe("BAD_USER_INPUT");
      expect(bad.fieldErrors.map((e: any) => e.field).sort()).toEqual(["tags.0", "weight"]);
      const stored = await app.deps.db.prisma.adapter.findUniqueOrThrow({ where: { id: adapter.id } });
      expect(stored.weight).toBe(0.75);
      const found = await app.gql(LIST, { filter: { search: "SKS" } });
      expect(found.data.adapters.edges.map((e: any) => e.node.id)).toEqual([adapter.id]);
    });

    it("activates with an ordinal and deactivates", async () => {
      const adapter = await registerPeft();
      const off = (await app.gql(DEACTIVATE, { id: adapter.id })).data.deactivateAdapter;
      expect(off.adapter.active).toBe(false);
      const on = (await app.gql(ACTIVATE, { id: adapter.id, ordinal: 3 })).data.activateAdapter;
      expect(on.adapter).toMatchObject({ active: true, ordinal: 3 });
      expect((await app.gql(ACTIVATE, { id: adapter.id, ordinal: -1 })).data.activateAdapter.code).toBe("BAD_USER_INPUT");
    });

    it("soft-deletes: gone from lists, readable by id, second delete NOT_FOUND", async () => {
      const adapter = await registerPeft();
      const deleted = (await app.gql(DELETE, { id: adapter.id })).data.deleteAdapter;
      expect(deleted.adapter.deletedAt).not.toBeNull();
      const list = await app.gql(LIST, { filter: { name: adapter.name } });
      expect(list.data.adapters.edges).toEqual([]);
      const groups = await app.gql(`{ adapterGroups { name } }`);
      expect(groups.data.adapterGroups.map((g: any) => g.name)).not.toContain(adapter.name);
      const byId = await app.gql(`query($id: ID!) { adapter(id: $id) { id deletedAt } }`, { id: adapter.id });
      expect(byId.data.adapter.deletedAt).not.toBeNull();
      expect((await app.gql(DELETE, { id: adapter.id })).data.deleteAdapter.code).toBe("NOT_FOUND");
      expect((await app.gql(DELETE, { id: "no-such-id" })).data.deleteAdapter.code).toBe("NOT_FOUND");
      expect((await app.gql(RENAME, { id: adapter.id, name: "after-delete" })).data.renameAdapter.code).toBe("NOT_FOUND");
    });

    it("filters by active, tag, base model, compatibility and search, and pages", async () => {
      const tag = uniqueName("filtertag");
      const chat = await registerPeft(uniqueName("alpha-chat"), "1", { tags: [tag], description: "Talks like a pirate" });
      const off = await registerPeft(uniqueName("beta-chat"), "1", { tags: [tag], active: false });
      const sdxlPath = await placeFile(`${tag}/x.safetensors`, kohyaAdapter({ baseModelVersion: "sdxl_base_v1-0", seed: 11 }));
      const sdxl = (await register({ name: uniqueName("sdxl-style"), version: "1", filePath: sdxlPath, tags: [tag] })).adapter;
      const ids = async (filter: Record<string, unknown>) =>
        (await app.gql(LIST, { filter: { tag, ...filter } })).data.adapters.edges.map((e: any) => e.node.id).sort();
      expect(await ids({})).toEqual([chat.id, off.id, sdxl.id].sort());
      expect(await ids({ active: true })).toEqual([chat.id, sdxl.id].sort());
      expect(await ids({ active: false })).toEqual([off.id]);
      expect(await ids({ baseModelId: "sdxl" })).toEqual([sdxl.id]);
      expect(await ids({ compatibleWith: "pony-xl" })).toEqual([sdxl.id]);
      expect(await ids({ compatibleWith: "sd15" })).toEqual([]);
      expect(await ids({ search: "PIRATE" })).toEqual([chat.id]);
      expect(await ids({ search: tag })).toHaveLength(3);

      const page1 = (await app.gql(LIST, { filter: { tag }, first: 2, orderBy: "NAME_ASC" })).data.adapters;
      expect(page1.totalCount).toBe(3);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = (await app.gql(LIST, { filter: { tag }, first: 2, after: page1.pageInfo.endCursor, orderBy: "NAME_ASC" })).data.adapters;
      const names = [...page1.edges, ...page2.edges].map((e: any) => e.node.name);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(3);
    });

    it("groups versions by name, oldest first", async () => {
      const name = uniqueName("grouped");
      for (const version of ["1.0", "1.1", "2.0"]) await registerPeft(name, version);
      const { data } = await app.gql(`query($f: AdapterFilter) { adapterGroups(filter: $f) { name count versions { version } latest { version } } }`, { f: { name } });
      expect(data.adapterGroups).toEqual([{ name, count: 3, versions: [{ version: "1.0" }, { version: "1.1" }, { version: "2.0" }], latest: { version: "2.0" } }]);
    });

    it("imports Civitai metadata: creates, leaves unchanged, resyncs on change or force, dry-runs", async () => {
      const dir = "civitai";
      const info = (words: string[]) => JSON.stringify({ id: 101, modelId: 7, name: "v1.0", baseModel: "SD 1.5", trainedWords: words,
        description: "<p>Watercolor style</p>", model: { name: "Watercolor Dream", type: "LORA", tags: ["style", "watercolor"] } });
      await placeFile(`${dir}/watercolor.safetensors`, kohyaAdapter({ seed: 42, baseModelVersion: "None" }));
      const metaPath = await placeFile(`${dir}/watercolor.civitai.info`, info(["wcstyle"]));
      await placeFile(`${dir}/orphan.safetensors`, kohyaAdapter({ seed: 43 }));
      await placeFile(`${dir}/broken.safetensors`, kohyaAdapter({ seed: 44 }));
      await placeFile(`${dir}/broken.json`, "{ not json");
      const directory = join(app.importRoot, dir);
      const run = async (extra: Record<string, unknown> = {}) => (await app.gql(IMPORT, { input: { directory, ...extra } })).data.importCivitaiMetadata;

      const before = await adapterCount();
      const dry = await run({ dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, created: [{ adapter: null }] });
      expect(await adapterCount()).toBe(before);

      const first = await run();
      expect(first.created).toHaveLength(1);
      expect(first.created[0].adapter).toMatchObject({ name: "Watercolor Dream", version: "v1.0", trainedWords: ["wcstyle"], source: "CIVITAI", baseModel: { id: "sd15" } });
      expect(first.failed.map((f: any) => f.path.split("/").pop()).sort()).toEqual(["broken.safetensors", "orphan.safetensors"]);
      expect(first.failed.every((f: any) => f.reason.length > 5)).toBe(true);

      expect((await run()).unchanged).toHaveLength(1);
      expect((await run({ force: true })).updated).toHaveLength(1);
      await writeFile(metaPath, info(["wcstyle", "aquarelle"]));
      const resynced = await run();
      expect(resynced.updated[0].adapter.trainedWords).toEqual(["wcstyle", "aquarelle"]);
      expect(await adapterCount()).toBe(before + 1);

      const outside = (await app.gql(IMPORT, { input: { directory: "/etc" } })).data.importCivitaiMetadata;
      expect(outside.code).toBe("BAD_USER_INPUT");
    });

    it("records every change as activity and pushes it over WebSocket", async () => {
      const client = app.wsClient({ lazy: true });
      const probes: unknown[] = [];
      const received: any[] = [];
      const done = new Promise<void>((resolve, reject) => {
        const dispose = client.subscribe({ query: "subscription { activity { type message subjectId subjectType } }" }, {
          next: (value) => {
            const event = value.data?.activity as { subjectType: string };
            if (event.subjectType !== "Adapter") return void probes.push(event);
            received.push(event);
            if (received.length === 2) {
              dispose();
              resolve();
            }
          },
          error: reject,
          complete: () => undefined,
        });
      });
      // experiments created until one's event arrives: the adapter's events below cannot be missed
      let probe = 0;
      await untilListening(() => app.gql(`mutation { createExperiment(input: { name: "probe-${(probe += 1)}", baseModelId: "sd15" }) { __typename } }`), () => probes.length > 0);
      const adapter = await registerPeft();
      await app.gql(DEACTIVATE, { id: adapter.id });
      await done;
      await client.dispose();
      expect(received.map((e) => e.type)).toEqual(["ADAPTER_REGISTERED", "ADAPTER_DEACTIVATED"]);
      expect(received.every((e) => e.subjectId === adapter.id)).toBe(true);
      const { data } = await app.gql(`query($id: ID!) { activity(subjectId: $id) { edges { node { type } } } }`, { id: adapter.id });
      expect(data.activity.edges.map((e: any) => e.node.type)).toEqual(["ADAPTER_DEACTIVATED", "ADAPTER_REGISTERED"]);
    });

    it("streams subscriptions over server-sent events too", async () => {
      const controller = new AbortController();
      const res = await fetch(`${app.url}/graphql`, {
        method: "POST",
        headers: { ...app.headers, "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ query: "subscription { activity { type subjectId } }" }),
        signal: controller.signal,
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const reader = res.body!.getReader();
      const adapter = registerPeft();
      let text = "";
      while (!text.includes("ADAPTER_REGISTERED")) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      expect(text).toContain(`"subjectId":"${(await adapter).id}"`);
    });
  });
}
