import tonejs from "@tonejs/midi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { melodyFromMidi } from "../src/datasets/midi.js";
import { STYLES } from "../src/ml/styles.js";
import { startTestApp, type TestApp } from "./harness.js";

const { Midi } = tonejs;

const IMPORT = `mutation($files: [File!]!, $input: ImportDatasetInput!) {
  importDataset(files: $files, input: $input) {
    __typename
    ... on Error { message code }
    ... on BadUserInputError { fieldErrors { field message } }
    ... on ImportDatasetSuccess { dataset { id name description source itemCount preview { position prompt notes } } }
  }
}`;

interface Part {
  name: string;
  data: Uint8Array | string;
}

/** A GraphQL multipart request (jaydenseric's spec) for importDataset. */
async function importFiles(url: string, parts: Part[], input: Record<string, unknown>) {
  const form = new FormData();
  form.set("operations", JSON.stringify({ query: IMPORT, variables: { files: parts.map(() => null), input } }));
  form.set("map", JSON.stringify(Object.fromEntries(parts.map((_, i) => [String(i), [`variables.files.${i}`]]))));
  parts.forEach((part, i) => form.set(String(i), new Blob([Buffer.from(part.data)]), part.name));
  const res = await fetch(`${url}/graphql`, { method: "POST", body: form, headers: { "graphql-preflight": "1" } });
  const body = (await res.json()) as any;
  expect(body.errors).toBeUndefined();
  return body.data.importDataset;
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
    const result = await importFiles(app.url, [
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

  it("reads compound meters and refuses files without notes or that are not MIDI", () => {
    expect(melodyFromMidi(midiFile([[{ midi: 70, ticks: 0, durationTicks: 720 }]], [6, 8]), "jig.mid").melody)
      .toEqual({ notes: [{ pitch: 70, start: 0, duration: 6 }], lengthSteps: 12, meter: { beatsPerBar: 2, stepsPerBeat: 6 } });
    expect(() => melodyFromMidi(midiFile([[]]), "silence.mid")).toThrow("silence.mid: no notes");
    expect(() => melodyFromMidi(new TextEncoder().encode("not a midi file at all"), "notes.txt")).toThrow(/notes\.txt: not a MIDI file/);
    const truncated = WALTZ.slice(0, 30);
    expect(() => melodyFromMidi(truncated, "cut.mid")).toThrow(/cut\.mid/);
  });

  it("refuses a bad MIDI among good ones, naming the file, and stores nothing", async () => {
    const before = await counts();
    const result = await importFiles(app.url, [
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
    const result = await importFiles(app.url, [{ name: "export.jsonl", data: jsonl }], { name: "round trip", format: "JSONL" });
    expect(result.__typename).toBe("ImportDatasetSuccess");
    expect(result.dataset).toMatchObject({ source: "UPLOADED", itemCount: 25 });
    expect(await service.exportJsonlText(result.dataset.id)).toBe(jsonl);
  });

  it("refuses a bad JSONL line by its number and stores nothing", async () => {
    const good = JSON.stringify({ prompt: "a", notes: [{ pitch: 60, start: 0, duration: 4 }], lengthSteps: 16 });
    const badPitch = JSON.stringify({ prompt: "b", notes: [{ pitch: 200, start: 0, duration: 4 }], lengthSteps: 16 });
    const before = await counts();
    const result = await importFiles(app.url, [{ name: "lines.jsonl", data: [good, good, badPitch, "{oops"].join("\n") }], { name: "bad lines", format: "JSONL" });
    expect(result.__typename).toBe("BadUserInputError");
    expect(result.message).toContain("lines.jsonl line 3");
    expect(result.message).toContain("pitch");
    expect(result.message).toContain("lines.jsonl line 4: not valid JSON");
    expect(await counts()).toEqual(before);

    const two = await importFiles(app.url, [{ name: "a.jsonl", data: good }, { name: "b.jsonl", data: good }], { name: "two files", format: "JSONL" });
    expect(two).toMatchObject({ __typename: "BadUserInputError", message: expect.stringContaining("exactly one file") });
  });

  it("refuses a name already taken with CONFLICT", async () => {
    const first = await importFiles(app.url, [{ name: "tune.mid", data: MINUET }], { name: "taken", format: "MIDI" });
    expect(first.__typename).toBe("ImportDatasetSuccess");
    const before = await counts();
    const again = await importFiles(app.url, [{ name: "tune.mid", data: MINUET }], { name: "taken", format: "MIDI" });
    expect(again).toMatchObject({ __typename: "ConflictError", code: "CONFLICT", message: expect.stringContaining("taken") });
    expect(await counts()).toEqual(before);
  });
});
