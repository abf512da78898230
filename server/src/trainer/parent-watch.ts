/*
 * An orphaned trainer must not keep training (and holding the accelerator) after the sidecar that started it died. Two
 * signs, whichever comes first: the parent process id changes (the process was re-parented to init or a subreaper),
 * or a write to stdout or stderr fails with EPIPE (nobody reads the log any more).
 */

const POLL_MS = 250;

/** Exits the process with exitCode as soon as its parent is gone. */
export function exitWhenOrphaned(exitCode: number): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(exitCode);
  }, POLL_MS).unref();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(exitCode);
    });
  }
}
