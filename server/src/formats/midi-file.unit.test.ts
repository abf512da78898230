import tonejs from "@tonejs/midi";
import { describe, expect, it } from "vitest";
import { encodeMelodyMidi, type MidiMelody } from "./midi-file.js";

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
