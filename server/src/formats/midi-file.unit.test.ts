import tonejs from "@tonejs/midi";
import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { decodeMelodyMidi, encodeMelodyMidi, type MidiMelody } from "./midi-file.js";

const notes = [
  { pitch: 60, start: 0, duration: 4 },
  { pitch: 64, start: 4, duration: 2 },
  { pitch: 67, start: 8, duration: 8 },
];

function read(melody: MidiMelody) {
  return new tonejs.Midi(encodeMelodyMidi(melody, { bpm: 120, name: "a gentle waltz" }));
}

describe("encodeMelodyMidi", () => {
  it("writes the notes on the 16th grid (four steps a quarter), the tempo and the track's name", () => {
    const midi = read({ notes, meter: { beatsPerBar: 4, stepsPerBeat: 4 } });
    const perStep = midi.header.ppq / 4;
    expect(midi.header.tempos[0]!.bpm).toBeCloseTo(120, 6);
    expect(midi.tracks).toHaveLength(1);
    expect(midi.tracks[0]!.name).toBe("a gentle waltz");
    expect(midi.tracks[0]!.notes.map((note) => [note.midi, note.ticks / perStep, note.durationTicks / perStep])).toEqual(notes.map((n) => [n.pitch, n.start, n.duration]));
    expect(midi.tracks[0]!.notes[0]!.time).toBeCloseTo(0, 6);
    expect(midi.tracks[0]!.notes[1]!.time, "a step is 0.125 s at 120 bpm").toBeCloseTo(0.5, 6);
  });

  it.each([
    [{ beatsPerBar: 3, stepsPerBeat: 4 }, [3, 4]],
    [{ beatsPerBar: 2, stepsPerBeat: 4 }, [2, 4]],
    [{ beatsPerBar: 2, stepsPerBeat: 6 }, [6, 8]],
    [{ beatsPerBar: 3, stepsPerBeat: 2 }, [3, 8]],
    [{ beatsPerBar: 2, stepsPerBeat: 8 }, [2, 2]],
    [{ beatsPerBar: 5, stepsPerBeat: 3 }, [15, 16]],
  ])("writes the meter %o as the time signature %o", (meter, signature) => {
    expect(read({ notes, meter }).header.timeSignatures[0]!.timeSignature).toEqual(signature);
  });
});

describe("decodeMelodyMidi", () => {
  const limits = { maxFileNotes: 1_000, maxMelodyNotes: 100 };

  function tracks(notes: { midi: number; ticks: number; durationTicks: number; channel?: number }[][], timeSignature?: [number, number]) {
    const midi = new tonejs.Midi();
    if (timeSignature) midi.header.timeSignatures.push({ ticks: 0, timeSignature });
    for (const trackNotes of notes) {
      const track = midi.addTrack();
      track.channel = trackNotes[0]?.channel ?? 0;
      for (const note of trackNotes) track.addNote(note);
    }
    return midi.toArray();
  }

  it("reads back what encodeMelodyMidi wrote, with the track's name", () => {
    for (const meter of [{ beatsPerBar: 3, stepsPerBeat: 4 }, { beatsPerBar: 2, stepsPerBeat: 6 }, { beatsPerBar: 2, stepsPerBeat: 8 }]) {
      const bytes = encodeMelodyMidi({ notes, meter }, { bpm: 120, name: "a gentle waltz" });
      expect(decodeMelodyMidi(bytes, limits)).toEqual({ notes, meter, trackName: "a gentle waltz" });
    }
  });

  it("quantises to 16ths and keeps the top voice, each note cut by the next onset; drums are left out", () => {
    const bytes = tracks([
      [
        { midi: 60, ticks: 0, durationTicks: 470 },
        { midi: 64, ticks: 485, durationTicks: 950 },
        { midi: 55, ticks: 480, durationTicks: 1440 },
        { midi: 67, ticks: 1200, durationTicks: 480 },
      ],
      [{ midi: 72, ticks: 1925, durationTicks: 230 }],
      [{ midi: 90, ticks: 0, durationTicks: 480, channel: 9 }],
    ], [3, 4]);
    expect(decodeMelodyMidi(bytes, limits)).toEqual({
      notes: [
        { pitch: 60, start: 0, duration: 4 },
        { pitch: 64, start: 4, duration: 6 },
        { pitch: 67, start: 10, duration: 4 },
        { pitch: 72, start: 16, duration: 2 },
      ],
      meter: { beatsPerBar: 3, stepsPerBeat: 4 },
      trackName: null,
    });
  });

  it.each([
    ["no notes", tracks([[]]), "no notes"],
    ["an unsupported time signature", tracks([[{ midi: 60, ticks: 0, durationTicks: 120 }]], [7, 32]), "unsupported time signature 7/32"],
    ["more notes in the file than allowed", tracks([Array.from({ length: 1_001 }, (_, i) => ({ midi: 60 + (i % 3), ticks: Math.floor(i / 3) * 120, durationTicks: 120 }))]), "more than 1000 notes"],
    ["more notes in the melody than allowed", tracks([Array.from({ length: 101 }, (_, i) => ({ midi: 60, ticks: i * 120, durationTicks: 120 }))]), "101 notes in its top voice on the 16th grid, more than the 100 a melody may hold"],
  ])("refuses %s", (_, bytes, reason) => {
    expect(() => decodeMelodyMidi(bytes, limits)).toThrow(FormatError);
    expect(() => decodeMelodyMidi(bytes, limits)).toThrow(reason);
  });
});
