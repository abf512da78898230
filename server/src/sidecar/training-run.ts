import { openAsBlob } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { TrainerCommand } from "../config/trainers.js";
import { MAX_ERROR_CHARS, MAX_LOG_CHUNKS_PER_REPORT, MAX_METRIC_POINTS_PER_REPORT, type SidecarCommand } from "../contracts/sidecar.js";
import { describe, type ApiClient } from "./api-client.js";
import { MetricLines, type MetricPoint, type MetricRead } from "./metric-lines.js";
import { finishRunOperation, reportRunLogsOperation, reportRunMetricsOperation } from "./operations.js";
import { ReportQueue, type RequestLimits } from "./report-queue.js";
import { retrying } from "./retry.js";
import { RunLog, type LogChunk, type LogStream } from "./run-log.js";
import { StderrTail } from "./stderr-tail.js";
import { TrainerProcess, type TrainerExit, type TrainerPipes } from "./trainer-process.js";
import { trainerProgram, type TrainerProgram } from "./trainer-programs.js";
import { createRunDir, removeRunDir, type RunPaths } from "./work-dir.js";

/*
 * One run on this sidecar, from START_RUN to finishRun: its work directory (config, the dataset fetched from the API,
 * output/), the trainer process, its output reported as it comes (log chunks and metric points, batched every
 * FLUSH_MS, or at once when that much has been read), and at the exit everything flushed first, then the exit with the
 * adapter files or the error, then the directory removed. Whatever the trainer writes, the sidecar holds a bounded
 * amount of it: its pipes are not read while reports wait beyond a high-water mark, and the log past RUN_LOG_MAX_MB
 * is cut to its head and tail (run-log.ts).
 */

/** A START_RUN command (contracts/sidecar.ts) with its run id. */
export type StartRun = Pick<SidecarCommand, "trainer" | "config" | "datasetUrl"> & { runId: string };

export interface TrainingRunDeps {
  api: ApiClient;
  workDir: string;
  trainers: readonly TrainerCommand[];
  /** RUN_LOG_MAX_MB in bytes */
  logMaxBytes: number;
  logger: Logger;
  /** aborted when reports can no longer reach the API: stop retrying them */
  giveUp: AbortSignal;
}

interface Outcome extends TrainerExit {
  error: string | null;
  files: File[];
}

const FLUSH_MS = 100;
/** between SIGTERM and SIGKILL */
const KILL_GRACE_MS = 10_000;
/**
 * A quarter of the API's 1 MB JSON body limit: the API parses and stores a request in one go, so smaller requests keep
 * its event loop answering while a trainer floods (bench/log-flood.ts).
 */
const LOG_REQUEST: RequestLimits = { maxItems: MAX_LOG_CHUNKS_PER_REPORT, maxBytes: 256 * 1024 };
const METRIC_REQUEST: RequestLimits = { maxItems: MAX_METRIC_POINTS_PER_REPORT, maxBytes: 800 * 1024 };
/** reports that may wait for the API before the trainer's pipes stop being read */
const LOG_BACKLOG_BYTES = 4 * 1024 * 1024;
const METRIC_BACKLOG_BYTES = 2 * 1024 * 1024;
/** read text that is flushed at once rather than at the next tick */
const LOG_FLUSH_SIZE = 256 * 1024;
const ADAPTER_FILES = ["adapter_config.json", "adapter_model.safetensors"];
const MAX_METRIC_WARNINGS = 20;

export class TrainingRun {
  /** resolves once the run has been reported finished (or that failed for good) and its directory removed */
  readonly finished: Promise<void>;
  private readonly logger: Logger;
  private readonly preparing = new AbortController();
  private trainer: TrainerProcess | null = null;
  private cancelled = false;
  private stopReason: string | null = null;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly log: RunLog;
  private readonly stderr = new StderrTail();
  private readonly metricLines = new MetricLines();
  private readonly points: MetricPoint[] = [];
  private metricWarnings = 0;
  private readonly logReports: ReportQueue<LogChunk>;
  private readonly metricReports: ReportQueue<MetricPoint>;

  constructor(readonly runId: string, command: StartRun, private readonly deps: TrainingRunDeps) {
    this.logger = deps.logger.child({ run: runId });
    this.log = new RunLog(deps.logMaxBytes);
    const { api, giveUp } = deps;
    const reports = <T>(what: TrainerPipes, limits: RequestLimits, highWaterBytes: number, send: (items: T[]) => Promise<unknown>) =>
      new ReportQueue<T>({
        what,
        send,
        limits,
        logger: this.logger,
        giveUp,
        onRefused: (error) => this.refused(what, error),
        backpressure: { highWaterBytes, pause: () => this.trainer?.pause(what), resume: () => this.trainer?.resume(what) },
      });
    this.logReports = reports("log", LOG_REQUEST, LOG_BACKLOG_BYTES, (chunks: LogChunk[]) => api.execute(reportRunLogsOperation, { runId, chunks }));
    this.metricReports = reports("metrics", METRIC_REQUEST, METRIC_BACKLOG_BYTES, (points: MetricPoint[]) => api.execute(reportRunMetricsOperation, { runId, points }));
    this.finished = this.execute(command);
  }

  /** CANCEL_RUN: SIGTERM, SIGKILL after a grace period; a run still being prepared never starts its trainer. */
  cancel(): void {
    this.cancelled = true;
    this.terminate();
  }

  /** Ends the run for a reason of the sidecar's own (time limit, shutdown), which its error will name. */
  stop(reason: string): void {
    this.stopReason ??= reason;
    this.terminate();
  }

  /** The API will not take this run's reports (it has ended there, most likely): its trainer works for nothing. */
  private refused(what: string, error: unknown): void {
    if (this.deps.giveUp.aborted) return;
    this.logger.error(`the API refused the run's ${what}: ${describe(error)}`);
    this.stop(`the API refused the run's ${what} (${describe(error)}), so the sidecar stopped the trainer`);
  }

  /** No grace: the sidecar is going away now. */
  kill(): void {
    this.preparing.abort();
    this.trainer?.signal("SIGKILL");
  }

  private terminate(): void {
    this.preparing.abort();
    const trainer = this.trainer;
    if (!trainer?.running) return;
    trainer.signal("SIGTERM");
    this.killTimer ??= setTimeout(() => trainer.signal("SIGKILL"), KILL_GRACE_MS);
  }

  private async execute(command: StartRun): Promise<void> {
    let paths: RunPaths | null = null;
    let outcome: Outcome;
    try {
      const program = command.trainer ? trainerProgram(command.trainer, this.deps.trainers) : null;
      if (!program) throw new Error(`this sidecar has no trainer ${JSON.stringify(command.trainer)}`);
      paths = await createRunDir(this.deps.workDir, this.runId, command.config);
      await this.download(command.datasetUrl, paths);
      outcome = await this.train(program, paths);
    } catch (error) {
      outcome = this.notStarted(error);
    }
    await this.finish(outcome);
    if (paths) await removeRunDir(paths).catch((error) => this.logger.warn(`could not remove ${paths!.dir}: ${describe(error)}`));
  }

  private async download(datasetUrl: string | null | undefined, paths: RunPaths): Promise<void> {
    if (!datasetUrl) throw new Error("the API sent no dataset URL");
    const { signal } = this.preparing;
    await retrying("downloading the dataset", () => this.deps.api.download(datasetUrl, paths.dataset, signal), { logger: this.logger, signal });
  }

  private async train(program: TrainerProgram, paths: RunPaths): Promise<Outcome> {
    if (this.preparing.signal.aborted) throw new Error("stopped before the trainer started");
    const trainer = await TrainerProcess.start(program, paths, {
      output: (stream, bytes) => this.output(stream, bytes),
      metrics: (bytes) => this.addMetrics(this.metricLines.write(bytes)),
    });
    this.trainer = trainer;
    this.logger.info({ pid: trainer.pid, trainer: program.name, command: program.command }, "trainer started");
    const flushing = setInterval(() => this.flush(), FLUSH_MS);
    const cancelTimeout = after(program.timeoutSeconds * 1000, () => this.stop(`the trainer ran past its time limit of ${program.timeoutSeconds} s and was stopped`));
    if (this.cancelled || this.stopReason) this.terminate();
    const exit = await trainer.exited;
    clearInterval(flushing);
    cancelTimeout();
    clearTimeout(this.killTimer);
    this.logger.info(exit, "trainer exited");

    this.log.end("STDOUT");
    this.stderr.append(this.log.end("STDERR"));
    this.addMetrics(this.metricLines.end());
    this.logReports.push(this.log.takeEnd());
    this.flushMetrics();
    await Promise.all([this.logReports.drain(), this.metricReports.drain()]);

    if (exit.exitCode === 0) return { ...exit, error: null, files: await adapterFiles(paths.output) };
    return { ...exit, error: failureText(this.stopReason, this.stderr.lines()), files: [] };
  }

  /** Set-up failed or was cut short: a cancel ends without an error (the API marks the run cancelled). */
  private notStarted(error: unknown): Outcome {
    const reason = this.cancelled ? null : (this.stopReason ?? `the sidecar could not start the trainer: ${describe(error)}`);
    if (reason) this.logger.error(reason);
    return { exitCode: null, signal: null, error: reason, files: [] };
  }

  private output(stream: LogStream, bytes: Buffer): void {
    const text = this.log.write(stream, bytes);
    if (stream === "STDERR") this.stderr.append(text);
    if (this.log.pendingSize >= LOG_FLUSH_SIZE) this.flushLog();
  }

  private addMetrics({ points, problems }: MetricRead): void {
    for (const point of points) this.points.push(point);
    if (this.points.length >= METRIC_REQUEST.maxItems) this.flushMetrics();
    for (const problem of problems) {
      this.metricWarnings += 1;
      if (this.metricWarnings <= MAX_METRIC_WARNINGS) this.logger.warn(problem);
      if (this.metricWarnings === MAX_METRIC_WARNINGS) this.logger.warn("further bad metrics lines of this run are skipped without a warning");
    }
  }

  private flush(): void {
    this.flushLog();
    this.flushMetrics();
  }

  private flushLog(): void {
    this.logReports.push(this.log.take());
  }

  private flushMetrics(): void {
    this.metricReports.push(this.points.splice(0));
  }

  /** finishRun, retried while the API is unreachable; an upload it refuses for good still ends the run, failed. */
  private async finish({ exitCode, signal, error, files }: Outcome): Promise<void> {
    const { api, giveUp } = this.deps;
    const send = (input: { error: string | null }, upload: File[]) =>
      retrying(
        "reporting the run's end",
        () => api.execute(finishRunOperation, { input: { runId: this.runId, exitCode, signal, ...input } }, upload.length > 0 ? { name: "files", files: upload } : undefined),
        { logger: this.logger, signal: giveUp },
      );
    try {
      const { finishRun } = await send({ error }, files);
      this.logger.info({ status: finishRun.status }, "run finished");
    } catch (failure) {
      if (files.length === 0 || giveUp.aborted) return void this.logger.error(`could not report the run's end: ${describe(failure)}`);
      await send({ error: `the sidecar could not upload the adapter: ${describe(failure)}` }, []).catch((again) =>
        this.logger.error(`could not report the run's end: ${describe(again)}`),
      );
    }
  }
}

/** adapter_config.json and adapter_model.safetensors, those that exist, read from disk as the request is sent. */
async function adapterFiles(output: string): Promise<File[]> {
  const files: File[] = [];
  for (const name of ADAPTER_FILES) {
    const path = join(output, name);
    if (await access(path).then(() => true, () => false)) files.push(new File([await openAsBlob(path)], name));
  }
  return files;
}

function failureText(reason: string | null, stderr: string): string | null {
  if (!reason) return stderr || null;
  const room = MAX_ERROR_CHARS - reason.length - 1;
  return stderr && room > 0 ? `${reason}\n${stderr.slice(-room)}` : reason.slice(0, MAX_ERROR_CHARS);
}

/** setTimeout for any delay (a time limit of days exceeds its 24.8-day range); returns the cancel. */
function after(ms: number, action: () => void): () => void {
  const MAX_DELAY = 2 ** 31 - 1;
  let timer: NodeJS.Timeout;
  const arm = (left: number) => {
    timer = setTimeout(() => (left > MAX_DELAY ? arm(left - MAX_DELAY) : action()), Math.min(left, MAX_DELAY));
  };
  arm(ms);
  return () => clearTimeout(timer);
}
