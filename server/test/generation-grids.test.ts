import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startA1111ContractServer, type A1111ContractServer } from "./contract-servers/a1111.js";
import { kohyaAdapter, upload } from "./fixtures.js";
import { connectedSidecar, eventually, registerTunesAdapter } from "./generation-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * Weight × seed grids (issue 13): one job per adapter × weight × seed through the real API, on the built-in melody
 * model with its embedded sidecar and on an image backend (the A1111 contract server).
 */

const CREATE_GRID = `mutation ($input: CreateGenerationGridInput!) {
  createGenerationGrid(input: $input) {
    __typename
    ... on Error { message code }
    ... on BadUserInputError { fieldErrors { field message } }
    ... on AdapterDeletedError { adapterId }
    ... on CreateGenerationGridSuccess { grid { id } }
  }
}`;

const GRID = `query ($id: ID!) {
  generationGrid(id: $id) {
    id prompt weights seeds cellCount baseModel { id }
    adapters {
      adapter { id }
      rows {
        weight
        cells { weight seed job { id status seed kind adapters { weight adapter { id } } samples { seed kind imageUrl audio { url } scores { noteCount } ratingCount } } }
      }
    }
  }
}`;

interface GridView {
  id: string;
  weights: number[];
  seeds: number[];
  cellCount: number;
  adapters: {
    adapter: { id: string };
    rows: {
      weight: number;
      cells: {
        weight: number;
        seed: number;
        job: { id: string; status: string; seed: number; kind: string; adapters: { weight: number; adapter: { id: string } }[]; samples: { seed: number; kind: string; imageUrl: string | null; audio: { url: string } | null }[] };
      }[];
    }[];
  }[];
}

type Cell = GridView["adapters"][number]["rows"][number]["cells"][number];

async function ok<T = any>(app: TestApp, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.gql<T>(query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

async function createGrid(app: TestApp, input: Record<string, unknown>) {
  return (await ok(app, CREATE_GRID, { input })).createGenerationGrid;
}

/** The grid once every job has ended. */
function finishedGrid(app: TestApp, id: string): Promise<GridView> {
  return eventually(
    "every job of the grid to end",
    async () => {
      const grid = (await ok<{ generationGrid: GridView }>(app, GRID, { id })).generationGrid;
      return cellsOf(grid).every((cell) => ["DONE", "FAILED"].includes(cell.job.status)) && grid;
    },
    120_000,
  );
}

const cellsOf = (grid: GridView): (Cell & { adapterId: string })[] =>
  grid.adapters.flatMap((part) => part.rows.flatMap((row) => row.cells.map((cell) => ({ ...cell, adapterId: part.adapter.id }))));

/** Each cell's job applies its adapter alone at the row's weight and is drawn with the column's seed. */
function expectCellsMatchTheirJobs(grid: GridView): void {
  for (const cell of cellsOf(grid)) {
    expect(cell.job.status).toBe("DONE");
    expect(cell.job.adapters).toEqual([{ weight: cell.weight, adapter: { id: cell.adapterId } }]);
    expect(cell.job.seed).toBe(cell.seed);
    expect(cell.job.samples.map((sample) => sample.seed)).toEqual([cell.seed]);
  }
}

describe("generation grids on the built-in melody model", () => {
  let app: TestApp;
  let adapters: string[];
  let deleted: string;

  const BASE = { prompt: "a gentle waltz in C major", baseModelId: "tunes-s", durationSeconds: 2 };

  /** Everything a refused grid could have stored or changed. */
  async function stored() {
    const prisma = app.deps.db.prisma;
    return {
      grids: await prisma.generationGrid.count(),
      jobs: await prisma.generationJob.count(),
      usage: (await prisma.adapter.findMany({ select: { usageCount: true }, orderBy: { id: "asc" } })).map((adapter) => adapter.usageCount),
    };
  }

  beforeAll(async () => {
    app = await startTestApp({ env: { SIDECAR: "embedded" } });
    adapters = [await registerTunesAdapter(app, "waltz-a", { seed: 1 }), await registerTunesAdapter(app, "waltz-b", { seed: 2 })];
    deleted = await registerTunesAdapter(app, "gone", { seed: 3 });
    await ok(app, `mutation ($id: ID!) { deleteAdapter(id: $id) { __typename } }`, { id: deleted });
    await connectedSidecar(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("runs 2 adapters × 2 weights × 2 seeds as 8 jobs, laid out as rows of weights and columns of seeds", async () => {
    const created = await createGrid(app, { ...BASE, adapters: adapters.map((adapterId) => ({ adapterId })), weights: [0.5, 1.5], seeds: [7, 42] });
    expect(created.__typename, JSON.stringify(created)).toBe("CreateGenerationGridSuccess");

    const grid = await finishedGrid(app, created.grid.id);
    expect(grid).toMatchObject({ weights: [0.5, 1.5], seeds: [7, 42], cellCount: 8 });
    expect(grid.adapters.map((part) => part.adapter.id)).toEqual(adapters);
    for (const part of grid.adapters) {
      expect(part.rows.map((row) => row.weight)).toEqual([0.5, 1.5]);
      for (const row of part.rows) expect(row.cells.map((cell) => [cell.weight, cell.seed])).toEqual([[row.weight, 7], [row.weight, 42]]);
    }
    expectCellsMatchTheirJobs(grid);
    expect(cellsOf(grid).every((cell) => cell.job.kind === "AUDIO" && cell.job.samples[0]!.audio !== null)).toBe(true);
    expect(new Set(cellsOf(grid).map((cell) => cell.job.id)).size).toBe(8);

    const usage = await app.deps.db.prisma.adapter.findMany({ where: { id: { in: adapters } }, select: { usageCount: true } });
    expect(usage.map((adapter) => adapter.usageCount)).toEqual([4, 4]);
    const listed = await ok(app, `{ generationGrids(first: 5) { totalCount edges { node { id cellCount } } } }`);
    expect(listed.generationGrids).toEqual({ totalCount: 1, edges: [{ node: { id: grid.id, cellCount: 8 } }] });
  });

  it("refuses a grid of more than 100 cells with its count, storing nothing", async () => {
    const before = await stored();
    const seeds = Array.from({ length: 51 }, (_, index) => index);
    const refused = await createGrid(app, { ...BASE, adapters: adapters.map((adapterId) => ({ adapterId })), weights: [1], seeds });
    expect(refused).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
    expect(refused.message).toMatch(/at most 100 cells .*2 × 1 × 51 = 102/);
    expect(await stored()).toEqual(before);
  });

  it("refuses a weight out of range, a repeated seed and a deleted adapter, storing nothing", async () => {
    const before = await stored();
    const one = [{ adapterId: adapters[0] }];

    const heavy = await createGrid(app, { ...BASE, adapters: one, weights: [1, 2.5], seeds: [1] });
    expect(heavy).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "weights.1", message: "weight must be between 0.0 and 2.0" }] });

    const repeated = await createGrid(app, { ...BASE, adapters: one, weights: [1], seeds: [3, 4, 3] });
    expect(repeated).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "seeds.2", message: "seed 3 is listed twice; give each once" }] });

    const gone = await createGrid(app, { ...BASE, adapters: [...one, { adapterId: deleted }], weights: [1], seeds: [1] });
    expect(gone).toMatchObject({ __typename: "AdapterDeletedError", code: "ADAPTER_DELETED", adapterId: deleted });

    expect(await stored()).toEqual(before);
  });
});

describe("generation grids on an image backend", () => {
  let app: TestApp;
  let a1111: A1111ContractServer;
  let loraDir: string;
  let adapter: string;

  beforeAll(async () => {
    loraDir = await mkdtemp(join(tmpdir(), "grid-loras-"));
    a1111 = await startA1111ContractServer({ loraDir });
    const backends = [{ name: "a1111", kind: "a1111", url: a1111.url, baseModels: ["sd15"], loraDir, defaults: { steps: 2, width: 64, height: 64 } }];
    app = await startTestApp({ env: { GENERATION_BACKENDS: JSON.stringify(backends), DELIVERY_ALLOWED_HOSTS: new URL(a1111.url).host } });
    const { body } = await upload(app.url, [{ name: "fox-style.safetensors", data: kohyaAdapter({ seed: 11, baseModelVersion: "sd_v1" }) }], { name: "fox-style", version: "1" });
    expect(body.data.uploadAdapter.__typename, JSON.stringify(body)).toBe("UploadAdapterSuccess");
    adapter = body.data.uploadAdapter.adapter.id;
  });

  afterAll(async () => {
    await app?.close();
    await a1111?.close();
    if (loraDir) await rm(loraDir, { recursive: true, force: true });
  });

  it("makes an image per cell with the seed asked", async () => {
    const created = await createGrid(app, { prompt: "a red fox in the snow", baseModelId: "sd15", adapters: [{ adapterId: adapter }], weights: [0.4, 1], seeds: [5, 6, 7] });
    expect(created.__typename, JSON.stringify(created)).toBe("CreateGenerationGridSuccess");

    const grid = await finishedGrid(app, created.grid.id);
    expect(cellsOf(grid)).toHaveLength(6);
    expectCellsMatchTheirJobs(grid);
    for (const cell of cellsOf(grid)) {
      expect(cell.job.kind).toBe("IMAGE");
      const response = await fetch(`${app.url}${cell.job.samples[0]!.imageUrl}`);
      expect([response.status, response.headers.get("content-type")]).toEqual([200, "image/png"]);
    }
    const seedsSent = a1111.requests.filter((request) => request.path === "/sdapi/v1/txt2img").map((request) => (request.body as { seed: number }).seed);
    expect(seedsSent.sort()).toEqual([5, 5, 6, 6, 7, 7]);
  });
});
