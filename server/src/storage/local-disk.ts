import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { checkedSegment, type FileArea, type FileData, type Storage, type StorageAreaName } from "./storage.js";

/**
 * Storage in the data directory: DATA_DIR/<area>/<key>/<name>. Replicas share it on one volume (README, cluster mode),
 * which is why keys are fresh UUIDs or database ids and a key's files are written by the one process that owns it.
 */
const AREA_DIRS: Record<StorageAreaName, string> = { adapters: "adapters", samples: "samples", deliveries: "deliveries", runs: "runs", staging: "tmp" };

function writeData(path: string, data: FileData): Promise<void> {
  if (typeof data === "string" || data instanceof Uint8Array) return writeFile(path, data);
  return pipeline(data, createWriteStream(path));
}

function localArea(root: string): FileArea {
  const dirOf = (key: string) => join(root, checkedSegment(key));
  const pathOf = (key: string, name: string) => join(dirOf(key), checkedSegment(name));
  return {
    async put(key, name, data) {
      const path = pathOf(key, name);
      await mkdir(dirOf(key), { recursive: true });
      await writeData(path, data);
    },
    read: (key, name, range) => createReadStream(pathOf(key, name), range),
    readAll: async (key, name) => readFile(pathOf(key, name)),
    async stat(key, name) {
      const stats = await stat(pathOf(key, name)).catch(() => null);
      return stats?.isFile() ? { sizeBytes: stats.size } : null;
    },
    async list(key) {
      const entries = await readdir(dirOf(key), { withFileTypes: true }).catch(() => []);
      return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
    },
    remove: async (key) => rm(dirOf(key), { recursive: true, force: true }),
    async withLocalDir(key, access, use) {
      const path = dirOf(key);
      if (access === "write") await mkdir(path, { recursive: true });
      return use({ path, file: (name) => join(path, checkedSegment(name)) });
    },
  };
}

export function createLocalStorage(dataDir: string): Storage {
  const areas = Object.fromEntries(Object.entries(AREA_DIRS).map(([area, dir]) => [area, localArea(join(dataDir, dir))])) as Record<StorageAreaName, FileArea>;
  return {
    ...areas,
    newKey: () => randomUUID(),
    async commitStaged(stagingKey) {
      const key = randomUUID();
      await mkdir(join(dataDir, AREA_DIRS.adapters), { recursive: true });
      await rename(join(dataDir, AREA_DIRS.staging, checkedSegment(stagingKey)), join(dataDir, AREA_DIRS.adapters, key));
      return key;
    },
  };
}
