import { computed, ref, type Ref } from "vue";
import { failureNeedsAlert, type MutationFailure, type PayloadOutcome } from "../api/mutationFailure";

/**
 * A form's request to the API: whether it is on its way, and the refusal, kept on screen until the
 * user edits (`clearFailure`) or sends again. `fieldsShown`: the fields that show the API's messages
 * under them, so an alert need not repeat those.
 */
export function useFormSubmission<Payload>(send: () => Promise<PayloadOutcome<Payload>>, fieldsShown: () => readonly string[] = () => []) {
  const failure = ref<MutationFailure | null>(null);
  const submitting = ref(false);

  /** The payload, or null when the API refused (see `failure`) or a request is already on its way. */
  async function submit(): Promise<Payload | null> {
    if (submitting.value) return null;
    submitting.value = true;
    try {
      const outcome = await send();
      failure.value = outcome.failure;
      return outcome.payload;
    } finally {
      submitting.value = false;
    }
  }

  const fieldErrors = computed<Record<string, string>>(() => failure.value?.fieldErrors ?? {});

  /** NFormItem props that show the API's message for a field. */
  function feedbackFor(field: string) {
    const message = fieldErrors.value[field];
    return { feedback: message, validationStatus: message ? ("error" as const) : undefined };
  }

  return {
    failure,
    /** the failure when an alert must say it: something other than messages under the fields shown */
    alertFailure: computed(() => (failure.value && failureNeedsAlert(failure.value, fieldsShown()) ? failure.value : null)),
    submitting,
    fieldErrors,
    feedbackFor,
    submit,
    clearFailure: () => void (failure.value = null),
  };
}

/** A dialog's send: once the API has taken the form, `done` gets the payload and the dialog closes. */
export function submitThenClose<Payload>(show: Ref<boolean>, submit: () => Promise<Payload | null>, done: (payload: Payload) => void) {
  return async (): Promise<void> => {
    const payload = await submit();
    if (payload === null) return;
    done(payload);
    show.value = false;
  };
}
