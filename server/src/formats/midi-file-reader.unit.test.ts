import { describe, expect, it } from "vitest";
import { chunk, concat, END_OF_TRACK, midiFromChunks } from "../../test/datasets-fixtures.js";
import { FormatError } from "./errors.js";
import { readMidiFile } from "./midi-file-reader.js";

const LIMITS = { maxNotes: 1_000 };
const read = (bytes: Uint8Array) => readMidiFile(bytes, LIMITS);
const track = (...events: number[]) => chunk("MTrk", [...events, ...END_OF_TRACK]);

/** Two notes on channel 1 written with running status, the second closed by a note-on of velocity 0. */
const MELODY = track(0, 0x90, 60, 100, 120, 0x80, 60, 0, 0, 0x90, 64, 90, 120, 64, 0);

describe("readMidiFile", () => {
  it("reads notes with running status and note-on velocity 0 as note-off, the earliest time signature and the first track name", () => {
    const names = track(0, 0xff, 0x03, 3, 0x20, 0x20, 0x20, 0, 0xff, 0x03, 5, ...new TextEncoder().encode("waltz"), 0x87, 0x40, 0xff, 0x58, 4, 6, 3, 24, 8);
    const earlier = track(0, 0xff, 0x58, 4, 3, 2, 24, 8);
    const file = read(midiFromChunks([names, MELODY, earlier]));
    expect(file).toEqual({
      ticksPerQuarter: 480,
      timeSignature: { numerator: 3, denominator: 4 },
      trackName: "waltz",
      notes: [
        { pitch: 60, channel: 0, ticks: 0, durationTicks: 120 },
        { pitch: 64, channel: 0, ticks: 120, durationTicks: 120 },
      ],
    });
  });

  it("pairs repeated note-ons of one pitch first in, first out, per channel, and drops notes never closed", () => {
    const overlapping = track(0, 0x90, 60, 100, 10, 60, 100, 0, 0x91, 60, 100, 10, 0x80, 60, 0, 10, 0x80, 60, 0, 0, 0x90, 72, 100);
    expect(read(midiFromChunks([overlapping])).notes).toEqual([
      { pitch: 60, channel: 0, ticks: 0, durationTicks: 20 },
      { pitch: 60, channel: 0, ticks: 10, durationTicks: 20 },
    ]);
  });

  it("skips chunk types it does not know, as the standard asks", () => {
    expect(read(midiFromChunks([chunk("XFIH", [1, 2, 3]), MELODY], 1)).notes).toHaveLength(2);
  });

  const refusals: [string, Uint8Array, RegExp][] = [
    ["no MThd header", new TextEncoder().encode("RIFF but not a MIDI file"), /^not a MIDI file/],
    ["a header longer than the file", concat([chunk("MThd", [0, 0, 0, 1, 1, 224], 600), MELODY]), /header chunk declares 600 bytes/],
    ["SMPTE timing", concat([chunk("MThd", [0, 0, 0, 1, 0xe7, 40]), MELODY]), /SMPTE/],
    ["zero ticks per quarter", concat([chunk("MThd", [0, 0, 0, 1, 0, 0]), MELODY]), /zero ticks/],
    ["no tracks", midiFromChunks([], 0), /declares no tracks/],
    ["a missing track", midiFromChunks([MELODY], 2), /cut short: track 2 of 2 is missing/],
    ["a file cut mid-track", midiFromChunks([MELODY]).subarray(0, 30), /cut short: track 1 of 1 declares 19 bytes, 8 remain/],
    ["a track one byte short of its events", midiFromChunks([chunk("MTrk", MELODY.subarray(8), MELODY.length - 9)]), /track 1 of 1 is cut short: an event runs past its declared length/],
    ["a track one byte short, then another track", midiFromChunks([chunk("MTrk", MELODY.subarray(8), MELODY.length - 9), MELODY]), /track 1 of 2 is cut short/],
    ["a track one byte longer than its events", midiFromChunks([chunk("MTrk", [...MELODY.subarray(8), 0]), MELODY]), /track 1 of 2 has 1 byte after its End of Track/],
    ["a track that ends without End of Track", midiFromChunks([chunk("MTrk", [0, 0x90, 60, 100, 120, 0x80, 60, 0])]), /track 1 of 1 ends without End of Track/],
    ["a damaged chunk type", midiFromChunks([MELODY, chunk("\u0000\u0001MT", [])], 2), /damaged chunk at byte 41, where track 2 of 2 should begin/],
    ["a data byte without a status byte", midiFromChunks([track(0, 60, 100)]), /data byte without a status byte/],
    ["a data byte above 127", midiFromChunks([track(0, 0x90, 60, 200)]), /data byte 0xc8 above 127/],
    ["a realtime status byte", midiFromChunks([track(0, 0xf8)]), /status byte 0xf8/],
    ["a variable-length number of five bytes", midiFromChunks([track(0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 60, 100)]), /longer than 4 bytes/],
    ["a meta event longer than its track", midiFromChunks([track(0, 0xff, 0x01, 100, 65, 66)]), /cut short: an event runs past/],
  ];

  it.each(refusals)("refuses %s with a FormatError saying what is wrong", (_, bytes, reason) => {
    expect(() => read(bytes)).toThrow(FormatError);
    expect(() => read(bytes)).toThrow(reason);
  });

  it("stops at the note limit", () => {
    const events: number[] = [0, 0x90];
    for (let i = 0; i < 11; i++) events.push(60, 100, 1, 60, 0, 0);
    expect(() => readMidiFile(midiFromChunks([track(...events.slice(0, -1))]), { maxNotes: 10 })).toThrow("more than 10 notes");
  });
});
