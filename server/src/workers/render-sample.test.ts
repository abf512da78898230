import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { encodeMelodyMidi } from "../formats/midi-file.js";
import { encodeWav } from "../formats/wav.js";
import { TEMPO_BPM, type Melody } from "../ml/melody.js";
import { createRandom } from "../ml/random.js";
import { generateMelody } from "../ml/styles.js";
import { renderMelody } from "../ml/synth.js";
import { createWorkerPool } from "./pool.js";

const pool = createWorkerPool(1);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "render-sample-"));
});

afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe("WorkerPool.renderSample", () => {
  it.each([
    { style: "minor-ballad", bars: 15, sampleRate: 22_050 },
    { style: "dorian-jig", bars: 20, sampleRate: 32_000 },
  ])("writes the same WAV and MIDI bytes as rendering on this thread: $style at $sampleRate Hz", async ({ style, bars, sampleRate }) => {
    const melody: Melody = generateMelody(style, createRandom(7), { bars });
    const trackName = `a ${style} #1`;
    const audioPath = join(dir, `${style}.wav`);
    const midiPath = join(dir, `${style}.mid`);

    await pool.renderSample({ melody, sampleRate, trackName, audioPath, midiPath });

    const wav = Buffer.from(encodeWav(renderMelody(melody, { sampleRate }), sampleRate));
    const midi = Buffer.from(encodeMelodyMidi(melody, { bpm: TEMPO_BPM, name: trackName }));
    expect((await readFile(audioPath)).equals(wav)).toBe(true);
    expect((await readFile(midiPath)).equals(midi)).toBe(true);
  });

  it("rejects a failed write with its errno code, as a write on this thread would", async () => {
    const missing = join(dir, "no-such-folder");
    const melody: Melody = { notes: [{ pitch: 60, start: 0, duration: 4 }], lengthSteps: 4, meter: { beatsPerBar: 4, stepsPerBeat: 4 } };

    const error = await pool.renderSample({ melody, sampleRate: 22_050, trackName: "x", audioPath: join(missing, "sample.wav"), midiPath: join(missing, "sample.mid") }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "ENOENT", message: expect.stringContaining("no-such-folder") });
  });

  it("refuses a melody outside the contract before it reaches a worker", async () => {
    const completed = pool.stats().completed;
    const melody: Melody = { notes: [{ pitch: 60, start: 2, duration: 4 }], lengthSteps: 4, meter: { beatsPerBar: 4, stepsPerBeat: 4 } };

    await expect(pool.renderSample({ melody, sampleRate: 22_050, trackName: "x", audioPath: join(dir, "late.wav"), midiPath: join(dir, "late.mid") })).rejects.toThrow(ZodError);
    expect(pool.stats().completed).toBe(completed);
  });
});
