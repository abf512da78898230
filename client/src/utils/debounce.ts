/** Calls `action` once `waitMs` have passed without another call, with the last call's arguments. */
export function debounce<Args extends unknown[]>(action: (...args: Args) => void, waitMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: Args): void => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), waitMs);
  };
  debounced.cancel = (): void => clearTimeout(timer);
  return debounced;
}
