import { onScopeDispose, ref, watch } from "vue";

/** The time, moving every `everyMs` while `ticking` holds (a live run's duration), still otherwise. */
export function useNow(ticking: () => boolean, everyMs = 1000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  watch(
    ticking,
    (on) => {
      clearInterval(timer);
      now.value = Date.now();
      if (on) timer = setInterval(() => (now.value = Date.now()), everyMs);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearInterval(timer));
  return now;
}
