import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { fileDigest, inspectAdapterResult, type FileDigest, type InspectAdapterResult } from "./tasks.js";

const isTypeScript = import.meta.url.endsWith(".ts");

function workerFile(name: string): string {
  return new URL(`./${name}.${isTypeScript ? "ts" : "js"}`, import.meta.url).href;
}

export interface WorkerPool {
  inspectAdapter(weightsPath: string, peftConfigPath?: string): Promise<InspectAdapterResult>;
  hashFile(path: string): Promise<FileDigest>;
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
    inspectAdapter: async (weightsPath, peftConfigPath) =>
      inspectAdapterResult.parse(await piscina.run({ kind: "inspectAdapter", weightsPath, peftConfigPath })),
    hashFile: async (path) => fileDigest.parse(await piscina.run({ kind: "hashFile", path })),
    stats: () => ({ threads: piscina.threads.length, queued: piscina.queueSize, completed: piscina.completed }),
    close: () => piscina.destroy(),
  };
}
