import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Experiment, Prisma, PrismaClient, Run, RunStatus } from "../generated/prisma/client.js";
import type { ActivityInput, ActivityService } from "../activity/service.js";
import type { AdapterService } from "../adapters/service.js";
import type { DatasetService } from "../datasets/service.js";
import { BadUserInputError, ConflictError, DomainError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { RUN_NAME_MAX, startRunInput } from "../experiments/inputs.js";
import type { ExperimentService } from "../experiments/service.js";
import { followState, type EventBus, type LogChunkPayload, type MetricPointPayload, type SidecarCommandPayload } from "../pubsub/pubsub.js";
import { resume, resumeBatches } from "../pubsub/resumable.js";
import type { JobQueue } from "../queue/queue.js";
import type { Storage } from "../storage/storage.js";
import { withoutNulls, type TrainingConfig } from "../training-config/validate.js";
import type { MetricSeries } from "../workers/downsample.js";
import type { WorkerPool } from "../workers/pool.js";
import { finishRunInput, logChunksInput, metricPointsInput, metricsQueryInput, type FinishRunInput } from "./inputs.js";
import { LOG_STREAM_LIMITS, METRIC_STREAM_LIMITS, skippedLogMarker } from "./streams.js";

type Tx = Prisma.TransactionClient;

export interface RunServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  events: EventBus;
  queue: JobQueue;
  storage: Storage;
  pool: WorkerPool;
  datasets: DatasetService;
  adapters: AdapterService;
  experiments: ExperimentService;
  /** RUN_LOG_MAX_MB in bytes: a run's log is refused past it */
  runLogMaxBytes: number;
}

export const TERMINAL: RunStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];
const CONFIG_FILE = "config.json";
const DATASET_FILE = "dataset.jsonl";
const EXIT_CANCELLED = 143;

export const isTerminal = (status: RunStatus) => TERMINAL.includes(status);

export class RunService {
  constructor(private readonly deps: RunServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  // ---- starting and stopping ----------------------------------------------------------------

  /**
   * Refused without a dataset (no run record); stores the override's keys only and the merged config,
   * exports the dataset to JSONL beside the config, then queues the run.
   */
  async start(experimentId: string, rawInput: unknown): Promise<Run> {
    const input = parseInput(startRunInput, rawInput ?? {});
    const experiment = await this.deps.experiments.find(experimentId);
    if (experiment.status === "ARCHIVED") throw BadUserInputError.forField("experimentId", `'${experiment.name}' is archived; unarchive it to start runs`);
    if (!experiment.datasetId) throw BadUserInputError.forField("experimentId", `'${experiment.name}' has no dataset; link one before starting a run`);
    const trainer = this.deps.experiments.trainerOf(experiment.baseModelId);
    if (!trainer) throw BadUserInputError.forField("experimentId", `no trainer trains ${experiment.baseModelId}; register one in TRAINERS`);
    const override = input.configOverride && Object.keys(input.configOverride).length > 0 ? input.configOverride : null;
    const effective = withoutNulls({ ...(experiment.trainingConfig as TrainingConfig), ...(override ?? {}) });
    this.deps.experiments.validateConfig(effective, experiment.baseModelId, "configOverride");
    const name = input.name ?? (await this.freeRunName(experimentId));
    const id = randomUUID();
    await this.prepareDirectory(id, experiment, effective);
    try {
      const run = await this.deps.activity.transaction(this.prisma, async (tx) => {
        const created = await tx.run.create({
          data: {
            id,
            experimentId,
            name,
            trainer,
            configOverride: (override ?? undefined) as Prisma.InputJsonObject | undefined,
            effectiveConfig: effective as Prisma.InputJsonObject,
          },
        });
        await tx.experiment.update({ where: { id: experimentId }, data: { status: "RUNNING" } });
        return { result: created, event: runEvent("RUN_STARTED", experiment, created, "queued") };
      });
      await this.deps.queue.add({ runId: run.id, trainer });
      this.publishStatus(run);
      return run;
    } catch (error) {
      await rm(this.deps.storage.runPath(id), { recursive: true, force: true });
      if (error instanceof DomainError) throw error;
      throw (await this.nameTaken(experimentId, name)) ? new ConflictError(`run '${name}' exists in '${experiment.name}'`) : error;
    }
  }

  private async nameTaken(experimentId: string, name: string): Promise<boolean> {
    return (await this.prisma.run.count({ where: { experimentId, name } })) > 0;
  }

  private async freeRunName(experimentId: string): Promise<string> {
    const names = new Set((await this.prisma.run.findMany({ where: { experimentId }, select: { name: true } })).map((r) => r.name));
    let n = names.size + 1;
    while (names.has(`run-${n}`)) n += 1;
    return `run-${n}`.slice(0, RUN_NAME_MAX);
  }

  /** The trainer's inputs: the config (with the experiment's base model) and the dataset export. */
  private async prepareDirectory(id: string, experiment: Experiment, effective: TrainingConfig): Promise<void> {
    const { storage, datasets } = this.deps;
    const dir = storage.runPath(id);
    await mkdir(dir, { recursive: true });
    const config = { ...effective, baseModel: experiment.baseModelId };
    await writeFile(storage.runPath(id, CONFIG_FILE), JSON.stringify(config, null, 2));
    await pipeline(Readable.from(datasets.exportJsonl(experiment.datasetId!)), createWriteStream(storage.runPath(id, DATASET_FILE)));
  }

  datasetPath(runId: string): string {
    return this.deps.storage.runPath(runId, DATASET_FILE);
  }

  /** A pending run is taken off the queue at once; a running one is asked to stop (its trainer gets SIGTERM). */
  async cancel(id: string): Promise<Run> {
    const run = await this.find(id);
    if (isTerminal(run.status)) throw BadUserInputError.forField("id", `run '${run.name}' is already ${run.status.toLowerCase()}`);
    if (run.status === "PENDING" && (await this.deps.queue.remove(id))) {
      return this.end(run, { status: "CANCELLED", error: null, exitCode: null }, "cancelled before it started");
    }
    const updated = await this.prisma.run.update({ where: { id }, data: { cancelRequested: true } });
    if (updated.sidecarId) this.deps.events.publish("sidecarCommand", updated.sidecarId, { kind: "CANCEL_RUN", runId: id });
    return updated;
  }

  /** Deletes terminal runs only (else BAD_USER_INPUT, nothing deleted); an adapter they produced stays, unlinked. */
  async delete(experimentId: string | null, ids: string[]): Promise<string[]> {
    if (ids.length === 0) throw BadUserInputError.forField("runIds", "no run ids were given");
    if (ids.length > 500) throw BadUserInputError.forField("runIds", "at most 500 runs per call");
    const unique = [...new Set(ids)];
    const runs = await this.prisma.run.findMany({ where: { id: { in: unique }, ...(experimentId ? { experimentId } : {}) } });
    const missing = unique.filter((id) => !runs.some((run) => run.id === id));
    if (missing.length > 0) throw new NotFoundError(`run(s) ${missing.join(", ")} do not exist${experimentId ? " in this experiment" : ""}`);
    const live = runs.filter((run) => !isTerminal(run.status));
    if (live.length > 0) {
      const names = live.map((run) => `'${run.name}' (${run.status.toLowerCase()})`).join(", ");
      throw BadUserInputError.forField("runIds", `only finished runs can be deleted: ${names}; cancel first`);
    }
    const experiments = [...new Set(runs.map((run) => run.experimentId))];
    await this.deps.activity.transaction(this.prisma, async (tx) => {
      await tx.run.deleteMany({ where: { id: { in: unique } } });
      for (const experimentId of experiments) await this.deps.experiments.recompute(tx, experimentId);
      const names = runs.map((run) => run.name).join(", ");
      return { result: null, event: { type: "RUNS_DELETED", message: `run(s) ${names} deleted`, subjectType: "Experiment", subjectId: experiments[0]!, data: { runIds: unique } } };
    });
    await Promise.all(unique.map((id) => rm(this.deps.storage.runPath(id), { recursive: true, force: true })));
    return unique;
  }

  // ---- the sidecar's side ---------------------------------------------------------------------

  /** PENDING -> RUNNING on this sidecar; null when the run is gone or no longer pending (cancelled meanwhile). */
  async dispatch(runId: string, sidecarId: string): Promise<SidecarCommandPayload | null> {
    const claimed = await this.prisma.run.updateMany({ where: { id: runId, status: "PENDING" }, data: { status: "RUNNING", sidecarId, startedAt: new Date() } });
    if (claimed.count === 0) return null;
    const run = await this.find(runId);
    this.publishStatus(run);
    const config = JSON.parse(await readFile(this.deps.storage.runPath(runId, CONFIG_FILE), "utf8")) as Record<string, unknown>;
    return { kind: "START_RUN", runId, trainer: run.trainer, config, datasetUrl: `/sidecar/runs/${runId}/${DATASET_FILE}` };
  }

  /**
   * Chunks already stored (a retried report) are skipped; new ones must follow the last stored seq without a gap and
   * keep the log within RUN_LOG_MAX_MB. They are stored, then published.
   */
  async appendLogs(rawInput: unknown): Promise<number> {
    const { runId, chunks } = parseInput(logChunksInput, rawInput);
    const run = await this.findRunning(runId);
    const fresh = chunks.filter((chunk) => chunk.seq > run.lastSeq).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return run.lastSeq;
    const misplaced = fresh.findIndex((chunk, index) => chunk.seq !== run.lastSeq + 1 + index);
    if (misplaced >= 0) {
      const previous = misplaced === 0 ? run.lastSeq : fresh[misplaced - 1]!.seq;
      throw BadUserInputError.forField("chunks", `chunk ${fresh[misplaced]!.seq} follows ${previous}: chunks must be sent in order, without gaps or repeats`);
    }
    const bytes = fresh.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.data), 0);
    this.checkLogCap(run, bytes);
    const payload: LogChunkPayload[] = fresh.map((chunk) => ({ ...chunk, time: chunk.time ?? new Date() }));
    const lastSeq = payload[payload.length - 1]!.seq;
    const stored = await this.prisma.$transaction(async (tx) => {
      // Only from the lastSeq read above: two reports stored at once would count their bytes twice.
      const claimed = await tx.run.updateMany({ where: { id: runId, lastSeq: run.lastSeq }, data: { lastSeq, logBytes: { increment: bytes } } });
      if (claimed.count === 0) return false;
      await tx.runLogChunk.createMany({ data: payload.map((chunk) => ({ runId, ...chunk })) });
      return true;
    });
    if (!stored) throw new ConflictError(`another report of the log of run '${run.name}' was stored meanwhile; send these chunks again`);
    this.deps.events.publish("runLog", runId, payload);
    return lastSeq;
  }

  private checkLogCap(run: Run, bytes: number): void {
    const cap = this.deps.runLogMaxBytes;
    if (run.logBytes + bytes <= cap) return;
    const message = `the log of run '${run.name}' holds ${run.logBytes} bytes; ${bytes} more would pass RUN_LOG_MAX_MB (${cap} bytes): a sidecar keeps the log's head and tail within it`;
    throw BadUserInputError.forField("chunks", message);
  }

  async appendMetrics(rawInput: unknown): Promise<number> {
    const { runId, points } = parseInput(metricPointsInput, rawInput);
    await this.findRunning(runId);
    const stored: MetricPointPayload[] = await this.prisma.metricPoint.createManyAndReturn({
      data: points.map((point) => ({ runId, ...point, time: point.time ?? new Date() })),
      skipDuplicates: true,
      select: { name: true, step: true, value: true, time: true },
    });
    // Only what was stored now: a retried report's points reached the subscribers the first time.
    if (stored.length > 0) this.deps.events.publish("runMetrics", runId, stored);
    return stored.length;
  }

  /**
   * The trainer's exit: 0 with a PEFT adapter -> COMPLETED and the adapter `{experiment}-{run}` registered
   * and linked; a cancel that was asked for -> CANCELLED; anything else -> FAILED with the reason.
   */
  async finish(rawInput: unknown, files: File[]): Promise<Run> {
    const input = parseInput(finishRunInput, rawInput);
    const run = await this.find(input.runId);
    if (isTerminal(run.status)) return run;
    const experiment = await this.deps.experiments.find(run.experimentId);
    if (input.exitCode === 0 && files.length > 0) return this.complete(run, experiment, files);
    if (run.cancelRequested && (input.exitCode === EXIT_CANCELLED || input.exitCode === null)) {
      return this.end(run, { status: "CANCELLED", exitCode: input.exitCode, error: null }, "cancelled");
    }
    const error = input.exitCode === 0 ? "the trainer exited with code 0 but wrote no adapter (adapter_config.json + adapter_model.safetensors)" : failureReason(input);
    return this.end(run, { status: "FAILED", exitCode: input.exitCode, error }, "failed");
  }

  private async complete(run: Run, experiment: Experiment, files: File[]): Promise<Run> {
    const finalLoss = await this.finalLoss(run.id);
    try {
      await this.deps.adapters.ingestTrained(
        files,
        {
          name: `${experiment.name}-${run.name}`,
          baseModelId: experiment.baseModelId,
          description: `Trained by run ${run.name} of experiment ${experiment.name}.`,
          trainingConfig: run.effectiveConfig as Prisma.InputJsonObject,
        },
        async (tx, adapter) => {
          await this.endIn(tx, run, { status: "COMPLETED", exitCode: 0, error: null, finalLoss, adapterId: adapter.id });
        },
      );
    } catch (error) {
      const reason = error instanceof DomainError ? error.message : "the adapter could not be stored";
      return this.end(run, { status: "FAILED", exitCode: 0, error: `the trainer's adapter was refused: ${reason}` }, "failed");
    }
    const ended = await this.find(run.id);
    this.afterEnd(ended);
    return ended;
  }

  /** Every run still running on a sidecar that went away ends FAILED with the reason; logs and metrics stay. */
  async failRunsOfSidecar(sidecarId: string, reason: string): Promise<number> {
    const runs = await this.prisma.run.findMany({ where: { sidecarId, status: "RUNNING" } });
    for (const run of runs) await this.end(run, { status: "FAILED", exitCode: null, error: reason }, "failed");
    return runs.length;
  }

  /**
   * At start: runs left RUNNING by a previous API process (whose embedded sidecar died with it) fail;
   * PENDING runs go back on the queue.
   */
  async recover(failRunning: boolean): Promise<void> {
    if (failRunning) {
      for (const run of await this.prisma.run.findMany({ where: { status: "RUNNING" } })) {
        await this.end(run, { status: "FAILED", exitCode: null, error: "the API stopped while the run was executing" }, "failed");
      }
    }
    for (const run of await this.prisma.run.findMany({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" } })) {
      await this.deps.queue.add({ runId: run.id, trainer: run.trainer });
    }
  }

  private async finalLoss(runId: string): Promise<number | null> {
    for (const name of ["eval_loss", "loss"]) {
      const last = await this.prisma.metricPoint.findFirst({ where: { runId, name }, orderBy: { step: "desc" } });
      if (last && Number.isFinite(last.value)) return last.value;
    }
    return null;
  }

  private async end(run: Run, data: Prisma.RunUncheckedUpdateInput & { status: RunStatus }, verb: string): Promise<Run> {
    const experiment = await this.deps.experiments.find(run.experimentId);
    const ended = await this.deps.activity.transaction(this.prisma, async (tx) => {
      const updated = await this.endIn(tx, run, data);
      return { result: updated, event: runEvent(`RUN_${data.status}`, experiment, updated, verb) };
    });
    this.afterEnd(ended);
    return ended;
  }

  private async endIn(tx: Tx, run: Run, data: Prisma.RunUncheckedUpdateInput): Promise<Run> {
    const updated = await tx.run.update({ where: { id: run.id }, data: { ...data, finishedAt: new Date() } });
    await this.deps.experiments.recompute(tx, run.experimentId);
    return updated;
  }

  private afterEnd(run: Run): void {
    this.publishStatus(run);
    if (run.sidecarId) this.deps.events.publish("sidecarRunEnded", run.sidecarId, { id: run.id });
  }

  private publishStatus(run: Run): void {
    this.deps.events.publish("runStatus", run.id, { id: run.id });
  }

  // ---- reads ---------------------------------------------------------------------------------

  async find(id: string): Promise<Run> {
    const run = await this.prisma.run.findUnique({ where: { id } });
    if (!run) throw new NotFoundError(`run '${id}' does not exist`);
    return run;
  }

  private async findRunning(id: string): Promise<Run> {
    const run = await this.find(id);
    if (run.status !== "RUNNING") throw BadUserInputError.forField("runId", `run '${run.name}' is ${run.status.toLowerCase()}, not running`);
    return run;
  }

  logs(runId: string, afterSeq: number, first: number): Promise<LogChunkPayload[]> {
    return this.prisma.runLogChunk.findMany({
      where: { runId, seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: first,
      select: { seq: true, stream: true, data: true, time: true },
    });
  }

  /** The whole log, page by page as the download is read, for the download. */
  async *logText(runId: string): AsyncGenerator<string> {
    const { pageSize } = LOG_STREAM_LIMITS;
    let after = 0;
    while (true) {
      const page = await this.logs(runId, after, pageSize);
      for (const chunk of page) yield chunk.data;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.seq;
    }
  }

  async metricNames(runId: string): Promise<string[]> {
    const rows = await this.prisma.metricPoint.findMany({ where: { runId }, distinct: ["name"], select: { name: true }, orderBy: { name: "asc" } });
    return rows.map((row) => row.name);
  }

  /** Each series in a step range, downsampled to at most maxPoints keeping every bucket's min and max. */
  async metrics(runId: string, rawArgs: unknown): Promise<{ name: string; totalPoints: number; series: MetricSeries }[]> {
    const args = parseInput(metricsQueryInput, rawArgs);
    const names = args.names ?? (await this.metricNames(runId));
    return Promise.all(
      names.map(async (name) => {
        const rows = await this.prisma.metricPoint.findMany({
          where: { runId, name, step: { gte: args.fromStep ?? undefined, lte: args.toStep ?? undefined } },
          orderBy: { step: "asc" },
          select: { step: true, value: true, time: true },
        });
        const full: MetricSeries = {
          steps: Float64Array.from(rows, (r) => r.step),
          values: Float64Array.from(rows, (r) => r.value),
          times: Float64Array.from(rows, (r) => r.time.getTime()),
        };
        return { name, totalPoints: rows.length, series: await this.deps.pool.downsample(full, args.maxPoints) };
      }),
    );
  }

  // ---- subscriptions -------------------------------------------------------------------------

  /** Chunks after afterSeq; one who reads slower than the trainer writes gets a marker chunk for what it missed. */
  logStream(runId: string, afterSeq: number): AsyncGenerator<LogChunkPayload> {
    return resume(
      {
        ...LOG_STREAM_LIMITS,
        live: this.deps.events.subscribe("runLog", runId),
        load: (after, limit) => this.logs(runId, after, limit),
        marker: skippedLogMarker,
      },
      afterSeq,
    );
  }

  metricStream(runId: string, afterStep: number): AsyncGenerator<MetricPointPayload[]> {
    return resumeBatches(
      {
        ...METRIC_STREAM_LIMITS,
        live: this.deps.events.subscribe("runMetrics", runId),
        load: (after, limit) => this.metricPage(runId, after, limit),
        keyOf: (p) => `${p.name}@${p.step}`,
      },
      afterStep,
    );
  }

  /** Whole steps only: up to the step of the limit-th point after `after`. */
  private async metricPage(runId: string, after: number, limit: number): Promise<MetricPointPayload[]> {
    const boundary = await this.prisma.metricPoint.findMany({ where: { runId, step: { gt: after } }, orderBy: [{ step: "asc" }, { name: "asc" }], skip: limit - 1, take: 1, select: { step: true } });
    return this.prisma.metricPoint.findMany({
      where: { runId, step: { gt: after, lte: boundary[0]?.step } },
      orderBy: [{ step: "asc" }, { name: "asc" }],
      select: { name: true, step: true, value: true, time: true },
    });
  }

  /** The run now, then after every change, until it has ended. */
  statusStream(runId: string): AsyncGenerator<Run> {
    return followState({ changes: this.deps.events.subscribe("runStatus", runId), load: () => this.find(runId), isFinal: (run) => isTerminal(run.status) });
  }
}

function failureReason(input: FinishRunInput): string {
  const how = input.signal ? `was killed by ${input.signal}` : input.exitCode === null ? "did not run" : `exited with code ${input.exitCode}`;
  return input.error ? `the trainer ${how}: ${input.error}` : `the trainer ${how}`;
}

function runEvent(type: string, experiment: Experiment, run: Run, verb: string): ActivityInput {
  return { type, message: `run ${run.name} of ${experiment.name} ${verb}`, subjectType: "Run", subjectId: run.id, data: { experimentId: experiment.id } };
}
