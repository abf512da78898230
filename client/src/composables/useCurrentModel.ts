import { computed, readonly, ref, type Ref } from "vue";

export const CURRENT_MODEL_STORAGE_KEY = "lora-studio.current-model";

type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/**
 * Variables for fields selected with `compatibility(baseModelId: $current) @include(if: $withCompatibility)`:
 * the argument is non-null, so a placeholder travels while no model is chosen and the field is skipped.
 */
export function compatibilityVariables(currentModelId: string | null): { current: string; withCompatibility: boolean } {
  return { current: currentModelId ?? "", withCompatibility: currentModelId !== null };
}

export function readCurrentModelId(storage: KeyValueStorage): string | null {
  const stored = storage.getItem(CURRENT_MODEL_STORAGE_KEY)?.trim();
  return stored ? stored : null;
}

export function writeCurrentModelId(storage: KeyValueStorage, id: string | null): void {
  if (id) storage.setItem(CURRENT_MODEL_STORAGE_KEY, id);
  else storage.removeItem(CURRENT_MODEL_STORAGE_KEY);
}

let shared: Ref<string | null> | undefined;

/** The state every page shares, loaded once and kept in step with other tabs. */
function sharedCurrentModelId(): Ref<string | null> {
  if (shared) return shared;
  const state = ref(readCurrentModelId(window.localStorage));
  window.addEventListener("storage", (event) => {
    if (event.key === CURRENT_MODEL_STORAGE_KEY) state.value = readCurrentModelId(window.localStorage);
  });
  shared = state;
  return state;
}

/** The base model the user works with: compatibility everywhere is judged against it. Kept in localStorage. */
export function useCurrentModel() {
  const currentModelId = sharedCurrentModelId();
  function setCurrentModel(id: string | null): void {
    currentModelId.value = id;
    writeCurrentModelId(window.localStorage, id);
  }
  return {
    currentModelId: readonly(currentModelId),
    compatibilityVariables: computed(() => compatibilityVariables(currentModelId.value)),
    setCurrentModel,
  };
}
