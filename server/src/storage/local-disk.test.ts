import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLocalStorage } from "./local-disk.js";
import { InvalidStorageNameError, type Storage } from "./storage.js";

let root: string;
let dataDir: string;
let storage: Storage;
const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "local-storage-"));
  dataDir = join(root, "data");
  storage = createLocalStorage(dataDir);
});

afterEach(() => rm(root, { recursive: true, force: true }));

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* pieces(): AsyncGenerator<Uint8Array> {
  yield bytes.subarray(0, 30);
  yield bytes.subarray(30);
}

describe("local-disk storage", () => {
  it("keeps each file at DATA_DIR/<area>/<key>/<name>, the layout replicas share and earlier data has", async () => {
    await storage.samples.put("s1", "sample.wav", bytes);
    await storage.runs.put("r1", "config.json", '{"rank":4}');
    await storage.staging.put("t1", "adapter_model.safetensors", pieces());
    expect(await readFile(join(dataDir, "samples", "s1", "sample.wav"))).toEqual(Buffer.from(bytes));
    expect(await readFile(join(dataDir, "runs", "r1", "config.json"), "utf8")).toBe('{"rank":4}');
    expect(await readFile(join(dataDir, "tmp", "t1", "adapter_model.safetensors"))).toEqual(Buffer.from(bytes));
    expect(await storage.samples.stat("s1", "sample.wav")).toEqual({ sizeBytes: 100 });
    expect(await storage.runs.list("r1")).toEqual(["config.json"]);
  });

  it("reads a file whole or one byte range of it, both ends included", async () => {
    await storage.adapters.put("a1", "weights.bin", bytes);
    expect(await drain(storage.adapters.read("a1", "weights.bin"))).toEqual(Buffer.from(bytes));
    expect(await drain(storage.adapters.read("a1", "weights.bin", { start: 10, end: 19 }))).toEqual(Buffer.from(bytes.subarray(10, 20)));
    expect(await drain(storage.adapters.read("a1", "weights.bin", { start: 99, end: 99 }))).toEqual(Buffer.from([99]));
    expect(await storage.adapters.readAll("a1", "weights.bin")).toEqual(Buffer.from(bytes));
  });

  it("says a missing file is missing: no stat, no names, a read that errors with ENOENT", async () => {
    expect(await storage.deliveries.stat("d1", "0.png")).toBeNull();
    expect(await storage.deliveries.list("d1")).toEqual([]);
    await expect(drain(storage.deliveries.read("d1", "0.png"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(storage.deliveries.readAll("d1", "0.png")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("removes a key with all its files and nothing else; a missing key is no error", async () => {
    await storage.deliveries.put("d1", "0.png", bytes);
    await storage.deliveries.put("d1", "1.png", bytes);
    await storage.deliveries.put("d2", "0.png", bytes);
    await storage.deliveries.remove("d1");
    await storage.deliveries.remove("never-stored");
    expect(await storage.deliveries.list("d1")).toEqual([]);
    expect(await readdir(join(dataDir, "deliveries"))).toEqual(["d2"]);
  });

  it("refuses keys and names that would leave their area: .., ., slashes, absolute paths, NUL, empty", async () => {
    const outside = join(root, "outside.txt");
    await writeFile(outside, "kept");
    await storage.adapters.put("a1", "weights.bin", bytes);
    const hostile = ["..", ".", "", "../outside.txt", "../../outside.txt", "a/b", outside, "a\\..\\b", "x\0y"];
    for (const segment of hostile) {
      await expect(storage.adapters.put(segment, "f", bytes), segment).rejects.toThrow(InvalidStorageNameError);
      await expect(storage.adapters.put("a1", segment, bytes), segment).rejects.toThrow(InvalidStorageNameError);
      expect(() => storage.adapters.read("a1", segment), segment).toThrow(InvalidStorageNameError);
      await expect(storage.adapters.readAll(segment, "weights.bin"), segment).rejects.toThrow(InvalidStorageNameError);
      await expect(storage.adapters.stat("a1", segment), segment).rejects.toThrow(InvalidStorageNameError);
      await expect(storage.adapters.list(segment), segment).rejects.toThrow(InvalidStorageNameError);
      await expect(storage.adapters.remove(segment), segment).rejects.toThrow(InvalidStorageNameError);
      await expect(storage.adapters.withLocalDir(segment, "write", async () => undefined), segment).rejects.toThrow(InvalidStorageNameError);
      await expect(storage.adapters.withLocalDir("a1", "read", async (dir) => dir.file(segment)), segment).rejects.toThrow(InvalidStorageNameError);
      await expect(storage.commitStaged(segment), segment).rejects.toThrow(InvalidStorageNameError);
    }
    expect(await readFile(outside, "utf8")).toBe("kept");
    expect(await readdir(root)).toEqual(["data", "outside.txt"]);
    expect(await storage.adapters.readAll("a1", "weights.bin")).toEqual(Buffer.from(bytes));
  });

  it("gives a key's local directory: what is written there for 'write' is stored, and 'read' creates nothing", async () => {
    await storage.samples.withLocalDir("s1", "write", (dir) => writeFile(dir.file("sample.mid"), bytes));
    expect(await storage.samples.readAll("s1", "sample.mid")).toEqual(Buffer.from(bytes));
    const seen = await storage.samples.withLocalDir("s1", "read", (dir) => readFile(dir.file("sample.mid")));
    expect(seen).toEqual(Buffer.from(bytes));
    await storage.samples.withLocalDir("s2", "read", async () => undefined);
    expect(await readdir(join(dataDir, "samples"))).toEqual(["s1"]);
  });

  it("commits a staged key into adapters under a fresh key, leaving nothing staged", async () => {
    const staged = storage.newKey();
    await storage.staging.put(staged, "adapter_model.safetensors", bytes);
    const key = await storage.commitStaged(staged);
    expect(key).not.toBe(staged);
    expect(await storage.adapters.readAll(key, "adapter_model.safetensors")).toEqual(Buffer.from(bytes));
    expect(await storage.staging.list(staged)).toEqual([]);
  });
});
