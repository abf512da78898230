import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { AdapterCache } from "./adapter-cache.js";
import { ApiError, backoffMs, describe, type ApiClient } from "./api-client.js";
import type { Capabilities } from "./capabilities.js";
import type { SidecarConfig } from "./env.js";
import { GenerationJob } from "./generation-job.js";
import { sidecarCommand, type GenerationCommand } from "../contracts/sidecar.js";
import type { SidecarCommandsSubscription } from "./gql/graphql.js";
import type { InferencePool } from "./inference-pool.js";
import { finishRunOperation, registerSidecarOperation, sidecarCommandsOperation } from "./operations.js";
import { retrying } from "./retry.js";
import { TrainingRun } from "./training-run.js";

/*
 * The sidecar (DESIGN §2, §6): registers its capabilities with the API, then takes commands from its subscription
 * (START_RUN, CANCEL_RUN, GENERATE) until it is stopped. A dropped socket is reconnected by graphql-ws; a subscription
 * the API ends or refuses is started again after registering again.
 */

type SidecarCommand = SidecarCommandsSubscription["sidecarCommands"];

export interface SidecarDeps {
  config: SidecarConfig;
  api: ApiClient;
  capabilities: Capabilities;
  /** the inference workers that run generation jobs */
  inference: InferencePool;
  cache: AdapterCache;
  logger: Logger;
  /** the API refused the sidecar for good (a wrong token): it cannot go on */
  onFatal(error: unknown): void;
}

/** How long a stop waits for the trainers to end and their runs (and generation jobs) to be reported before killing them. */
const SHUTDOWN_GRACE_MS = 4000;
/** How long a (re)registration waits for the API to let go of this sidecar id's previous connection. */

export class Sidecar {
  private readonly runs = new Map<string, TrainingRun>();
  private readonly jobs = new Map<string, GenerationJob>();
  /** aborted when the sidecar stops: no more registering */
  private readonly lifetime = new AbortController();
  /** aborted when reports can no longer reach the API */
  private readonly giveUp = new AbortController();
  /** chosen here when not configured, so that a registration retried after a lost answer stays one record */
  private readonly sidecarId: string;
  private unsubscribe: (() => void) | null = null;
  private resubscribes = 0;

  constructor(private readonly deps: SidecarDeps) {
    this.sidecarId = deps.config.sidecarId ?? randomUUID();
    deps.api.whenReconnected(() => void this.reregister());
  }

  /** Registers (retrying until the API answers), then listens for commands. */
  async start(): Promise<void> {
    try {
      await this.register();
    } catch (error) {
      if (!this.lifetime.signal.aborted) this.deps.onFatal(error);
      return;
    }
    if (!this.lifetime.signal.aborted) this.listen();
  }

  private async register(): Promise<void> {
    const { api, config, capabilities, logger } = this.deps;
    const input = { id: this.sidecarId, name: config.name, concurrency: config.concurrency, ...capabilities };
    const { registerSidecar } = await retrying("registering with the API", () => api.execute(registerSidecarOperation, { input }), { logger, signal: this.lifetime.signal });
    logger.info({ sidecar: registerSidecar.id, apiUrl: config.apiUrl, ...capabilities }, `registered as ${registerSidecar.name}`);
  }

  /** After graphql-ws reconnected by itself: the API may have marked this sidecar disconnected meanwhile. */
  private async reregister(): Promise<void> {
    try {
      await this.register();
    } catch (error) {
      if (!this.lifetime.signal.aborted) this.deps.onFatal(error);
    }
  }

  private listen(): void {
    const variables = { sidecarId: this.sidecarId, generationSlots: this.deps.config.generationConcurrency };
    this.unsubscribe = this.deps.api.subscribe(sidecarCommandsOperation, variables, {
      next: ({ sidecarCommands }) => {
        this.resubscribes = 0;
        this.handle(sidecarCommands);
      },
      error: (error) => void this.resubscribe(error),
      complete: () => void this.resubscribe(new ApiError("the API ended the command stream", "unreachable")),
    });
  }

  private async resubscribe(reason: ApiError): Promise<void> {
    if (this.lifetime.signal.aborted) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    const delay = backoffMs(this.resubscribes++);
    this.deps.logger.warn({ retryInMs: delay }, `command stream ended: ${reason.message}`);
    await sleep(delay, undefined, { signal: this.lifetime.signal }).catch(() => undefined);
    if (!this.lifetime.signal.aborted) await this.start();
  }

  private handle(received: SidecarCommand): void {
    const { logger } = this.deps;
    if (this.lifetime.signal.aborted) return;
    const checked = sidecarCommand.safeParse(received);
    if (!checked.success) return void logger.warn({ kind: received.kind, problem: checked.error.message }, "a command that breaks the contract is ignored (is this sidecar older than its API?)");
    const command = checked.data;
    if (command.kind === "GENERATE") return command.generation ? this.generate(command.generation) : void logger.warn("a GENERATE command without its job is ignored");
    const runId = command.runId;
    if (!runId) return void logger.warn({ kind: command.kind }, "a run command without a run id is ignored");
    const existing = this.runs.get(runId);
    if (command.kind === "CANCEL_RUN") {
      logger.info({ run: runId }, "cancel requested");
      if (existing) existing.cancel();
      else void this.endUnknownRun(runId);
      return;
    }
    if (existing) return void logger.warn({ run: runId }, "the run is already running here; the repeated start is ignored");
    logger.info({ run: runId, trainer: command.trainer }, "starting run");
    const { api, config } = this.deps;
    const run = new TrainingRun(runId, { ...command, runId }, { api, workDir: config.workDir, trainers: config.trainers, logMaxBytes: config.runLogMaxBytes, logger, giveUp: this.giveUp.signal });
    this.runs.set(runId, run);
    void run.finished.finally(() => this.runs.delete(runId));
  }

  private generate(command: GenerationCommand): void {
    const { api, inference, cache, logger } = this.deps;
    if (this.jobs.has(command.jobId)) return void logger.warn({ job: command.jobId }, "the job is already running here; the repeated start is ignored");
    const job = new GenerationJob(command, { api, inference, cache, logger, giveUp: this.giveUp.signal });
    this.jobs.set(command.jobId, job);
    void job.finished.finally(() => this.jobs.delete(command.jobId));
  }

  /** A cancel for a run this process does not hold (its trainer died with an earlier sidecar): it has stopped. */
  private async endUnknownRun(runId: string): Promise<void> {
    const { api, config, logger } = this.deps;
    const error = `sidecar ${config.name} had no trainer running for this run`;
    await retrying("reporting the cancelled run", () => api.execute(finishRunOperation, { input: { runId, exitCode: null, error } }), { logger, signal: this.giveUp.signal }).catch(
      (failure) => logger.error({ run: runId }, `could not report the cancelled run: ${describe(failure)}`),
    );
  }

  /**
   * Stops every trainer (SIGTERM, SIGKILL after a grace period) and generation job, reports each with the reason, then
   * closes the command stream and the inference workers. When the API is gone (`apiReachable` false) nothing is reported.
   */
  async stop(reason: string, apiReachable: boolean): Promise<void> {
    if (this.lifetime.signal.aborted) return;
    this.lifetime.abort();
    const { logger, api } = this.deps;
    logger.info({ runs: this.runs.size, jobs: this.jobs.size }, `stopping: ${reason}`);
    if (!apiReachable) this.giveUp.abort();
    const runs = [...this.runs.values()];
    const jobs = [...this.jobs.values()];
    for (const work of [...runs, ...jobs]) work.stop(`the sidecar was stopped (${reason})`);
    const finished = Promise.all([...runs, ...jobs].map((work) => work.finished));
    if ((await Promise.race([finished.then(() => true), sleep(SHUTDOWN_GRACE_MS, false)])) === false) {
      logger.warn("trainers did not end in time: killing them");
      for (const run of runs) run.kill();
      this.giveUp.abort();
      await Promise.race([finished, sleep(1000)]);
    }
    this.unsubscribe?.();
    await Promise.all([api.close(), this.deps.inference.close()]);
  }
}
