import type { Logger } from "pino";
import type { EventBus } from "../pubsub/pubsub.js";
import type { Storage } from "../storage/storage.js";
import { BackendError } from "./backends/backend.js";
import type { ImageBackend } from "./backends/registry.js";
import { imageSample } from "./image-samples.js";
import { placedLoraName, placeLoras, removeLoras } from "./lora-placement.js";
import type { GenerationService, ImageJobWork } from "./service.js";

/*
 * Image jobs run in the API, not on a sidecar: one at a time per backend, taken from their rows (QUEUED with the
 * backend's name), so any replica's runner may take a job any replica created. A job's adapters are placed in the
 * backend's loraDir, its images made and stored as samples, and the placed files removed however it ended. A cancel is
 * heard as the job's end (any replica may end it) and interrupts the backend.
 */

export interface ImageJobRunnerDeps {
  generation: GenerationService;
  events: EventBus;
  storage: Storage;
  backends: ImageBackend[];
  logger: Logger;
  /**
   * How long a RUNNING job must have run before a starting runner takes it for abandoned: 0 when this API is the only
   * process on its database (no REDIS_URL), else longer than any job lasts, for another replica may be running it.
   */
  abandonedAfterMs: number;
}

/** Why a running job's signal was aborted. */
const STOPPING = new Error("the API is stopping");
const ENDED_ELSEWHERE = new Error("the job was ended (cancelled) while its images were being made");

export class ImageJobRunner {
  private readonly running = new Map<string, AbortController>();
  /** backends whose queue is being worked through, and those to look at again once that is done */
  private readonly pumping = new Set<string>();
  private readonly lookAgain = new Set<string>();
  private readonly listeners: AsyncIterator<unknown>[] = [];
  private pumps: Promise<void>[] = [];
  private started = false;

  constructor(private readonly deps: ImageJobRunnerDeps) {}

  /** Fails the jobs a stopped API left running (their files removed), then takes waiting jobs, and new ones as they come. */
  async start(): Promise<void> {
    if (this.deps.backends.length === 0 || this.started) return;
    this.started = true;
    await this.failAbandoned();
    this.listen(this.deps.events.subscribe("generationUpdated"), () => this.wake());
    this.listen(this.deps.events.resyncs(), () => this.wake());
    this.listen(this.deps.events.subscribe("generationEnded"), (job) => this.running.get(job.id)?.abort(ENDED_ELSEWHERE));
    this.wake();
  }

  /** Takes no more jobs; those running are interrupted and put back, to run again at the next start. */
  async close(): Promise<void> {
    this.started = false;
    await Promise.all(this.listeners.splice(0).map((listener) => listener.return?.()));
    for (const controller of this.running.values()) controller.abort(STOPPING);
    await Promise.allSettled(this.pumps);
  }

  private listen<T>(events: AsyncIterable<T>, onEvent: (event: T) => void): void {
    const iterator = events[Symbol.asyncIterator]();
    this.listeners.push(iterator);
    void (async () => {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) onEvent(next.value);
    })().catch((error: unknown) => this.deps.logger.error({ err: error }, "image job runner: following the generation events failed"));
  }

  private async failAbandoned(): Promise<void> {
    const names = this.deps.backends.map((backend) => backend.config.name);
    const abandoned = await this.deps.generation.failAbandonedImageJobs(names, new Date(Date.now() - this.deps.abandonedAfterMs));
    for (const job of abandoned) await removeLoras(this.backendNamed(job.backend).config.loraDir, job.adapterIds);
  }

  private backendNamed(name: string): ImageBackend {
    return this.deps.backends.find((backend) => backend.config.name === name)!;
  }

  /** Every backend not already busy looks for its next job; a busy one looks again when its job is done. */
  private wake(): void {
    if (!this.started) return;
    for (const backend of this.deps.backends) {
      const name = backend.config.name;
      if (this.pumping.has(name)) {
        this.lookAgain.add(name);
        continue;
      }
      this.pumping.add(name);
      const pump = this.pump(backend)
        .catch((error: unknown) => this.deps.logger.error({ err: error, backend: name }, "image job runner: taking the next job failed"))
        .finally(() => {
          this.pumping.delete(name);
          this.pumps = this.pumps.filter((other) => other !== pump);
        });
      this.pumps.push(pump);
    }
  }

  private async pump(backend: ImageBackend): Promise<void> {
    const name = backend.config.name;
    do {
      this.lookAgain.delete(name);
      for (let work = await this.claim(name); work; work = await this.claim(name)) await this.run(backend, work);
    } while (this.started && this.lookAgain.has(name));
  }

  private claim(backend: string): Promise<ImageJobWork | null> {
    return this.started ? this.deps.generation.claimImageJob(backend) : Promise.resolve(null);
  }

  private async run(backend: ImageBackend, work: ImageJobWork): Promise<void> {
    const { job, adapters } = work;
    const { loraDir, name } = backend.config;
    const controller = new AbortController();
    this.running.set(job.id, controller);
    // claimed while close() was stopping the others
    if (!this.started) controller.abort(STOPPING);
    let settle: () => Promise<unknown>;
    try {
      const result = await this.generate(backend, work, controller.signal);
      settle = () => this.deps.generation.completeImages(job, result);
    } catch (error) {
      settle = () => this.settleFailure(work, name, error, controller.signal);
    } finally {
      this.running.delete(job.id);
      await removeLoras(loraDir, adapters.map((adapter) => adapter.id)).catch((error: unknown) =>
        this.deps.logger.error({ err: error, jobId: job.id, loraDir }, "image job runner: could not remove a job's LoRA files"),
      );
    }
    // only once its files are gone does the job end: whoever sees it ended finds loraDir as it was before
    await settle();
  }

  /** Places the job's adapters and makes its images: the samples to store. */
  private async generate(backend: ImageBackend, { job, request, adapters }: ImageJobWork, signal: AbortSignal) {
    await this.place(backend.config.loraDir, adapters);
    const client = backend.clientFor(job.baseModelId);
    await client.prepareLoras(request.loras.map((lora) => lora.name), signal);
    const onProgress = ({ fraction }: { fraction: number }) => void this.deps.generation.advance(job.id, fraction).catch(() => undefined);
    const result = await client.generate(request, { signal, onProgress });
    const loras = adapters.map((adapter) => ({ name: placedLoraName(adapter.id), sha256: adapter.weights!.sha256 }));
    return result.images.map((image) => imageSample(image, { request, loras, backend: backend.config.name, backendMs: result.backendMs }));
  }

  /** Copies each adapter's weights into the loraDir; a failure is the job's, told without the server's paths. */
  private async place(loraDir: string, adapters: ImageJobWork["adapters"]): Promise<void> {
    const missing = adapters.find((adapter) => !adapter.weights);
    if (missing) throw new BackendError(`adapter ${missing.id} has no weights file to place in the backend's loraDir`, false);
    try {
      const weights = adapters.map((adapter) => ({ id: adapter.id, read: () => this.deps.storage.adapters.read(adapter.storageKey, adapter.weights!.name) }));
      await placeLoras(loraDir, weights);
    } catch (error) {
      throw new BackendError(`the adapters' files could not be copied into the backend's loraDir (${(error as NodeJS.ErrnoException).code ?? "unknown error"})`, false);
    }
  }

  /** A cancelled job has ended already; a stopping API puts its job back; any other failure fails the job with the reason. */
  private async settleFailure({ job }: ImageJobWork, backend: string, error: unknown, signal: AbortSignal): Promise<void> {
    if (signal.aborted && signal.reason === ENDED_ELSEWHERE) return;
    if (signal.aborted && signal.reason === STOPPING) return this.deps.generation.putBackImageJob(job);
    if (!(error instanceof BackendError)) this.deps.logger.error({ err: error, jobId: job.id, backend }, "image job failed unexpectedly");
    const reason = error instanceof BackendError ? error.message : "an internal error stopped the job; the server log has the details";
    await this.deps.generation.failImageJob(job, `backend '${backend}': ${reason}`);
  }
}
