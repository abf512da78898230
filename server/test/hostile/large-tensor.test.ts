import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kohyaAdapter } from "../fixtures.js";
import { HUGE_TENSOR, writeSparseHugeLora } from "../fixtures/hostile-adapters.js";
import { startTestApp, type TestApp } from "../harness.js";

/**
 * Issue 10, item 1: a LoRA whose lora_down is F32 [8, 67108864] (2 GiB, one byte past a 32-bit length) used to abort
 * Node natively in the signature read, and again after every restart. It must be refused over MAX_UPLOAD_MB by every
 * way a file enters, and under a larger limit be stored and read by every path without taking the process down.
 */

const REGISTER = `mutation ($input: RegisterAdapterInput!) { registerAdapter(input: $input) {
  __typename
  ... on Error { message code }
  ... on BadUserInputError { fieldErrors { field } }
  ... on RegisterAdapterSuccess { adapter { id sizeBytes } }
} }`;
const IMPORT = `mutation ($input: ImportCivitaiMetadataInput!) { importCivitaiMetadata(input: $input) {
  ... on ImportCivitaiMetadataSuccess { created { path } failed { path reason } }
} }`;
const SIMILAR = `query ($id: ID!) { similarAdapters(adapterId: $id, threshold: 0) { adapter { name } score { weightSpace } } }`;
const STATS = `{ recommendationStats { adaptersWithLoadableWeights adaptersWithSignature signatureFailures { adapterId code message } } }`;
const READS = `query ($id: ID!) {
  adapter(id: $id) { name sizeBytes sha256 }
  recommendAdapters(prompt: "huge tensor") { adapter { name } }
  parsePrompt(prompt: "a castle <lora:huge-tensor:0.8>") { prompt }
}`;

/** A generous liveness bound: the tight figures belong to the bench. */
const HEALTH_DEADLINE_MS = 2_000;
/** The process never holds the 2 GiB tensor: copies and hashes stream, and the signature refuses it unread. */
const RSS_BOUND_BYTES = 1_536 * 1024 * 1024;

async function expectHealthy(app: TestApp): Promise<void> {
  const health = await fetch(`${app.url}/healthz`, { headers: app.headers, signal: AbortSignal.timeout(HEALTH_DEADLINE_MS) });
  expect(health.status).toBe(200);
}

/** Runs `work` while /healthz is asked every 250 ms; every answer must come within the deadline. */
async function whileHealthy<T>(app: TestApp, work: () => Promise<T>): Promise<T> {
  let done = false;
  const probes = (async () => {
    while (!done) {
      await expectHealthy(app);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    return await work();
  } finally {
    done = true;
    await probes;
  }
}

async function gql(app: TestApp, query: string, variables?: Record<string, unknown>) {
  const { data, errors } = await app.gql(query, variables);
  expect(errors).toBeUndefined();
  return data;
}

describe("a LoRA tensor over 2 GiB, under a 1 MB MAX_UPLOAD_MB", () => {
  let app: TestApp;
  let hugePath: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { MAX_UPLOAD_MB: "1" } });
    await mkdir(join(app.importRoot, "civitai"), { recursive: true });
    hugePath = join(app.importRoot, "civitai", "huge.safetensors");
    await writeSparseHugeLora(hugePath);
    await writeFile(join(app.importRoot, "civitai", "huge.civitai.info"), JSON.stringify({ name: "v1", baseModel: "SD 1.5", model: { name: "huge" } }));
  });
  afterAll(() => app?.close());

  it("is refused when registered by path, with a coded error naming the limit, and nothing is stored", async () => {
    const refused = (await whileHealthy(app, () => gql(app, REGISTER, { input: { name: "huge-tensor", version: "1", filePath: hugePath } }))).registerAdapter;
    expect(refused).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT", fieldErrors: [{ field: "filePath" }] });
    expect(refused.message).toMatch(/^huge\.safetensors is 2147\d{6} bytes; the limit is 1048576 bytes \(MAX_UPLOAD_MB\)$/);
    expect(await app.deps.db.prisma.adapter.count()).toBe(0);
    for (const dir of ["adapters", "tmp"]) expect(await readdir(join(app.dataDir, dir)).catch(() => [])).toEqual([]);
  });

  it("is refused by a Civitai import, dry run or not, as that file's failure", async () => {
    for (const dryRun of [true, false]) {
      const report = (await gql(app, IMPORT, { input: { directory: join(app.importRoot, "civitai"), dryRun } })).importCivitaiMetadata;
      expect(report.created).toEqual([]);
      expect(report.failed).toEqual([{ path: hugePath, reason: expect.stringMatching(/is 2147\d{6} bytes; the limit is 1048576 bytes \(MAX_UPLOAD_MB\)$/) }]);
    }
    expect(await app.deps.db.prisma.adapter.count()).toBe(0);
    await expectHealthy(app);
  });
});

describe("a LoRA tensor over 2 GiB, under a limit large enough to store it", () => {
  let root: string;
  let hugePath: string;
  let hugeId: string;
  const start = () => startTestApp({ pgliteDir: join(root, "db"), env: { DATA_DIR: join(root, "data"), IMPORT_ROOTS: join(root, "imports"), MAX_UPLOAD_MB: "3000" } });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "large-tensor-"));
    await mkdir(join(root, "imports"), { recursive: true });
    hugePath = join(root, "imports", "huge.safetensors");
    await writeSparseHugeLora(hugePath);
    await writeFile(join(root, "imports", "small.safetensors"), kohyaAdapter());
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("is stored, and every read answers: similar adapters by text, the signature refused with a code naming the adapter", async () => {
    const app = await start();
    try {
      const registered = await whileHealthy(app, () => gql(app, REGISTER, { input: { name: "huge-tensor", version: "1", filePath: hugePath, baseModelId: "sd15" } }));
      expect(registered.registerAdapter.__typename).toBe("RegisterAdapterSuccess");
      hugeId = registered.registerAdapter.adapter.id;
      expect((await gql(app, REGISTER, { input: { name: "small", version: "1", filePath: join(root, "imports", "small.safetensors") } })).registerAdapter.__typename).toBe("RegisterAdapterSuccess");

      const similar = (await whileHealthy(app, () => gql(app, SIMILAR, { id: hugeId }))).similarAdapters;
      expect(similar).toEqual([{ adapter: { name: "small" }, score: { weightSpace: null } }]);
      const { recommendationStats: stats } = await gql(app, STATS);
      expect(stats).toMatchObject({ adaptersWithLoadableWeights: 2, adaptersWithSignature: 1 });
      expect(stats.signatureFailures).toEqual([{
        adapterId: hugeId,
        code: "TENSOR_TOO_LARGE",
        message: `adapter 'huge-tensor' 1 has no weight-space signature: tensor "${HUGE_TENSOR}" is 2147483648 bytes; a weight-space signature reads LoRA factors of at most 134217728 bytes`,
      }]);
      const reads = await gql(app, READS, { id: hugeId });
      expect(reads.adapter).toMatchObject({ name: "huge-tensor", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(Number(reads.adapter.sizeBytes)).toBeGreaterThan(2 ** 31);
      expect(process.memoryUsage().rss).toBeLessThan(RSS_BOUND_BYTES);
    } finally {
      await app.close();
    }
  }, 240_000);

  it("does not take the API down after a restart either: the first similarAdapters query fills signatures and answers", async () => {
    const app = await start();
    try {
      const similar = (await whileHealthy(app, () => gql(app, SIMILAR, { id: hugeId }))).similarAdapters;
      expect(similar.map((result: { adapter: { name: string } }) => result.adapter.name)).toEqual(["small"]);
      const { recommendationStats: stats } = await gql(app, STATS);
      expect(stats.signatureFailures).toEqual([expect.objectContaining({ adapterId: hugeId, code: "TENSOR_TOO_LARGE" })]);
      expect(process.memoryUsage().rss).toBeLessThan(RSS_BOUND_BYTES);
    } finally {
      await app.close();
    }
  }, 120_000);
});
