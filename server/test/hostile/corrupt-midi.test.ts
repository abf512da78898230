import tonejs from "@tonejs/midi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunk, chunkOffsets, importDatasetFiles, midiFromChunks, withChunkLengthChanged } from "../datasets-fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";

/** Issue 10, item 8: a damaged MIDI file was imported with the notes read so far. */

/** As a sequencer writes it: a tempo track, then two tracks of a few notes each. */
function twoTrackFile(): Uint8Array {
  const midi = new tonejs.Midi();
  for (const pitches of [[60, 62, 64, 65], [48, 55]]) {
    const track = midi.addTrack();
    pitches.forEach((pitch, i) => track.addNote({ midi: pitch, ticks: i * 480, durationTicks: 480 }));
  }
  return midi.toArray();
}

describe("importDataset refuses damaged MIDI files, naming each", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  const counts = () => Promise.all([app.deps.db.prisma.dataset.count(), app.deps.db.prisma.datasetItem.count()]);

  it("refuses a file cut mid-track, a track one byte short or long of its declared length, and a track without End of Track", async () => {
    const good = twoTrackFile();
    const before = await counts();
    const result = await importDatasetFiles(app, [
      { name: "good.mid", data: good },
      { name: "cut.mid", data: good.subarray(0, chunkOffsets(good)[1]! + 8 + 10) },
      { name: "short.mid", data: withChunkLengthChanged(good, 1, -1) },
      { name: "long.mid", data: withChunkLengthChanged(good, 1, +1) },
      { name: "open.mid", data: midiFromChunks([chunk("MTrk", [0, 0x90, 60, 100, 120, 0x80, 60, 0])]) },
    ], { name: "damaged", format: "MIDI" });

    expect(result.errors).toBeUndefined();
    expect(result.data!.importDataset).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
    expect(result.data!.importDataset.fieldErrors).toEqual([
      { field: "files.1", message: expect.stringMatching(/^cut\.mid: the file is cut short: track 2 of 3 declares \d+ bytes, 10 remain$/) },
      { field: "files.2", message: "short.mid: track 2 of 3 is cut short: an event runs past its declared length" },
      { field: "files.3", message: "long.mid: track 2 of 3 has 1 byte after its End of Track: its declared length does not match its events" },
      { field: "files.4", message: "open.mid: track 1 of 1 ends without End of Track: the file is cut short or its declared length is wrong" },
    ]);
    expect(result.data!.importDataset.message).not.toContain("good.mid");
    expect(await counts()).toEqual(before);
    await expectLive(app);
  });

  it("still imports the undamaged file", async () => {
    const result = await importDatasetFiles(app, [{ name: "good.mid", data: twoTrackFile() }], { name: "undamaged", format: "MIDI" });
    expect(result.data!.importDataset).toMatchObject({ __typename: "ImportDatasetSuccess", dataset: { itemCount: 1 } });
    expect(result.data!.importDataset.dataset.preview[0].notes.notes).toHaveLength(4);
  });
});
