import tonejs from "@tonejs/midi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSONL_LINE_CHARS } from "../src/datasets/import.js";
import { MAX_ITEMS } from "../src/datasets/inputs.js";
import { STYLES } from "../src/ml/styles.js";
import { importDatasetFiles, type UploadPart } from "./datasets-fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

const { Midi } = tonejs;

/** Asserts a GraphQL answer (no protocol error) and returns importDataset's result. */
async function importFiles(app: TestApp, parts: UploadPart[], input: Record<string, unknown>) {
  const body = await importDatasetFiles(app, parts, input);
  expect(body.errors).toBeUndefined();
  return body.data!.importDataset;
}

interface MidiNote {
  midi: number;
  ticks: number;
  durationTicks: number;
}

/** Real MIDI bytes (480 PPQ: a 16th is 120 ticks), one track per array of notes. */
function midiFile(tracks: MidiNote[][], timeSignature?: [number, number]): Uint8Array {
  const midi = new Midi();
  if (timeSignature) midi.header.timeSignatures.push({ ticks: 0, timeSignature });
  for (const notes of tracks) {
    const track = midi.addTrack();
    for (const note of notes) track.addNote(note);
  }
  return midi.toArray();
}

/** Off-grid onsets and lengths, a lower note under the top voice, and a second track above. */
const WALTZ = midiFile(
  [
    [
      { midi: 60, ticks: 0, durationTicks: 470 }, // step 0, 3.9 steps -> 4
      { midi: 64, ticks: 485, durationTicks: 950 }, // step 4 until 12, cut at 10 by the next onset
      { midi: 55, ticks: 480, durationTicks: 1440 }, // same onset, lower: not the top voice
      { midi: 67, ticks: 1200, durationTicks: 480 }, // step 10, 4 steps
    ],
    [{ midi: 72, ticks: 1925, durationTicks: 230 }], // step 16, 2 steps
  ],
  [3, 4],
);
const MINUET = midiFile([[{ midi: 62, ticks: 0, durationTicks: 960 }]]);

describe("importDataset", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  const counts = () =>
    Promise.all([app.deps.db.prisma.dataset.count(), app.deps.db.prisma.datasetItem.count(), app.deps.db.prisma.activityEvent.count()]);

  it("imports MIDI files: quantised to 16ths, the top voice kept, the meter and prompt from the file", async () => {
    const result = await importFiles(app, [
      { name: "waltz_in_G.mid", data: WALTZ },
      { name: "Minuet-no-2.mid", data: MINUET },
    ], { name: "imported midi", description: "two files", format: "MIDI" });
    expect(result.__typename).toBe("ImportDatasetSuccess");
    const { dataset } = result;
    expect(dataset).toMatchObject({ name: "imported midi", description: "two files", source: "UPLOADED", itemCount: 2 });
    expect(dataset.preview[0]).toEqual({
      position: 0,
      prompt: "waltz in G",
      notes: {
        notes: [
          { pitch: 60, start: 0, duration: 4 },
          { pitch: 64, start: 4, duration: 6 },
          { pitch: 67, start: 10, duration: 4 },
          { pitch: 72, start: 16, duration: 2 },
        ],
        lengthSteps: 24,
        meter: { beatsPerBar: 3, stepsPerBeat: 4 },
      },
    });
    expect(dataset.preview[1]).toEqual({
      position: 1,
      prompt: "Minuet no 2",
      notes: { notes: [{ pitch: 62, start: 0, duration: 8 }], lengthSteps: 16, meter: { beatsPerBar: 4, stepsPerBeat: 4 } },
    });
  });

  it("reads compound meters and refuses files without notes or that are not MIDI, naming each", async () => {
    const jig = await importFiles(app, [{ name: "jig.mid", data: midiFile([[{ midi: 70, ticks: 0, durationTicks: 720 }]], [6, 8]) }], { name: "jig", format: "MIDI" });
    expect(jig.dataset.preview[0].notes).toEqual({ notes: [{ pitch: 70, start: 0, duration: 6 }], lengthSteps: 12, meter: { beatsPerBar: 2, stepsPerBeat: 6 } });
    const refused = await importFiles(app, [
      { name: "silence.mid", data: midiFile([[]]) },
      { name: "notes.txt", data: "not a midi file at all" },
      { name: "cut.mid", data: WALTZ.slice(0, 30) },
    ], { name: "refused", format: "MIDI" });
    expect(refused.fieldErrors).toEqual([
      { field: "files.0", message: "silence.mid: no notes" },
      { field: "files.1", message: expect.stringMatching(/^notes\.txt: not a MIDI file/) },
      { field: "files.2", message: expect.stringMatching(/^cut\.mid: the file is cut short/) },
    ]);
  });

  it("refuses a bad MIDI among good ones, naming the file, and stores nothing", async () => {
    const before = await counts();
    const result = await importFiles(app, [
      { name: "good.mid", data: MINUET },
      { name: "broken.mid", data: "MThd but not really a midi file" },
      { name: "also-good.mid", data: WALTZ },
    ], { name: "half broken", format: "MIDI" });
    expect(result.__typename).toBe("BadUserInputError");
    expect(result.code).toBe("BAD_USER_INPUT");
    expect(result.message).toContain("broken.mid");
    expect(result.message).not.toMatch(/\bgood\.mid|also-good\.mid/);
    expect(result.fieldErrors).toEqual([{ field: "files.1", message: expect.stringContaining("broken.mid") }]);
    expect(await counts()).toEqual(before);
    expect(await app.deps.db.prisma.dataset.findUnique({ where: { name: "half broken" } })).toBeNull();
  });

  it("imports a JSONL export back unchanged", async () => {
    const service = app.deps.services.datasets;
    const generated = await service.generate({ name: "to export", style: STYLES[0]!.id, count: 25, seed: 11 });
    const jsonl = await service.exportJsonlText(generated.id);
    const result = await importFiles(app, [{ name: "export.jsonl", data: jsonl }], { name: "round trip", format: "JSONL" });
    expect(result.__typename).toBe("ImportDatasetSuccess");
    expect(result.dataset).toMatchObject({ source: "UPLOADED", itemCount: 25 });
    expect(await service.exportJsonlText(result.dataset.id)).toBe(jsonl);
  });

  it("refuses a bad JSONL line by its number and stores nothing", async () => {
    const good = JSON.stringify({ prompt: "a", notes: [{ pitch: 60, start: 0, duration: 4 }], lengthSteps: 16 });
    const badPitch = JSON.stringify({ prompt: "b", notes: [{ pitch: 200, start: 0, duration: 4 }], lengthSteps: 16 });
    const before = await counts();
    const result = await importFiles(app, [{ name: "lines.jsonl", data: [good, good, badPitch, "{oops"].join("\n") }], { name: "bad lines", format: "JSONL" });
    expect(result.__typename).toBe("BadUserInputError");
    expect(result.message).toContain("lines.jsonl line 3");
    expect(result.message).toContain("pitch");
    expect(result.message).toContain("lines.jsonl line 4: not valid JSON");
    expect(await counts()).toEqual(before);

    const two = await importFiles(app, [{ name: "a.jsonl", data: good }, { name: "b.jsonl", data: good }], { name: "two files", format: "JSONL" });
    expect(two).toMatchObject({ __typename: "BadUserInputError", message: expect.stringContaining("exactly one file") });
  });

  it("reads CRLF lines, and stops at the first example past the limit or a line longer than any example", async () => {
    const line = JSON.stringify({ prompt: "a", notes: [{ pitch: 60, start: 0, duration: 4 }], lengthSteps: 16 });
    const crlf = await importFiles(app, [{ name: "windows.jsonl", data: `${line}\r\n${line}\r\n` }], { name: "crlf", format: "JSONL" });
    expect(crlf).toMatchObject({ __typename: "ImportDatasetSuccess", dataset: { itemCount: 2 } });

    const before = await counts();
    const tooMany = await importFiles(app, [{ name: "many.jsonl", data: Array.from({ length: MAX_ITEMS + 1 }, () => line).join("\n") }], { name: "too many", format: "JSONL" });
    expect(tooMany.fieldErrors).toEqual([{ field: "files.0", message: `many.jsonl: more than ${MAX_ITEMS} examples` }]);
    const overlong = await importFiles(app, [{ name: "long.jsonl", data: `${line}\n${"x".repeat(MAX_JSONL_LINE_CHARS + 1)}\n${line}` }], { name: "overlong", format: "JSONL" });
    expect(overlong.fieldErrors).toEqual([{ field: "files.0", message: `long.jsonl line 2 is longer than ${MAX_JSONL_LINE_CHARS} characters: no example is that long` }]);
    expect(await counts()).toEqual(before);
  });

  it("refuses a name already taken with CONFLICT", async () => {
    const first = await importFiles(app, [{ name: "tune.mid", data: MINUET }], { name: "taken", format: "MIDI" });
    expect(first.__typename).toBe("ImportDatasetSuccess");
    const before = await counts();
    const again = await importFiles(app, [{ name: "tune.mid", data: MINUET }], { name: "taken", format: "MIDI" });
    expect(again).toMatchObject({ __typename: "ConflictError", code: "CONFLICT", message: expect.stringContaining("taken") });
    expect(await counts()).toEqual(before);
  });
});
