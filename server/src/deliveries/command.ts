import { spawn } from "node:child_process";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { argumentsReadAsOptions, PLACEHOLDER, type CommandPlaceholder, type DeliveryCommand } from "../config/deliveries.js";
import { DeliveryFailure, DeliveryInterrupted, type DeliveryResult } from "./outcome.js";

/** A process that exited may leave a child holding its pipes; its output is not waited for longer than this. */
const STREAMS_AFTER_EXIT_MS = 2000;

export interface CommandRun {
  command: DeliveryCommand;
  values: Record<CommandPlaceholder, string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  maxOutputBytes: number;
  signal: AbortSignal;
}

/**
 * The template's argument array with each `{placeholder}` replaced inside its own argument, in one pass: a value
 * is never split, joined, re-read for placeholders or seen by a shell, and never becomes an option (configuration
 * refuses templates that would let it; this holds for any other template too).
 */
export function commandArgv(command: DeliveryCommand, values: Record<CommandPlaceholder, string>): string[] {
  const argv = command.command.map((arg) => arg.replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as CommandPlaceholder] : whole)));
  for (const index of argumentsReadAsOptions(command.command)) {
    if (argv[index]!.startsWith("-")) {
      throw new DeliveryFailure(`command '${command.name}': its argument ${JSON.stringify(command.command[index])} would begin with "-" and be read as an option`, false);
    }
  }
  return argv;
}

class CappedText {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  truncated = false;

  constructor(private readonly max: number) {}

  add(bytes: Buffer): void {
    const room = this.max - this.kept;
    if (bytes.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = bytes.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Runs the command without a shell in its own process group, killed (with its children) at the timeout. */
export async function runCommand(run: CommandRun): Promise<DeliveryResult> {
  const [file, ...args] = commandArgv(run.command, run.values);
  const started = Date.now();
  const child = spawn(file!, args, { cwd: run.cwd, env: run.env, stdio: ["ignore", "pipe", "pipe"], detached: true, shell: false });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DeliveryFailure(`cannot start ${JSON.stringify(file)} of command '${run.command.name}': ${code}`, false);
  }
  child.on("error", () => undefined); // a failed kill of a process that just exited

  const stdout = new CappedText(run.maxOutputBytes);
  const stderr = new CappedText(run.maxOutputBytes);
  const streams = [child.stdout, child.stderr] as Readable[];
  child.stdout.on("data", (bytes: Buffer) => stdout.add(bytes));
  child.stderr.on("data", (bytes: Buffer) => stderr.add(bytes));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, run.command.timeoutSeconds * 1000);
  const onAbort = () => killGroup();
  run.signal.addEventListener("abort", onAbort, { once: true });

  // Not events.once: it would reject on the "error" of a failed kill.
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("exit", (code, sig) => resolve([code, sig])));
  clearTimeout(timer);
  run.signal.removeEventListener("abort", onAbort);
  const drained = Promise.all(streams.map((stream) => (stream.closed ? null : once(stream, "close").catch(() => null))));
  await Promise.race([drained, sleep(STREAMS_AFTER_EXIT_MS)]);
  for (const stream of streams) stream.destroy();
  killGroup(); // whatever it left running in its group goes with it

  if (run.signal.aborted) throw new DeliveryInterrupted("the API is shutting down");
  const result: DeliveryResult = {
    durationMs: Date.now() - started,
    exitCode,
    signal,
    timedOut,
    stdout: stdout.text(),
    stderr: stderr.text(),
    stdoutTruncated: stdout.truncated,
    stderrTruncated: stderr.truncated,
  };
  if (timedOut) throw new DeliveryFailure(`command '${run.command.name}' did not finish within ${run.command.timeoutSeconds} s`, true, result);
  if (exitCode !== 0) {
    const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    throw new DeliveryFailure(`command '${run.command.name}' ${how}`, false, result);
  }
  return result;
}
