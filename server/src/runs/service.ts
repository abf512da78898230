import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Experiment, Prisma, PrismaClient, Run, RunStatus } from "../generated/prisma/client.js";
import type { ActivityInput, ActivityService } from "../activity/service.js";
import type { AdapterService } from "../adapters/service.js";
import type { DatasetService } from "../datasets/service.js";
import { BadUserInputError, ConflictError, DomainError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { RUN_NAME_MAX, startRunInput } from "../experiments/inputs.js";
import type { ExperimentService } from "../experiments/service.js";
import type { LogChunkEvent, MetricPointEvent } from "../contracts/events.js";
import { followState, type EventBus } from "../pubsub/pubsub.js";
import { resume, resumeBatches } from "../pubsub/resumable.js";
import { trainingJobOf, type JobQueue } from "../queue/queue.js";
import type { Storage } from "../storage/storage.js";
import { withoutNulls, type TrainingConfig } from "../training-config/validate.js";
import type { MetricSeries } from "../contracts/worker-tasks.js";
import type { WorkerPool } from "../workers/pool.js";
import { finishRunReport, runLogsReport, runMetricsReport, type FinishRunReport, type RunLogsReport, type SidecarCommand } from "../contracts/sidecar.js";
import { metricsQueryInput } from "./inputs.js";
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
  /** RUN_RETRIES: times a run whose sidecar was lost starts again from scratch before it fails */
  retries: number;
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
      await this.deps.queue.add(trainingJobOf(run));
      this.publishStatus(run);
      return run;
    } catch (error) {
      await this.deps.storage.runs.remove(id);
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
    const config = { ...effective, baseModel: experiment.baseModelId };
    await storage.runs.put(id, CONFIG_FILE, JSON.stringify(config, null, 2));
    await storage.runs.put(id, DATASET_FILE, datasets.exportJsonl(experiment.datasetId!));
  }

  /** The run's dataset export, as its trainer reads it; a missing export errors the stream. */
  readDataset(runId: string): Readable {
    return this.deps.storage.runs.read(runId, DATASET_FILE);
  }

  /** A pending run is taken off the queue at once; a running one is asked to stop (its trainer gets SIGTERM). */
  async cancel(id: string): Promise<Run> {
    const run = await this.find(id);
    if (isTerminal(run.status)) throw BadUserInputError.forField("id", `run '${run.name}' is already ${run.status.toLowerCase()}`);
    if (run.status === "PENDING" && (await this.deps.queue.remove(trainingJobOf(run)))) {
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
    await Promise.all(unique.map((id) => this.deps.storage.runs.remove(id)));
    return unique;
  }

  // ---- the sidecar's side ---------------------------------------------------------------------

  /** PENDING -> RUNNING on this sidecar; null when the run is gone or no longer pending (cancelled meanwhile). */
  async dispatch(runId: string, sidecarId: string): Promise<SidecarCommand | null> {
    const claimed = await this.prisma.run.updateMany({
      where: { id: runId, status: "PENDING" },
      data: { status: "RUNNING", sidecarId, startedAt: new Date(), attempts: { increment: 1 } },
    });
    if (claimed.count === 0) return null;
    const run = await this.find(runId);
    this.publishStatus(run);
    const config = JSON.parse((await this.deps.storage.runs.readAll(runId, CONFIG_FILE)).toString("utf8")) as Record<string, unknown>;
    return { kind: "START_RUN", runId, trainer: run.trainer, config, datasetUrl: `/sidecar/runs/${runId}/${DATASET_FILE}` };
  }

  /**
   * Chunks already stored (a retried report) are skipped; new ones must follow the last stored seq without a gap and
   * keep the log within RUN_LOG_MAX_MB. They are stored, then published. A retried run's sidecar counts its seqs from
   * 1 again: they are stored after the earlier attempts' log (logSeqOffset), and the last seq returned is its own.
   */
  async appendLogs(rawInput: unknown): Promise<number> {
    const report = parseInput(runLogsReport, rawInput);
    const run = await this.findRunning(report.runId);
    return (await this.storeLogs(run, report.chunks)) - run.logSeqOffset;
  }

  private async storeLogs(run: Run, reported: RunLogsReport["chunks"]): Promise<number> {
    const runId = run.id;
    const chunks = reported.map((chunk) => ({ ...chunk, seq: chunk.seq + run.logSeqOffset }));
    const fresh = chunks.filter((chunk) => chunk.seq > run.lastSeq).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return run.lastSeq;
    const misplaced = fresh.findIndex((chunk, index) => chunk.seq !== run.lastSeq + 1 + index);
    if (misplaced >= 0) {
      const previous = misplaced === 0 ? run.lastSeq : fresh[misplaced - 1]!.seq;
      throw BadUserInputError.forField("chunks", `chunk ${fresh[misplaced]!.seq} follows ${previous}: chunks must be sent in order, without gaps or repeats`);
    }
    const bytes = fresh.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.data), 0);
    this.checkLogCap(run, bytes);
    const payload: LogChunkEvent[] = fresh.map((chunk) => ({ ...chunk, time: chunk.time ?? new Date() }));
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
    const { runId, points } = parseInput(runMetricsReport, rawInput);
    await this.findRunning(runId);
    const stored: MetricPointEvent[] = await this.prisma.metricPoint.createManyAndReturn({
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
    const input = parseInput(finishRunReport, rawInput);
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

  /**
   * Every run still running on a sidecar that went away ends FAILED with the reason, its logs and metrics kept; or,
   * while it has retries left (RUN_RETRIES), starts again from scratch. Returns how many there were.
   */
  async sidecarLost(sidecarId: string, reason: string): Promise<number> {
    return this.loseRunning({ sidecarId }, reason);
  }

  private async loseRunning(where: Prisma.RunWhereInput, reason: string): Promise<number> {
    const runs = await this.prisma.run.findMany({ where: { ...where, status: "RUNNING" } });
    for (const run of runs) {
      if (run.attempts <= this.deps.retries) await this.retry(run, reason);
      else await this.end(run, { status: "FAILED", exitCode: null, error: run.attempts > 1 ? `${reason} (after ${run.attempts} attempts)` : reason }, "failed");
    }
    return runs.length;
  }

  /**
   * Back to PENDING and the queue, to start from scratch on whichever sidecar takes it: the log so far stays, with a
   * line saying why, and the next attempt's chunks follow it; the lost attempt's metric points go, since the next one
   * counts its steps from the start again. Nothing happens when the run has moved on meanwhile (another replica did it).
   */
  private async retry(run: Run, reason: string): Promise<void> {
    const attempt = run.attempts + 1;
    const marker = { seq: run.lastSeq + 1, stream: "STDERR" as const, time: new Date(), data: `\r\n\x1b[33m[lora-studio] ${reason}: starting it again from scratch (attempt ${attempt} of ${this.deps.retries + 1})\x1b[0m\r\n` };
    const experiment = await this.deps.experiments.find(run.experimentId);
    try {
      await this.deps.activity.transaction(this.prisma, async (tx) => {
        const moved = await tx.run.updateMany({
          where: { id: run.id, status: "RUNNING", sidecarId: run.sidecarId, lastSeq: run.lastSeq },
          data: { status: "PENDING", sidecarId: null, startedAt: null, lastSeq: marker.seq, logSeqOffset: marker.seq, logBytes: { increment: Buffer.byteLength(marker.data) } },
        });
        if (moved.count === 0) throw new RunMovedOn();
        await tx.runLogChunk.create({ data: { runId: run.id, ...marker } });
        await tx.metricPoint.deleteMany({ where: { runId: run.id } });
        return { result: null, event: runEvent("RUN_RETRIED", experiment, run, `queued again (attempt ${attempt}): ${reason}`) };
      });
    } catch (error) {
      if (error instanceof RunMovedOn) return;
      throw error;
    }
    this.deps.events.publish("runLog", run.id, [marker]);
    this.afterEnd(run);
    await this.deps.queue.add(trainingJobOf(run));
  }

  /**
   * At start: runs left RUNNING by a previous API process (whose embedded sidecar died with it) are lost as that
   * sidecar's would be; PENDING runs go back on the queue (a queue that kept them takes each once).
   */
  async recover(loseRunning: boolean): Promise<void> {
    if (loseRunning) await this.loseRunning({}, "the API stopped while the run was executing");
    await this.requeue();
  }

  /** Every PENDING run on the queue (again): a queue that kept them (or took one meanwhile) takes each once. */
  async requeue(): Promise<void> {
    for (const run of await this.prisma.run.findMany({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" } })) {
      await this.deps.queue.add(trainingJobOf(run));
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

  logs(runId: string, afterSeq: number, first: number): Promise<LogChunkEvent[]> {
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
  logStream(runId: string, afterSeq: number): AsyncGenerator<LogChunkEvent> {
    return resume(
      {
        ...LOG_STREAM_LIMITS,
        live: this.deps.events.subscribe("runLog", runId),
        load: (after, limit) => this.logs(runId, after, limit),
        marker: skippedLogMarker,
        sync: this.deps.events,
      },
      afterSeq,
    );
  }

  metricStream(runId: string, afterStep: number): AsyncGenerator<MetricPointEvent[]> {
    return resumeBatches(
      {
        ...METRIC_STREAM_LIMITS,
        live: this.deps.events.subscribe("runMetrics", runId),
        load: (after, limit) => this.metricPage(runId, after, limit),
        // with its time: a retried run's new attempt records the same names and steps again
        keyOf: (p) => `${p.name}@${p.step}@${p.time.getTime()}`,
        sync: this.deps.events,
      },
      afterStep,
    );
  }

  /** Whole steps only: up to the step of the limit-th point after `after`. */
  private async metricPage(runId: string, after: number, limit: number): Promise<MetricPointEvent[]> {
    const boundary = await this.prisma.metricPoint.findMany({ where: { runId, step: { gt: after } }, orderBy: [{ step: "asc" }, { name: "asc" }], skip: limit - 1, take: 1, select: { step: true } });
    return this.prisma.metricPoint.findMany({
      where: { runId, step: { gt: after, lte: boundary[0]?.step } },
      orderBy: [{ step: "asc" }, { name: "asc" }],
      select: { name: true, step: true, value: true, time: true },
    });
  }

  /** The run now, then after every change, until it has ended. */
  statusStream(runId: string): AsyncGenerator<Run> {
    return followState({ changes: this.deps.events.subscribe("runStatus", runId), load: () => this.find(runId), isFinal: (run) => isTerminal(run.status), sync: this.deps.events });
  }
}

/** A run a retry was about to move back to the queue had moved on meanwhile. */
class RunMovedOn extends Error {}

function failureReason(input: FinishRunReport): string {
  const how = input.signal ? `was killed by ${input.signal}` : input.exitCode === null ? "did not run" : `exited with code ${input.exitCode}`;
  return input.error ? `the trainer ${how}: ${input.error}` : `the trainer ${how}`;
}

function runEvent(type: string, experiment: Experiment, run: Run, verb: string): ActivityInput {
  return { type, message: `run ${run.name} of ${experiment.name} ${verb}`, subjectType: "Run", subjectId: run.id, data: { experimentId: experiment.id } };
}
