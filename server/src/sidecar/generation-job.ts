import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { SampledMelody } from "../contracts/melody.js";
import type { GenerationCommand } from "../contracts/sidecar.js";
import type { AdapterCache } from "./adapter-cache.js";
import { ApiError, describe, type ApiClient } from "./api-client.js";
import type { AdapterFiles } from "../contracts/inference-tasks.js";
import type { InferencePool } from "./inference-pool.js";
import { finishGenerationOperation, reportGenerationProgressOperation } from "./operations.js";
import { ProgressReporter } from "./progress-reporter.js";
import { retrying } from "./retry.js";

/*
 * One generation job on this sidecar, from GENERATE to finishGeneration: the adapters' files from the cache (fetched
 * from the API by their database ids' URLs when new), the melodies sampled by an inference worker while the progress is
 * reported, then the melodies, or the reason it failed, reported to the API, which renders and stores the samples.
 * Adapters are known by id; the log names them as people do.
 */

type CommandAdapter = GenerationCommand["adapters"][number];

export interface GenerationJobDeps {
  api: ApiClient;
  inference: InferencePool;
  cache: AdapterCache;
  logger: Logger;
  /** aborted when reports can no longer reach the API: stop retrying them */
  giveUp: AbortSignal;
}

type Outcome = { melodies: SampledMelody[] } | { error: string };

const PROGRESS_INTERVAL_MS = 100;

const labelOf = (adapter: Pick<CommandAdapter, "name" | "version">) => `'${adapter.name}' ${adapter.version}`;

export class GenerationJob {
  /** resolves once the job has been reported finished (or that failed for good) */
  readonly finished: Promise<void>;
  private readonly logger: Logger;
  private readonly stopping = new AbortController();
  private stopReason: string | null = null;

  constructor(private readonly command: GenerationCommand, private readonly deps: GenerationJobDeps) {
    this.logger = deps.logger.child({ job: command.jobId });
    this.finished = this.execute();
  }

  /** Ends the job for a reason of the sidecar's own (shutdown): its worker task is abandoned and the job reported failed. */
  stop(reason: string): void {
    this.stopReason ??= reason;
    this.stopping.abort();
  }

  private async execute(): Promise<void> {
    const { command } = this;
    const adapters = command.adapters.map((adapter) => `${labelOf(adapter)} ×${adapter.weight}`).join(", ") || "no adapter (the base model)";
    this.logger.info({ baseModel: command.baseModelId, samples: command.samples, maxSteps: command.maxSteps }, `generating with ${adapters}`);
    const started = performance.now();
    const outcome = await this.generate().catch((error: unknown): Outcome => ({ error: this.stopReason ?? describe(error) }));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if ("error" in outcome) this.logger.error(`generation failed after ${seconds} s: ${outcome.error}`);
    else this.logger.info(`generated ${outcome.melodies.length} melodies in ${seconds} s`);
    await this.finish(outcome);
  }

  private async generate(): Promise<Outcome> {
    const { command, deps } = this;
    const signal = this.stopping.signal;
    const adapters = await Promise.all(command.adapters.map((adapter) => this.adapterFiles(adapter, signal)));
    const progress = new ProgressReporter((fraction) => deps.api.execute(reportGenerationProgressOperation, { jobId: command.jobId, progress: fraction }), PROGRESS_INTERVAL_MS, this.logger);
    try {
      const { jobId: _jobId, adapters: _adapters, ...request } = command;
      const melodies = await deps.inference.generate({ ...request, adapters }, (fraction) => progress.set(fraction), signal);
      return { melodies };
    } finally {
      await progress.stop();
    }
  }

  private async adapterFiles(adapter: CommandAdapter, signal: AbortSignal): Promise<AdapterFiles> {
    const label = labelOf(adapter);
    const what = `adapter ${label}`;
    const weights = adapter.files.find((file) => file.role === "weights");
    if (!weights) throw new Error(`${what} has no weights file`);
    const config = adapter.files.find((file) => file.role === "config");
    const [weightsPath, configPath] = await Promise.all([this.deps.cache.file(weights, what, signal), config ? this.deps.cache.file(config, what, signal) : null]);
    return { label, weightsPath, configPath, alpha: adapter.alpha, useRslora: adapter.useRslora, weight: adapter.weight };
  }

  /** finishGeneration, retried while the API is unreachable; melodies it refuses for good are reported as the failure. */
  private async finish(outcome: Outcome): Promise<void> {
    const { api, giveUp } = this.deps;
    const send = (result: Outcome) =>
      retrying("reporting the job's end", () => api.execute(finishGenerationOperation, { input: { jobId: this.command.jobId, ...result } }), { logger: this.logger, signal: giveUp });
    try {
      const { finishGeneration } = await send(outcome);
      this.logger.info({ status: finishGeneration.status }, "job finished");
    } catch (failure) {
      if ("error" in outcome || giveUp.aborted || !(failure instanceof ApiError) || failure.transient) {
        return void this.logger.error(`could not report the job's end: ${describe(failure)}`);
      }
      await send({ error: `the API refused the melodies: ${describe(failure)}` }).catch((again) => this.logger.error(`could not report the job's end: ${describe(again)}`));
    }
  }
}
