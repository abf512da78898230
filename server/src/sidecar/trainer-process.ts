import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { LogStream } from "./run-log.js";
import type { RunPaths } from "./work-dir.js";
import type { TrainerProgram } from "./trainer-programs.js";

/*
 * One trainer process (DESIGN §6): `<command> --config <config.json> --dataset <data.jsonl> --output <dir>`, started
 * without a shell in its own process group (so a stop reaches any workers it starts), stdout and stderr read raw,
 * metrics read from file descriptor 3. It never sees the sidecar token. Reading can be paused (the log, or the
 * metrics): the pipe fills and the trainer waits on its next write, which is how a flood of output is held back.
 */

export interface TrainerExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface TrainerOutput {
  output(stream: LogStream, bytes: Buffer): void;
  metrics(bytes: Buffer): void;
}

/** stdout and stderr, or file descriptor 3 */
export type TrainerPipes = "log" | "metrics";

/** A process that exited may leave a child holding its pipes; its output is not waited for longer than this. */
const STREAMS_AFTER_EXIT_MS = 2000;
const HIDDEN_ENV = ["SIDECAR_TOKEN"];

export class TrainerProcess {
  /** resolves once the process has exited and its output has been read */
  readonly exited: Promise<TrainerExit>;
  private readonly child: ChildProcess;
  private readonly pipes: Record<TrainerPipes, Readable[]>;

  private constructor(child: ChildProcess, sink: TrainerOutput) {
    this.child = child;
    const stdio = child.stdio as unknown as Readable[];
    stdio[1]!.on("data", (bytes: Buffer) => sink.output("STDOUT", bytes));
    stdio[2]!.on("data", (bytes: Buffer) => sink.output("STDERR", bytes));
    stdio[3]!.on("data", (bytes: Buffer) => sink.metrics(bytes));
    this.pipes = { log: [stdio[1]!, stdio[2]!], metrics: [stdio[3]!] };
    this.exited = this.waitForExit([stdio[1]!, stdio[2]!, stdio[3]!]);
  }

  /** Stops reading `pipes` until resume(); once the process has exited what is left is read regardless. */
  pause(pipes: TrainerPipes): void {
    if (!this.running) return;
    for (const stream of this.pipes[pipes]) stream.pause();
  }

  resume(pipes: TrainerPipes): void {
    for (const stream of this.pipes[pipes]) stream.resume();
  }

  /** Starts the program; rejects when it cannot be started (not found, not executable). */
  static async start(program: TrainerProgram, paths: RunPaths, sink: TrainerOutput): Promise<TrainerProcess> {
    const [file, ...args] = program.command;
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !HIDDEN_ENV.includes(name)));
    const child = spawn(file!, [...args, "--config", paths.config, "--dataset", paths.dataset, "--output", paths.output], {
      cwd: paths.dir,
      env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    child.on("error", () => undefined); // a failed kill of a process that just exited
    return new TrainerProcess(child, sink);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Signals the whole process group, or the process alone where the group is gone. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      this.child.kill(signal);
    }
  }

  private async waitForExit(streams: Readable[]): Promise<TrainerExit> {
    // Not events.once: it would reject on the "error" of a failed kill.
    const { exitCode, signal } = await new Promise<TrainerExit>((resolve) => this.child.once("exit", (exitCode, signal) => resolve({ exitCode, signal })));
    // What is left in the pipes is read now, paused or not: the process that filled them is gone.
    for (const stream of streams) stream.resume();
    const drained = Promise.all(streams.map((stream) => (stream.closed ? null : once(stream, "close").catch(() => null))));
    await Promise.race([drained, sleep(STREAMS_AFTER_EXIT_MS)]);
    for (const stream of streams) stream.destroy();
    // Whatever the trainer left running in its group (workers, a data loader) goes with it.
    try {
      process.kill(-this.child.pid!, "SIGKILL");
    } catch {
      // the group is empty
    }
    return { exitCode, signal };
  }
}
