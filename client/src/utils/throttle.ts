/**
 * Calls `action` at once, then at most once per `intervalMs` while calls keep coming: a call inside the interval is
 * run when it ends, so the last one is never lost and a steady stream cannot postpone it forever (as a debounce would).
 */
export function throttle(action: () => void, intervalMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const release = (): void => {
    timer = undefined;
    if (!pending) return;
    pending = false;
    throttled();
  };
  const throttled = (): void => {
    if (timer !== undefined) {
      pending = true;
      return;
    }
    action();
    timer = setTimeout(release, intervalMs);
  };
  throttled.cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
    pending = false;
  };
  return throttled;
}
