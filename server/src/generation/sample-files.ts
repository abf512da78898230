import type { Melody } from "../ml/melody.js";
import type { FileArea, StoredFile } from "../storage/storage.js";
import type { WorkerPool } from "../workers/pool.js";

/*
 * A sample's files, in the samples area under its id: a melody's sample.wav (our synthesizer, 16-bit mono at the base
 * model's sample rate) and sample.mid, rendered by the API's worker pool from the notes the sidecar reported; an
 * image's sample.png, as its generation backend made it.
 */

export const SAMPLE_FILES = {
  audio: { name: "sample.wav", contentType: "audio/wav" },
  midi: { name: "sample.mid", contentType: "audio/midi" },
  image: { name: "sample.png", contentType: "image/png" },
} as const;
export type SampleFileKind = keyof typeof SAMPLE_FILES;

export interface SampleFile {
  url: string;
  contentType: string;
  sizeBytes: number;
}

const MAX_PROMPT_CHARS_IN_NAME = 48;

/** Lower-case ASCII words joined by "-": safe in any file system and in a Content-Disposition header. */
function slug(text: string): string {
  return text.normalize("NFKD").toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * A sample's file name as a user finds it among their downloads: the prompt's words, the sample's own seed and the
 * adapters with their weights, e.g. "lively-waltz_seed-1234_jazz-solo-0.8.wav" ("base" without adapters).
 */
export function sampleDownloadName(
  { words, seed, adapters }: { words: string; seed: number; adapters: readonly { name: string; weight: number }[] },
  kind: SampleFileKind,
): string {
  const prompt = slug(words).slice(0, MAX_PROMPT_CHARS_IN_NAME).replace(/-+$/, "") || (kind === "image" ? "image" : "melody");
  const using = adapters.length === 0 ? "base" : adapters.map((adapter) => `${slug(adapter.name)}-${adapter.weight}`).join("+");
  const name = SAMPLE_FILES[kind].name;
  return `${prompt}_seed-${seed}_${using}${name.slice(name.lastIndexOf("."))}`;
}

const AREA_PREFIX = "samples/";

/** A sample row's storageKey names the area too ("samples/<id>"), as rows stored before storage areas did. */
export function sampleStorageKey(sampleId: string): string {
  return `${AREA_PREFIX}${sampleId}`;
}

function keyInArea(storageKey: string): string {
  return storageKey.startsWith(AREA_PREFIX) ? storageKey.slice(AREA_PREFIX.length) : storageKey;
}

export function sampleFileKind(name: string): SampleFileKind | undefined {
  return (Object.keys(SAMPLE_FILES) as SampleFileKind[]).find((kind) => SAMPLE_FILES[kind].name === name);
}

export class SampleFiles {
  constructor(private readonly area: FileArea, private readonly pool: WorkerPool) {}

  stored(storageKey: string, kind: SampleFileKind): StoredFile {
    return { area: this.area, key: keyInArea(storageKey), name: SAMPLE_FILES[kind].name };
  }

  /** The whole file, for the few that are read into memory (a blind trial's padded audio, a PNG without its text). */
  readAll(storageKey: string, kind: SampleFileKind): Promise<Buffer> {
    return this.area.readAll(keyInArea(storageKey), SAMPLE_FILES[kind].name);
  }

  /** Renders and writes both files in a worker, so the API keeps answering while a large job is stored. */
  async write(storageKey: string, melody: Melody, { sampleRate, name }: { sampleRate: number; name: string }): Promise<void> {
    await this.area.withLocalDir(keyInArea(storageKey), "write", (dir) =>
      this.pool.renderSample({ melody, sampleRate, trackName: name, audioPath: dir.file(SAMPLE_FILES.audio.name), midiPath: dir.file(SAMPLE_FILES.midi.name) }),
    );
  }

  writeImage(storageKey: string, png: Buffer): Promise<void> {
    return this.area.put(keyInArea(storageKey), SAMPLE_FILES.image.name, png);
  }

  remove(storageKey: string): Promise<void> {
    return this.area.remove(keyInArea(storageKey));
  }

  /** null when the file is missing */
  async sizeOf(storageKey: string, kind: SampleFileKind): Promise<number | null> {
    return (await this.area.stat(keyInArea(storageKey), SAMPLE_FILES[kind].name))?.sizeBytes ?? null;
  }

  /** Where the API serves it, and its size; null when the file is missing. */
  async describe(sample: { id: string; storageKey: string }, kind: SampleFileKind): Promise<SampleFile | null> {
    const sizeBytes = await this.sizeOf(sample.storageKey, kind);
    if (sizeBytes === null) return null;
    const { name, contentType } = SAMPLE_FILES[kind];
    return { url: `/samples/${sample.id}/${name}`, contentType, sizeBytes };
  }
}
