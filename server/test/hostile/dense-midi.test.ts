import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { denseMidi, importDatasetFiles } from "../datasets-fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";

/**
 * Issue 10, item 2: 200,000 notes (1.2 MB) in one importDataset file blocked the event loop for 30 s, then failed
 * with a masked error (`Math.max(...notes)` overflowed the stack).
 */

const LIVENESS_EVERY_MS = 100;

/** Runs `work` while asking /healthz every 100 ms: each answer must come in time (see liveness.ts). */
async function whileLive<T>(app: TestApp, work: Promise<T>): Promise<T> {
  let done = false;
  const watching = (async () => {
    let checks = 0;
    while (!done || checks === 0) {
      await expectLive(app);
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, LIVENESS_EVERY_MS));
    }
  })();
  try {
    return await work;
  } finally {
    done = true;
    await watching;
  }
}

describe("importDataset with a dense MIDI file", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  const counts = () => Promise.all([app.deps.db.prisma.dataset.count(), app.deps.db.prisma.datasetItem.count()]);

  it("refuses 200,000 notes in one file with BAD_USER_INPUT naming it, and /healthz answers all along", async () => {
    const dense = denseMidi(200_000);
    expect(dense.length).toBeGreaterThan(1_200_000);
    const before = await counts();
    const result = await whileLive(app, importDatasetFiles(app, [{ name: "dense.mid", data: dense }], { name: "dense", format: "MIDI" }));
    expect(result.errors).toBeUndefined();
    expect(result.data!.importDataset).toMatchObject({
      __typename: "BadUserInputError",
      code: "BAD_USER_INPUT",
      fieldErrors: [{ field: "files.0", message: "dense.mid: more than 100000 notes" }],
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses a top voice longer than one dataset item may hold, naming the file", async () => {
    const result = await whileLive(app, importDatasetFiles(app, [{ name: "long-tune.mid", data: denseMidi(5_000) }], { name: "long", format: "MIDI" }));
    expect(result.data!.importDataset.fieldErrors).toEqual([
      { field: "files.0", message: "long-tune.mid: 5000 notes in its top voice on the 16th grid, more than the 4096 a melody may hold" },
    ]);
  });

  it("imports 100,000 notes in chords whose top voice fits an item, and /healthz answers all along", async () => {
    const chords = denseMidi(100_000, 25);
    const result = await whileLive(app, importDatasetFiles(app, [{ name: "chords.mid", data: chords }], { name: "chords", format: "MIDI" }));
    expect(result.data!.importDataset).toMatchObject({ __typename: "ImportDatasetSuccess", dataset: { itemCount: 1 } });
    const melody = result.data!.importDataset.dataset.preview[0].notes;
    expect(melody.notes).toHaveLength(4_000);
    expect(melody.notes[0]).toEqual({ pitch: 72, start: 0, duration: 1 });
    expect(melody.lengthSteps).toBe(4_000);
  });
});
