/*
 * A sidecar started by the API (the embedded supervisor) must not outlive it. Node has no parent-death signal, so
 * the parent id is polled: it changes when the process is re-parented to init or a subreaper.
 */

const POLL_MS = 500;

/** Calls `onOrphaned` once the parent process is gone; nothing when the parent already is init (a service). */
export function watchParent(onOrphaned: () => void): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, POLL_MS);
  timer.unref();
}
