import { onScopeDispose, ref, watch } from "vue";
import { debounce } from "../utils/debounce";

export const TYPING_PAUSE_MS = 300;

/**
 * A text field's own value, committed once typing pauses; it follows `source` when that changes
 * elsewhere (back/forward navigation, a cleared filter).
 */
export function useDebouncedDraft(source: () => string, commit: (value: string) => void, waitMs = TYPING_PAUSE_MS) {
  const draft = ref(source());
  const debouncedCommit = debounce(commit, waitMs);
  onScopeDispose(debouncedCommit.cancel);
  watch(source, (value) => {
    if (value !== draft.value.trim()) draft.value = value;
  });
  function update(value: string): void {
    draft.value = value;
    debouncedCommit(value);
  }
  function commitNow(): void {
    debouncedCommit.cancel();
    commit(draft.value);
  }
  return { draft, update, commitNow };
}
