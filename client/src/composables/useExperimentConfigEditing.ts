import { computed, ref, watch, type Ref } from "vue";
import { useMutation } from "@urql/vue";
import { payloadOutcome } from "../api/mutationFailure";
import { configFromForm, formValues, parameterFieldErrors, type ConfigValues } from "../components/training-config/trainingConfigForm";
import { graphql } from "../gql/gql";
import type { TrainingParameterFieldFragment } from "../gql/graphql";
import { asJsonObject } from "../utils/json";
import { useFormSubmission } from "./useFormSubmission";

const UpdateExperimentDocument = graphql(`
  mutation UpdateExperiment($id: ID!, $input: UpdateExperimentInput!) {
    updateExperiment(id: $id, input: $input) {
      __typename
      ... on UpdateExperimentSuccess {
        experiment {
          id
          config
          updatedAt
          dataset {
            id
            name
            itemCount
          }
        }
      }
      ...MutationFailureFields
    }
  }
`);

interface EditedExperiment {
  id: string;
  config: unknown;
  dataset: { id: string } | null;
}

/**
 * An experiment's configuration and dataset, read-only until `startEditing`; `save` sends the whole
 * configuration (the API validates it again), `cancel` goes back to what is stored.
 */
export function useExperimentConfigEditing(experiment: () => EditedExperiment, parameters: Ref<readonly TrainingParameterFieldFragment[] | null>) {
  const editing = ref(false);
  const draft = ref<ConfigValues>({});
  const datasetDraft = ref<string | null>(null);
  const stored = computed(() => (parameters.value ? formValues(parameters.value, asJsonObject(experiment().config) ?? {}) : {}));

  const { executeMutation } = useMutation(UpdateExperimentDocument);
  const submission = useFormSubmission(
    async () => {
      const current = experiment();
      const datasetChanged = datasetDraft.value !== (current.dataset?.id ?? null);
      const input = { config: configFromForm(draft.value), ...(datasetChanged ? { datasetId: datasetDraft.value } : {}) };
      const result = await executeMutation({ id: current.id, input });
      const union = result.data?.updateExperiment;
      return payloadOutcome(result.error, union, union && "experiment" in union ? union.experiment : undefined);
    },
    () => ["datasetId", ...Object.keys(draft.value).map((key) => `config.${key}`)],
  );
  watch([draft, datasetDraft], submission.clearFailure);

  function startEditing(): void {
    draft.value = structuredClone(stored.value);
    datasetDraft.value = experiment().dataset?.id ?? null;
    submission.clearFailure();
    editing.value = true;
  }

  function cancel(): void {
    editing.value = false;
    submission.clearFailure();
  }

  /** True once the API has stored the draft. */
  async function save(): Promise<boolean> {
    const saved = await submission.submit();
    if (saved) editing.value = false;
    return saved !== null;
  }

  return {
    editing,
    /** the draft while editing, else what is stored */
    values: computed<ConfigValues>({
      get: () => (editing.value ? draft.value : stored.value),
      set: (values) => void (draft.value = values),
    }),
    datasetDraft,
    configErrors: computed(() => parameterFieldErrors(submission.fieldErrors.value, "config")),
    feedbackFor: submission.feedbackFor,
    alertFailure: submission.alertFailure,
    saving: submission.submitting,
    startEditing,
    cancel,
    save,
  };
}
