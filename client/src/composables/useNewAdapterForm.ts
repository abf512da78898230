import { computed, reactive, ref, watch } from "vue";
import type { MutationFailure } from "../api/mutationFailure";
import type { AddedAdapter, AddOutcome } from "../api/uploadAdapter";
import { adapterNameProblem } from "./useAdapterRename";

/** The fields every new adapter version needs, however its files arrive. */
export interface NewAdapterForm {
  name: string;
  version: string;
  baseModelId: string | null;
  tags: string[];
}

export interface NewAdapterInput {
  name: string;
  version: string;
  baseModelId?: string;
  tags?: string[];
}

export type NewAdapterField = keyof NewAdapterForm;

export const NEW_ADAPTER_FIELDS: readonly NewAdapterField[] = ["name", "version", "baseModelId", "tags"];

const VERSION_MAX_LENGTH = 50;
const VERSION_PATTERN = /^[\w.+-]+$/;
export const DEFAULT_VERSION = "1.0";

export function adapterVersionProblem(rawVersion: string): string | null {
  const version = rawVersion.trim();
  if (version === "") return "Enter a version, such as 1.0.";
  if (version.length > VERSION_MAX_LENGTH) return `Versions are at most ${VERSION_MAX_LENGTH} characters.`;
  if (!VERSION_PATTERN.test(version)) return "Versions may hold letters, digits and . _ + - only.";
  return null;
}

export function newAdapterFormProblems(form: NewAdapterForm): Partial<Record<NewAdapterField, string>> {
  const problems = { name: adapterNameProblem(form.name), version: adapterVersionProblem(form.version) };
  return Object.fromEntries(Object.entries(problems).filter(([, problem]) => problem !== null));
}

/** The API input for the form: trimmed, without empty tags or duplicates, optional fields left out when empty. */
export function newAdapterInput(form: NewAdapterForm): NewAdapterInput {
  const tags = [...new Set(form.tags.map((tag) => tag.trim()).filter(Boolean))];
  return {
    name: form.name.trim(),
    version: form.version.trim(),
    ...(form.baseModelId ? { baseModelId: form.baseModelId } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };
}

/** "my_style-v2.safetensors" -> "my_style-v2": a name to start from when the user has not typed one. */
export function adapterNameFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, "").replace(/\.safetensors$/i, "");
  return base === "adapter_model" ? "" : base.replace(/[<>:]/g, "-");
}

function emptyForm(): NewAdapterForm {
  return { name: "", version: DEFAULT_VERSION, baseModelId: null, tags: [] };
}

/**
 * A new-adapter dialog's state: the form, the problems to show on fields the user has touched,
 * and the API's answer, kept on screen until the user changes something or sends again.
 */
export function useNewAdapterForm(send: (input: NewAdapterInput) => Promise<AddOutcome>) {
  const form = reactive<NewAdapterForm>(emptyForm());
  const touched = reactive(new Set<NewAdapterField>());
  const failure = ref<MutationFailure | null>(null);
  const submitting = ref(false);
  const problems = computed(() => newAdapterFormProblems(form));
  /** An edit makes the API's last answer stale, so it goes. */
  function edited(field: NewAdapterField): void {
    touched.add(field);
    failure.value = null;
  }
  for (const field of NEW_ADAPTER_FIELDS) {
    watch(() => form[field], () => edited(field), { flush: "sync" });
  }

  /** Messages under fields: the API's for the fields it refused, then ours for fields the user has touched. */
  const fieldFeedback = computed<Record<string, string | undefined>>(() => {
    const shown = Object.entries(problems.value).filter(([field]) => touched.has(field as NewAdapterField));
    return { ...failure.value?.fieldErrors, ...Object.fromEntries(shown) };
  });

  /** The added adapter, or null when the form or the API refused it. */
  async function submit(): Promise<AddedAdapter | null> {
    if (Object.keys(problems.value).length > 0 || submitting.value) return null;
    submitting.value = true;
    try {
      const outcome = await send(newAdapterInput(form));
      failure.value = outcome.failure;
      return outcome.adapter;
    } finally {
      submitting.value = false;
    }
  }

  function applySuggestedVersion(): Promise<AddedAdapter | null> {
    form.version = failure.value?.suggestedVersion ?? form.version;
    return submit();
  }

  function reset(): void {
    Object.assign(form, emptyForm());
    touched.clear();
    failure.value = null;
  }

  return {
    form,
    failure,
    submitting,
    fieldFeedback,
    canSubmit: computed(() => Object.keys(problems.value).length === 0 && !submitting.value),
    submit,
    applySuggestedVersion,
    reset,
  };
}
