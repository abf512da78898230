import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Melody } from "../ml/melody.js";
import type { WorkerPool } from "../workers/pool.js";

/*
 * A sample's files under DATA_DIR/samples/<sampleId>/: sample.wav (our synthesizer, 16-bit mono at the base model's
 * sample rate) and sample.mid, rendered by the API's worker pool from the notes the sidecar reported.
 */

export const SAMPLE_FILES = {
  audio: { name: "sample.wav", contentType: "audio/wav" },
  midi: { name: "sample.mid", contentType: "audio/midi" },
} as const;
export type SampleFileKind = keyof typeof SAMPLE_FILES;

export interface SampleFile {
  url: string;
  contentType: string;
  sizeBytes: number;
}

export function sampleStorageKey(sampleId: string): string {
  return join("samples", sampleId);
}

export function sampleFileKind(name: string): SampleFileKind | undefined {
  return (Object.keys(SAMPLE_FILES) as SampleFileKind[]).find((kind) => SAMPLE_FILES[kind].name === name);
}

export class SampleFiles {
  constructor(private readonly dataDir: string, private readonly pool: WorkerPool) {}

  path(storageKey: string, kind: SampleFileKind): string {
    return join(this.dataDir, storageKey, SAMPLE_FILES[kind].name);
  }

  /** Renders and writes both files in a worker, so the API keeps answering while a large job is stored. */
  async write(storageKey: string, melody: Melody, { sampleRate, name }: { sampleRate: number; name: string }): Promise<void> {
    await mkdir(join(this.dataDir, storageKey), { recursive: true });
    await this.pool.renderSample({ melody, sampleRate, trackName: name, audioPath: this.path(storageKey, "audio"), midiPath: this.path(storageKey, "midi") });
  }

  async remove(storageKey: string): Promise<void> {
    await rm(join(this.dataDir, storageKey), { recursive: true, force: true });
  }

  /** Where the API serves it, and its size; null when the file is missing. */
  async describe(sample: { id: string; storageKey: string }, kind: SampleFileKind): Promise<SampleFile | null> {
    const stats = await stat(this.path(sample.storageKey, kind)).catch(() => null);
    if (!stats) return null;
    const { name, contentType } = SAMPLE_FILES[kind];
    return { url: `/samples/${sample.id}/${name}`, contentType, sizeBytes: stats.size };
  }
}
