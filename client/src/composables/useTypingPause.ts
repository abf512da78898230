import { onScopeDispose, ref, watch, type Ref } from "vue";
import { debounce } from "../utils/debounce";
import { TYPING_PAUSE_MS } from "./useDebouncedDraft";

/** `source`'s value once typing pauses: what a query as-you-type asks about. */
export function useTypingPause<T>(source: () => T, waitMs = TYPING_PAUSE_MS): Readonly<Ref<T>> {
  const settled = ref(source()) as Ref<T>;
  const settle = debounce(() => (settled.value = source()), waitMs);
  onScopeDispose(settle.cancel);
  watch(source, () => settle());
  return settled;
}
