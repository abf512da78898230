import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { encodeMelodyMidi } from "../formats/midi-file.js";
import { encodeWav } from "../formats/wav.js";
import { TEMPO_BPM, type Melody } from "../ml/melody.js";
import { renderMelody } from "../ml/synth.js";

/*
 * A sample's files under DATA_DIR/samples/<sampleId>/: sample.wav (our synthesizer, 16-bit mono at the base model's
 * sample rate) and sample.mid, rendered by the API from the notes the sidecar reported.
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
  constructor(private readonly dataDir: string) {}

  path(storageKey: string, kind: SampleFileKind): string {
    return join(this.dataDir, storageKey, SAMPLE_FILES[kind].name);
  }

  /** Renders and writes both files; a sample at a time, so the API keeps answering while a large job is stored. */
  async write(storageKey: string, melody: Melody, { sampleRate, name }: { sampleRate: number; name: string }): Promise<void> {
    await yieldToEvents();
    const dir = join(this.dataDir, storageKey);
    await mkdir(dir, { recursive: true });
    await writeFile(this.path(storageKey, "audio"), encodeWav(renderMelody(melody, { sampleRate }), sampleRate));
    await writeFile(this.path(storageKey, "midi"), encodeMelodyMidi(melody, { bpm: TEMPO_BPM, name }));
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
