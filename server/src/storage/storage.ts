import { randomUUID } from "node:crypto";
import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";

/** Adapter files live under DATA_DIR/adapters/<key>/, one directory per stored version; runs under DATA_DIR/runs/<id>/. */
export interface Storage {
  readonly dataDir: string;
  /** a fresh directory for incoming files, never shared with another request */
  createStagingDir(): Promise<string>;
  /** moves a staged directory into place and returns its storage key */
  commit(stagingDir: string): Promise<string>;
  pathOf(key: string, file?: string): string;
  copyInto(stagingDir: string, source: string, name: string): Promise<string>;
  discard(dir: string): Promise<void>;
  /** a training run's directory: its config and dataset export */
  runPath(runId: string, file?: string): string;
}

export function createStorage(dataDir: string): Storage {
  const adaptersDir = join(dataDir, "adapters");
  const stagingRoot = join(dataDir, "tmp");
  return {
    dataDir,
    async createStagingDir() {
      const dir = join(stagingRoot, randomUUID());
      await mkdir(dir, { recursive: true });
      return dir;
    },
    async commit(stagingDir) {
      const key = randomUUID();
      await mkdir(adaptersDir, { recursive: true });
      await rename(stagingDir, join(adaptersDir, key));
      return key;
    },
    pathOf: (key, file) => (file ? join(adaptersDir, key, file) : join(adaptersDir, key)),
    async copyInto(stagingDir, source, name) {
      const target = join(stagingDir, name);
      await copyFile(source, target);
      return target;
    },
    discard: (dir) => rm(dir, { recursive: true, force: true }),
    runPath: (runId, file) => (file ? join(dataDir, "runs", runId, file) : join(dataDir, "runs", runId)),
  };
}
