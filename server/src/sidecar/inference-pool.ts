import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { ExecutionProvider } from "../inference/onnx-runtime.js";
import type { SampledMelody } from "../contracts/melody.js";
import { generateResult, generateTask, warmResult, warmTask, type GenerateTask } from "../contracts/inference-tasks.js";

/*
 * The sidecar's inference workers (DESIGN §2): on the CPU a Piscina pool of `threads` workers, one job at a time each,
 * every worker holding a warm onnxruntime session per base model (single-threaded: the graphs are small, so jobs run
 * side by side rather than one job on many cores); with CUDA one worker and so one session per model on the GPU, taking
 * `generationConcurrency` jobs at once. Threads are never retired, so the sessions stay warm.
 */

export interface InferencePoolOptions {
  provider: ExecutionProvider;
  threads: number;
  generationConcurrency: number;
}

export type GenerateRequest = Omit<GenerateTask, "kind" | "progress">;

export interface InferencePool {
  readonly provider: ExecutionProvider;
  readonly threads: number;
  /** Opens the models' sessions in every worker; resolves with the provider they run on. */
  warm(baseModelIds: string[]): Promise<ExecutionProvider>;
  /** One melody per sample; `onProgress` gets the fraction done as the worker samples. Rejects when `signal` aborts. */
  generate(request: GenerateRequest, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<SampledMelody[]>;
  close(): Promise<void>;
}

const isTypeScript = import.meta.url.endsWith(".ts");

export function createInferencePool({ provider, threads, generationConcurrency }: InferencePoolOptions): InferencePool {
  const worker = new URL(`./inference.worker.${isTypeScript ? "ts" : "js"}`, import.meta.url).href;
  const size = provider === "cuda" ? 1 : threads;
  const piscina = new Piscina({
    filename: isTypeScript ? new URL("./ts-worker.mjs", import.meta.url).href : worker,
    workerData: { tsWorker: worker, provider },
    minThreads: size,
    maxThreads: size,
    concurrentTasksPerWorker: provider === "cuda" ? Math.max(1, generationConcurrency) : 1,
  });
  return {
    provider,
    threads: size,
    async warm(baseModelIds) {
      const task = warmTask.parse({ kind: "warm", baseModelIds });
      const results = await Promise.all(Array.from({ length: size }, () => piscina.run(task)));
      return warmResult.parse(results[0]).provider;
    },
    async generate(request, onProgress, signal) {
      const { port1, port2 } = new MessageChannel();
      port1.on("message", (fraction: number) => onProgress(fraction));
      try {
        const task = generateTask.parse({ kind: "generate", ...request, progress: port2 });
        return generateResult.parse(await piscina.run(task, { transferList: [port2], signal }));
      } finally {
        port1.close();
      }
    },
    close: () => piscina.destroy(),
  };
}
