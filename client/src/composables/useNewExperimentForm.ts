import { computed, reactive, ref, watch } from "vue";
import { useMutation } from "@urql/vue";
import { payloadOutcome } from "../api/mutationFailure";
import { configFromForm, formValues, parameterFieldErrors, valuesFor, type ConfigValues } from "../components/training-config/trainingConfigForm";
import { graphql } from "../gql/gql";
import type { TrainingParameterFieldFragment } from "../gql/graphql";
import { useBaseModels } from "./useBaseModels";
import { useFormSubmission } from "./useFormSubmission";
import { useTrainerParameters } from "./useTrainingParameters";

const CreateExperimentDocument = graphql(`
  mutation CreateExperiment($input: CreateExperimentInput!) {
    createExperiment(input: $input) {
      __typename
      ... on CreateExperimentSuccess {
        experiment {
          id
          name
        }
      }
      ...MutationFailureFields
    }
  }
`);

export const EXPERIMENT_NAME_MAX_LENGTH = 60;
const EXPERIMENT_FIELDS = ["name", "description", "baseModelId", "datasetId"];

/** Why a name cannot be used (1–60 characters after trimming), or null. */
export function experimentNameProblem(rawName: string): string | null {
  const name = rawName.trim();
  if (name === "") return "Enter a name.";
  if (name.length > EXPERIMENT_NAME_MAX_LENGTH) return `Names are at most ${EXPERIMENT_NAME_MAX_LENGTH} characters; this one has ${name.length}.`;
  return null;
}

export interface NewExperimentForm {
  name: string;
  description: string;
  baseModelId: string | null;
  datasetId: string | null;
}

/**
 * The API input: trimmed, optional fields left out when empty, the configuration's set fields of the
 * offered parameters only.
 */
export function newExperimentInput(form: NewExperimentForm, config: ConfigValues, offered: readonly Pick<TrainingParameterFieldFragment, "key">[]) {
  return {
    name: form.name.trim(),
    baseModelId: form.baseModelId ?? "",
    config: configFromForm(valuesFor(config, offered)),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    ...(form.datasetId ? { datasetId: form.datasetId } : {}),
  };
}

/**
 * A new experiment: its fields, its configuration starting from the catalogue's defaults, and the API's
 * answer. The configuration offers the parameters the chosen base model's trainer reads; a value set
 * for one that another base model offered is kept, in case the user goes back, but not sent.
 */
export function useNewExperimentForm() {
  const form = reactive<NewExperimentForm>({ name: "", description: "", baseModelId: null, datasetId: null });
  const { byId } = useBaseModels();
  const baseModel = computed(() => byId(form.baseModelId));
  const trainer = computed(() => baseModel.value?.trainer ?? null);
  const { parameters, error: parametersError } = useTrainerParameters(() => trainer.value);
  const config = ref<ConfigValues>({});
  const nameTouched = ref(false);
  watch(
    parameters,
    (shown) => {
      if (shown) config.value = { ...formValues(shown), ...config.value };
    },
    { immediate: true },
  );

  const { executeMutation } = useMutation(CreateExperimentDocument);
  const submission = useFormSubmission(
    async () => {
      const result = await executeMutation({ input: newExperimentInput(form, config.value, parameters.value ?? []) });
      const union = result.data?.createExperiment;
      return payloadOutcome(result.error, union, union && "experiment" in union ? union.experiment : undefined);
    },
    () => [...EXPERIMENT_FIELDS, ...(parameters.value ?? []).map((parameter) => `config.${parameter.key}`)],
  );
  watch([form, config], submission.clearFailure);

  const nameProblem = computed(() => experimentNameProblem(form.name));
  const fieldFeedback = computed<Record<string, string | undefined>>(() => ({
    ...submission.fieldErrors.value,
    ...(nameTouched.value && nameProblem.value ? { name: nameProblem.value } : {}),
  }));

  return {
    form,
    baseModel,
    trainer,
    parameters,
    parametersError,
    config,
    fieldFeedback,
    configErrors: computed(() => parameterFieldErrors(submission.fieldErrors.value, "config")),
    alertFailure: submission.alertFailure,
    submitting: submission.submitting,
    canSubmit: computed(() => nameProblem.value === null && form.baseModelId !== null && !submission.submitting.value),
    touchName: () => void (nameTouched.value = true),
    submit: submission.submit,
  };
}
