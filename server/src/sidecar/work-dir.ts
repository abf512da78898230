import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/*
 * A run's files on the sidecar: <SIDECAR_WORK_DIR>/<runId>/ with config.json, dataset.jsonl and output/, removed when
 * the run has been reported. A sidecar that was killed cannot remove its own, so the next one removes every run
 * directory whose owning sidecar process is gone.
 */

export interface RunPaths {
  dir: string;
  config: string;
  dataset: string;
  output: string;
}

const OWNER_FILE = "sidecar.pid";
/** Run ids are the API's UUIDs; anything else must not become a path. */
const RUN_ID = /^[\w-]{1,64}$/;

export async function createRunDir(root: string, runId: string, config: unknown): Promise<RunPaths> {
  if (!RUN_ID.test(runId)) throw new Error(`run id ${JSON.stringify(runId)} cannot name a directory`);
  const dir = join(root, runId);
  const paths = { dir, config: join(dir, "config.json"), dataset: join(dir, "dataset.jsonl"), output: join(dir, "output") };
  await rm(dir, { recursive: true, force: true });
  await mkdir(paths.output, { recursive: true });
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  await writeFile(paths.config, JSON.stringify(config ?? {}, null, 2));
  return paths;
}

export async function removeRunDir(paths: RunPaths): Promise<void> {
  await rm(paths.dir, { recursive: true, force: true });
}

/** Removes the run directories left by sidecar processes that no longer exist; returns how many. */
export async function sweepOrphanedRunDirs(root: string): Promise<number> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isDirectory() || !RUN_ID.test(entry.name)) continue;
    const owner = Number(await readFile(join(root, entry.name, OWNER_FILE), "utf8").catch(() => NaN));
    if (!Number.isInteger(owner) || owner === process.pid || isAlive(owner)) continue;
    await rm(join(root, entry.name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
