import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormatError } from "../formats/errors.js";
import { readRange, readSmallText } from "./bounded-read.js";

let dir: string;
const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bounded-read-"));
  await writeFile(join(dir, "hundred.bin"), bytes);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("readRange", () => {
  it("reads a range piece by piece, each read no longer than a chunk", async () => {
    const file = await open(join(dir, "hundred.bin"), "r");
    try {
      expect(await readRange(file, 10, 53, 7)).toEqual(bytes.subarray(10, 63));
      expect(await readRange(file, 0, 100)).toEqual(bytes);
      expect(await readRange(file, 100, 0)).toEqual(new Uint8Array(0));
    } finally {
      await file.close();
    }
  });

  it("refuses a range past the end of the file, saying where the file ends", async () => {
    const file = await open(join(dir, "hundred.bin"), "r");
    try {
      const reading = readRange(file, 90, 20, 7);
      await expect(reading).rejects.toBeInstanceOf(FormatError);
      await expect(reading).rejects.toThrow("the file ends at byte 100, inside the 20 bytes its header places at 90");
    } finally {
      await file.close();
    }
  });

  it("reads far into a sparse file larger than a 32-bit length can say", async () => {
    const path = join(dir, "sparse.bin");
    const file = await open(path, "w+");
    try {
      await file.truncate(2 ** 32 + 16);
      await file.write(Uint8Array.of(7, 8, 9), 0, 3, 2 ** 32 + 4);
      expect(await readRange(file, 2 ** 32 + 3, 5)).toEqual(Uint8Array.of(0, 7, 8, 9, 0));
    } finally {
      await file.close();
      await rm(path);
    }
  });
});

describe("readSmallText", () => {
  it("reads a small file and refuses a larger one before reading it", async () => {
    await writeFile(join(dir, "config.json"), '{"r": 4}');
    expect(await readSmallText(join(dir, "config.json"), 100, "adapter_config.json")).toBe('{"r": 4}');
    await expect(readSmallText(join(dir, "hundred.bin"), 99, "adapter_config.json")).rejects.toThrow("adapter_config.json is 100 bytes; at most 99 are read");
  });
});
