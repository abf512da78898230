import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { MetricSeries } from "../contracts/worker-tasks.js";
import { downsampleSeries } from "./downsample.js";
import {
  adapterSignatureResult, adapterSignatureTask, downsampleTask, fileDigest, inspectAdapterResult, inspectAdapterTask, metricSeries, renderSampleResult, renderSampleTask,
  type AdapterSignatureResult, type AdapterSignatureTask, type FileDigest, type InspectAdapterResult, type InspectAdapterTaskInput, type RenderSampleTask,
  midiMelodyResult, midiMelodyTask, type MidiMelodyResult, type MidiMelodyTask,
} from "../contracts/worker-tasks.js";
import { movedWith, movedWithSeries, withOwnBuffer, withOwnBuffers } from "./transfer.js";

/** Below this many points a thread hop costs more than downsampling in place. */
const INLINE_DOWNSAMPLE_POINTS = 5_000;

const isTypeScript = import.meta.url.endsWith(".ts");

function workerFile(name: string): string {
  return new URL(`./${name}.${isTypeScript ? "ts" : "js"}`, import.meta.url).href;
}

export interface WorkerPool {
  /** Validates and describes adapter files, fitting their modules to `fingerprints` (formats/architecture.ts). */
  inspectAdapter(task: Omit<InspectAdapterTaskInput, "kind">): Promise<InspectAdapterResult>;
  hashFile(path: string): Promise<FileDigest>;
  /** A LoRA's weight-space signature (see formats/lora-projection.ts); `ok: false` says why the weights could not give one. */
  adapterSignature(task: Omit<AdapterSignatureTask, "kind">): Promise<AdapterSignatureResult>;
  /**
   * `downsampleSeries` (see downsample.ts), in place for small series and in a worker otherwise.
   * A series sent to a worker is moved there: its arrays are detached afterwards unless they were
   * views into a larger buffer, which are copied instead. Rejects with a ZodError on a malformed
   * series (lengths differ, steps not ascending) or a `maxPoints` below 2.
   */
  downsample(series: MetricSeries, maxPoints: number): Promise<MetricSeries>;
  /**
   * Renders a generated melody to WAV and MIDI and writes them at the given paths, in a worker: a long melody is tens of
   * milliseconds of synthesis. Rejects as a write on this thread would, with the errno `code` of a failed write.
   */
  renderSample(task: Omit<RenderSampleTask, "kind">): Promise<void>;
  /**
   * A MIDI file's melody (formats/midi-file.ts decodeMelodyMidi), read in a worker: the bytes are moved there, so
   * they are detached afterwards unless they were a view into a larger buffer. `ok: false` says what is wrong with the file.
   */
  midiMelody(task: Omit<MidiMelodyTask, "kind">): Promise<MidiMelodyResult>;
  stats(): { threads: number; queued: number; completed: number };
  close(): Promise<void>;
}

export function createWorkerPool(threads = Math.max(1, Math.min(4, availableParallelism() - 1))): WorkerPool {
  const worker = workerFile("file.worker");
  const piscina = new Piscina({
    filename: isTypeScript ? new URL("./ts-bootstrap.mjs", import.meta.url).href : worker,
    workerData: { __tsWorker: worker },
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  return {
    inspectAdapter: async (task) => inspectAdapterResult.parse(await piscina.run(inspectAdapterTask.parse({ kind: "inspectAdapter", ...task }))),
    hashFile: async (path) => fileDigest.parse(await piscina.run({ kind: "hashFile", path })),
    adapterSignature: async (task) => adapterSignatureResult.parse(await piscina.run(adapterSignatureTask.parse({ kind: "adapterSignature", ...task }))),
    downsample: async (series, maxPoints) => {
      const task = downsampleTask.parse({ kind: "downsample", series, maxPoints });
      const points = series.steps.length;
      if (points <= INLINE_DOWNSAMPLE_POINTS || points <= maxPoints) return downsampleSeries(series, maxPoints);
      const owned = withOwnBuffers(task.series);
      return metricSeries.parse(await piscina.run(movedWithSeries({ ...task, series: owned }, owned)));
    },
    renderSample: async (task) => {
      const result = renderSampleResult.parse(await piscina.run(renderSampleTask.parse({ kind: "renderSample", ...task })));
      if (!result.ok) throw Object.assign(new Error(result.message), { code: result.code });
    },
    midiMelody: async (task) => {
      const parsed = midiMelodyTask.parse({ kind: "midiMelody", ...task, bytes: withOwnBuffer(task.bytes) });
      return midiMelodyResult.parse(await piscina.run(movedWith(parsed, [parsed.bytes.buffer])));
    },
    stats: () => ({ threads: piscina.threads.length, queued: piscina.queueSize, completed: piscina.completed }),
    close: () => piscina.destroy(),
  };
}
