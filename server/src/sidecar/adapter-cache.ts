import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { describe, type ApiClient } from "./api-client.js";
import { retrying } from "./retry.js";

/*
 * Adapter files fetched from the API for generation jobs, kept in <SIDECAR_WORK_DIR>/adapter-cache/ by their sha256:
 * a file is downloaded once, checked against the hash the registry recorded (a corrupt or altered file fails the job
 * that needs it and is not kept), and shared by every later job and adapter with the same bytes.
 */

export interface AdapterFileRef {
  name: string;
  sha256: string;
  /** relative to the API */
  url: string;
}

const SHA256 = /^[0-9a-f]{64}$/;
const PARTIAL = ".part";

export class AdapterCache {
  private readonly downloads = new Map<string, Promise<string>>();

  constructor(private readonly dir: string, private readonly api: ApiClient, private readonly logger: Logger) {}

  /** Removes downloads a killed sidecar left half-written. */
  async sweep(): Promise<void> {
    const entries = await readdir(this.dir).catch(() => []);
    await Promise.all(entries.filter((name) => name.endsWith(PARTIAL)).map((name) => rm(join(this.dir, name), { force: true })));
  }

  /** The cached file's path, downloading and checking it first when it is not cached yet; `what` names it in errors. */
  file(file: AdapterFileRef, what: string, signal: AbortSignal): Promise<string> {
    if (!SHA256.test(file.sha256)) return Promise.reject(new Error(`${what}: ${file.name} has no valid sha256 (${JSON.stringify(file.sha256)})`));
    let download = this.downloads.get(file.sha256);
    if (!download) {
      download = this.fetch(file, what, signal).finally(() => this.downloads.delete(file.sha256));
      this.downloads.set(file.sha256, download);
    }
    return download;
  }

  private async fetch(file: AdapterFileRef, what: string, signal: AbortSignal): Promise<string> {
    const path = join(this.dir, file.sha256);
    if (await access(path).then(() => true, () => false)) return path;
    await mkdir(this.dir, { recursive: true });
    const partial = `${path}.${randomUUID()}${PARTIAL}`;
    try {
      await retrying(`downloading ${what}'s ${file.name}`, () => this.api.download(file.url, partial, signal), { logger: this.logger, signal });
      const actual = await sha256Of(partial);
      if (actual !== file.sha256) {
        throw new Error(
          `${what}: ${file.name} as the API serves it has sha256 ${actual.slice(0, 12)}…, not the registered ${file.sha256.slice(0, 12)}…; the stored file is corrupt or was changed after registration`,
        );
      }
      await rename(partial, path);
      this.logger.info(`cached ${what}'s ${file.name} (${file.sha256.slice(0, 12)}…)`);
      return path;
    } catch (error) {
      await rm(partial, { force: true }).catch((failure) => this.logger.warn(`could not remove ${partial}: ${describe(failure)}`));
      throw error;
    }
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
