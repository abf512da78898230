import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STYLES } from "../src/ml/styles.js";
import { startTestApp, type TestApp } from "./harness.js";

const DATASET_FIELDS = "id name description source style seed itemCount createdAt updatedAt preview { id position prompt notes }";
const RESULT = (success: string) => `
  __typename
  ... on Error { message code }
  ... on BadUserInputError { fieldErrors { field message } }
  ... on ${success} { dataset { ${DATASET_FIELDS} } }`;

const GENERATE = `mutation($input: GenerateDatasetInput!) { generateDataset(input: $input) { ${RESULT("GenerateDatasetSuccess")} } }`;
const CREATE = `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { ${RESULT("CreateDatasetSuccess")} } }`;
const LIST = `query($first: Int, $after: String) { datasets(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id name itemCount } } } }`;
const ITEMS = `query($id: ID!, $first: Int, $after: String) { dataset(id: $id) { id
  items(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id position prompt notes } } } } }`;

interface Item {
  id: string;
  position: number;
  prompt: string;
  notes: { notes: { pitch: number; start: number; duration: number }[]; lengthSteps: number; meter: { beatsPerBar: number; stepsPerBeat: number } };
}

describe("datasets", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  async function mutate(query: string, input: Record<string, unknown>, field: string) {
    const { data, errors } = await app.gql(query, { input });
    expect(errors).toBeUndefined();
    return data[field];
  }
  const generate = (input: Record<string, unknown>) => mutate(GENERATE, input, "generateDataset");
  const create = (input: Record<string, unknown>) => mutate(CREATE, input, "createDataset");

  async function allItems(id: string, pageSize = 100): Promise<Item[]> {
    const items: Item[] = [];
    let after: string | null = null;
    for (;;) {
      const { data, errors }: { data?: any; errors?: unknown } = await app.gql(ITEMS, { id, first: pageSize, after });
      expect(errors).toBeUndefined();
      const connection: { edges: { node: Item }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = data.dataset.items;
      items.push(...connection.edges.map((e: { node: Item }) => e.node));
      if (!connection.pageInfo.hasNextPage) return items;
      after = connection.pageInfo.endCursor;
    }
  }

  const counts = () =>
    Promise.all([app.deps.db.prisma.dataset.count(), app.deps.db.prisma.datasetItem.count(), app.deps.db.prisma.activityEvent.count()]);

  it("generates a dataset in a style, deterministic by seed", async () => {
    const style = STYLES[0]!;
    const first = await generate({ name: "waltzes", style: style.id, count: 120, seed: 42 });
    expect(first.__typename).toBe("GenerateDatasetSuccess");
    expect(first.dataset).toMatchObject({ name: "waltzes", source: "GENERATED", style: style.id, seed: 42, itemCount: 120, description: "" });
    expect(first.dataset.preview.map((item: Item) => item.position)).toEqual([0, 1, 2, 3, 4]);

    const items = await allItems(first.dataset.id, 50);
    expect(items).toHaveLength(120);
    expect(items.map((item) => item.position)).toEqual([...Array(120).keys()]);
    for (const item of items) {
      expect(style.words.kinds.some((kind) => item.prompt.includes(kind))).toBe(true);
      expect(item.prompt).toContain(style.words.mode);
      expect(item.notes.notes.length).toBeGreaterThan(0);
      expect(item.notes.meter).toEqual(style.meter);
    }

    const again = await generate({ name: "waltzes again", style: style.id, count: 120, seed: 42 });
    const other = await generate({ name: "other seed", style: style.id, count: 120, seed: 43 });
    const strip = (list: Item[]) => list.map(({ position, prompt, notes }) => ({ position, prompt, notes }));
    expect(strip(await allItems(again.dataset.id))).toEqual(strip(items));
    expect(strip(await allItems(other.dataset.id))).not.toEqual(strip(items));
  });

  it("creates a dataset from explicit items and exports it to JSONL", async () => {
    const items = [
      { prompt: "a rising line", notes: [{ pitch: 60, start: 0, duration: 4 }, { pitch: 64, start: 4, duration: 4 }, { pitch: 67, start: 8, duration: 8 }] },
      { prompt: "a waltz bar", notes: [{ pitch: 72, start: 0, duration: 12 }], meter: { beatsPerBar: 3, stepsPerBeat: 4 } },
      { prompt: "  one long note  ", notes: [{ pitch: 0, start: 3, duration: 20 }], lengthSteps: 40 },
    ];
    const result = await create({ name: "  hand made  ", description: "by hand", items });
    expect(result.__typename).toBe("CreateDatasetSuccess");
    expect(result.dataset).toMatchObject({ name: "hand made", description: "by hand", source: "MANUAL", style: null, seed: null, itemCount: 3 });

    const stored = await allItems(result.dataset.id);
    expect(stored.map((item) => item.prompt)).toEqual(["a rising line", "a waltz bar", "one long note"]);
    expect(stored[0]!.notes).toEqual({ notes: items[0]!.notes, lengthSteps: 16, meter: { beatsPerBar: 4, stepsPerBeat: 4 } });
    expect(stored[1]!.notes).toEqual({ notes: items[1]!.notes, lengthSteps: 12, meter: { beatsPerBar: 3, stepsPerBeat: 4 } });
    expect(stored[2]!.notes.lengthSteps).toBe(40);

    const jsonl = await app.deps.services.datasets.exportJsonlText(result.dataset.id);
    const lines = jsonl.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines).toEqual(stored.map((item) => ({ prompt: item.prompt, ...item.notes })));
    expect(Object.keys(lines[0]!)).toEqual(["prompt", "notes", "lengthSteps", "meter"]);
  });

  it("exports a generated dataset item for item, past one export page", async () => {
    const result = await generate({ name: "big export", style: STYLES[0]!.id, count: 1234, seed: 7 });
    const stored = await allItems(result.dataset.id, 500);
    const lines: unknown[] = [];
    for await (const line of app.deps.services.datasets.exportJsonl(result.dataset.id)) lines.push(JSON.parse(line));
    expect(lines).toHaveLength(1234);
    expect(lines).toEqual(stored.map((item) => ({ prompt: item.prompt, ...item.notes })));
  });

  it("records a DATASET_CREATED activity event", async () => {
    const result = await generate({ name: "with activity", style: STYLES[0]!.id, count: 3, seed: 1 });
    const events = await app.deps.db.prisma.activityEvent.findMany({ where: { subjectId: result.dataset.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "DATASET_CREATED", subjectType: "Dataset", data: { source: "GENERATED", itemCount: 3, style: STYLES[0]!.id, seed: 1 } });
  });

  it("refuses a duplicate name with CONFLICT and stores nothing", async () => {
    await create({ name: "taken", items: [{ prompt: "x", notes: [{ pitch: 60, start: 0, duration: 1 }] }] });
    const before = await counts();
    const again = await create({ name: " taken ", items: [{ prompt: "y", notes: [{ pitch: 61, start: 0, duration: 1 }] }] });
    expect(again).toMatchObject({ __typename: "ConflictError", code: "CONFLICT" });
    const generated = await generate({ name: "taken", style: STYLES[0]!.id, count: 5, seed: 1 });
    expect(generated).toMatchObject({ __typename: "ConflictError", code: "CONFLICT" });
    expect(await counts()).toEqual(before);
  });

  const note = { pitch: 60, start: 0, duration: 4 };
  it.each([
    ["an empty name", CREATE, { name: "   ", items: [{ prompt: "p", notes: [note] }] }, "name"],
    ["no items", CREATE, { name: "n", items: [] }, "items"],
    ["an empty prompt", CREATE, { name: "n", items: [{ prompt: " ", notes: [note] }] }, "items.0.prompt"],
    ["a long prompt", CREATE, { name: "n", items: [{ prompt: "x".repeat(501), notes: [note] }] }, "items.0.prompt"],
    ["no notes", CREATE, { name: "n", items: [{ prompt: "p", notes: [] }] }, "items.0.notes"],
    ["a pitch above 127", CREATE, { name: "n", items: [{ prompt: "p", notes: [note, { ...note, pitch: 128 }] }] }, "items.0.notes.1.pitch"],
    ["a negative start", CREATE, { name: "n", items: [{ prompt: "p", notes: [{ ...note, start: -1 }] }] }, "items.0.notes.0.start"],
    ["a zero duration", CREATE, { name: "n", items: [{ prompt: "p", notes: [{ ...note, duration: 0 }] }] }, "items.0.notes.0.duration"],
    ["a length before the last note", CREATE, { name: "n", items: [{ prompt: "p", notes: [note], lengthSteps: 2 }] }, "items.0.lengthSteps"],
    ["count 0", GENERATE, { name: "n", style: STYLES[0]!.id, count: 0, seed: 1 }, "count"],
    ["count 5001", GENERATE, { name: "n", style: STYLES[0]!.id, count: 5001, seed: 1 }, "count"],
    ["an empty generated name", GENERATE, { name: "", style: STYLES[0]!.id, count: 3, seed: 1 }, "name"],
  ])("refuses %s with BAD_USER_INPUT and stores nothing", async (_label, query, input, field) => {
    const before = await counts();
    const { data, errors } = await app.gql(query, { input });
    expect(errors).toBeUndefined();
    const result = Object.values(data as Record<string, any>)[0];
    expect(result).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
    expect(result.fieldErrors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it("refuses an unknown style, listing the valid ones", async () => {
    const before = await counts();
    const result = await generate({ name: "no such style", style: "polka", count: 3, seed: 1 });
    expect(result).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
    expect(result.fieldErrors[0].field).toBe("style");
    for (const style of STYLES) expect(result.message).toContain(style.id);
    expect(await counts()).toEqual(before);
  });

  it("pages datasets newest first with a total count", async () => {
    const total = await app.deps.db.prisma.dataset.count();
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data, errors }: { data?: any; errors?: unknown } = await app.gql(LIST, { first: 2, after });
      expect(errors).toBeUndefined();
      expect(data.datasets.totalCount).toBe(total);
      names.push(...data.datasets.edges.map((e: { node: { name: string } }) => e.node.name));
      if (!data.datasets.pageInfo.hasNextPage) break;
      after = data.datasets.pageInfo.endCursor;
    }
    const expected = await app.deps.db.prisma.dataset.findMany({ orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
    expect(names).toEqual(expected.map((d) => d.name));
    expect(names.indexOf("waltzes")).toBeGreaterThan(names.indexOf("hand made"));
  });

  it("answers null for a missing dataset", async () => {
    const { data, errors } = await app.gql(`query($id: ID!) { dataset(id: $id) { id } }`, { id: "00000000-0000-0000-0000-000000000000" });
    expect(errors).toBeUndefined();
    expect(data.dataset).toBeNull();
  });
});
