import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importedItems } from "../../src/datasets/import.js";
import { barsLength, datasetItemInput } from "../../src/datasets/inputs.js";
import type { NewItem } from "../../src/datasets/service.js";
import { BadUserInputError } from "../../src/errors/domain-errors.js";
import { encodeMelodyMidi } from "../../src/formats/midi-file.js";
import type { Meter } from "../../src/ml/melody.js";
import { createWorkerPool, type WorkerPool } from "../../src/workers/pool.js";
import { chunkOffsets, withChunkLengthChanged } from "../datasets-fixtures.js";

/**
 * Random and mutated MIDI and JSONL files through importDataset's parser, with a real worker pool: it accepts every
 * valid file, refuses everything else with BAD_USER_INPUT naming the file, never throws anything else and never hangs.
 */

const RUNS = 150;
/** A run that takes longer counts as a hang. */
const RUN_TIMEOUT_MS = 10_000;
const OPTIONS = { numRuns: RUNS, timeout: RUN_TIMEOUT_MS };

/** Meters that a MIDI time signature writes and reads back unchanged (see formats/midi-file.ts). */
const METERS: Meter[] = [
  { beatsPerBar: 4, stepsPerBeat: 4 },
  { beatsPerBar: 3, stepsPerBeat: 4 },
  { beatsPerBar: 2, stepsPerBeat: 6 },
  { beatsPerBar: 3, stepsPerBeat: 2 },
  { beatsPerBar: 2, stepsPerBeat: 8 },
];

/** A monophonic melody: notes one after another, with rests between some. */
const melodyArbitrary = fc
  .record({
    prompt: fc.stringMatching(/^[a-z]{1,12}( [a-z]{1,12}){0,3}$/),
    meter: fc.constantFrom(...METERS),
    notes: fc.array(fc.record({ rest: fc.integer({ min: 0, max: 8 }), duration: fc.integer({ min: 1, max: 16 }), pitch: fc.integer({ min: 0, max: 127 }) }), { minLength: 1, maxLength: 60 }),
  })
  .map(({ prompt, meter, notes }) => {
    let start = 0;
    const placed = notes.map(({ rest, duration, pitch }) => {
      start += rest;
      const note = { pitch, start, duration };
      start += duration;
      return note;
    });
    return { prompt, melody: { notes: placed, lengthSteps: barsLength(placed, meter), meter } } satisfies NewItem;
  });

type Mutation = (bytes: Uint8Array) => Uint8Array;

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((cut): Mutation => (bytes) => bytes.slice(0, cut % bytes.length)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]): Mutation => (bytes) => {
    const flipped = bytes.slice();
    flipped[at % bytes.length] = flipped[at % bytes.length]! ^ xor;
    return flipped;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -64, max: 64 }).filter((change) => change !== 0)).map(([track, change]): Mutation => (bytes) => {
    const tracks = bytes.length >= 14 ? chunkOffsets(bytes).length : 0;
    return tracks ? withChunkLengthChanged(bytes, track % tracks, change) : bytes;
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, inserted]): Mutation => (bytes) => {
    const cut = at % bytes.length;
    return Uint8Array.from([...bytes.subarray(0, cut), ...inserted, ...bytes.subarray(cut)]);
  }),
);

const midiOf = (item: NewItem) => encodeMelodyMidi(item.melody, { bpm: 120, name: item.prompt });
const jsonlOf = (items: NewItem[]) => items.map(({ prompt, melody }) => JSON.stringify({ prompt, ...melody })).join("\n");

describe("importDataset's parser under random and mutated files", () => {
  let pool: WorkerPool;

  beforeAll(() => {
    pool = createWorkerPool(1);
  });
  afterAll(async () => pool?.close());

  /** The import's items, or its refusal; anything else thrown fails the property. */
  async function parse(format: "MIDI" | "JSONL", name: string, data: Uint8Array | string): Promise<NewItem[] | BadUserInputError> {
    try {
      return await importedItems(pool, format, [new File([Buffer.from(data)], name)]);
    } catch (error) {
      if (!(error instanceof BadUserInputError)) throw error;
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.fieldErrors.length).toBeGreaterThan(0);
      for (const { field, message } of error.fieldErrors) {
        expect(field).toBe("files.0");
        expect(message.startsWith(`${name}: `) || message.startsWith(`${name} line `), message).toBe(true);
      }
      return error;
    }
  }

  function expectValidItems(items: NewItem[]): void {
    for (const item of items) expect(datasetItemInput.safeParse({ prompt: item.prompt, ...item.melody }).success).toBe(true);
  }

  it("accepts every valid MIDI file, with its melody and the track's name as the prompt", async () => {
    await fc.assert(
      fc.asyncProperty(melodyArbitrary, async (item) => {
        expect(await parse("MIDI", ".mid", midiOf(item))).toEqual([item]);
      }),
      OPTIONS,
    );
  });

  it("refuses every truncation of a valid MIDI file", async () => {
    await fc.assert(
      fc.asyncProperty(melodyArbitrary, fc.nat(), async (item, cut) => {
        const bytes = midiOf(item);
        expect(await parse("MIDI", "cut.mid", bytes.slice(0, cut % bytes.length))).toBeInstanceOf(BadUserInputError);
      }),
      OPTIONS,
    );
  });

  it("imports or refuses a mutated MIDI file: flipped bytes, wrong chunk lengths, inserted bytes", async () => {
    await fc.assert(
      fc.asyncProperty(melodyArbitrary, fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), async (item, mutations) => {
        const bytes = mutations.reduce((mutated, mutate) => (mutated.length ? mutate(mutated) : mutated), midiOf(item));
        const result = await parse("MIDI", "mutated.mid", bytes);
        if (!(result instanceof BadUserInputError)) expectValidItems(result);
      }),
      OPTIONS,
    );
  });

  it("imports or refuses random bytes, with or without a MIDI header", async () => {
    const header = Uint8Array.from([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 2, 1, 0xe0, 0x4d, 0x54, 0x72, 0x6b]);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 2_000 }), async (withHeader, random) => {
        const result = await parse("MIDI", "random.mid", withHeader ? Uint8Array.from([...header, ...random]) : random);
        if (!(result instanceof BadUserInputError)) expectValidItems(result);
      }),
      OPTIONS,
    );
  });

  it("accepts every valid JSONL file unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(melodyArbitrary, { minLength: 1, maxLength: 20 }), async (items) => {
        expect(await parse("JSONL", "examples.jsonl", jsonlOf(items))).toEqual(items);
      }),
      OPTIONS,
    );
  });

  it("imports or refuses mutated and random JSONL, naming the file and line", async () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 500 }),
      fc.array(fc.jsonValue(), { maxLength: 5 }).map((values) => values.map((value) => JSON.stringify(value)).join("\n")),
      fc.tuple(fc.array(melodyArbitrary, { minLength: 1, maxLength: 5 }), fc.nat(), fc.string({ unit: "binary", maxLength: 4 })).map(([items, at, inserted]) => {
        const valid = jsonlOf(items);
        const cut = at % valid.length;
        return valid.slice(0, cut) + inserted + valid.slice(cut + 1);
      }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (jsonl) => {
        const result = await parse("JSONL", "mutated.jsonl", jsonl);
        if (!(result instanceof BadUserInputError)) expectValidItems(result);
      }),
      OPTIONS,
    );
  });
});
