import { computed, reactive, watch } from "vue";
import { useMutation } from "@urql/vue";
import { payloadOutcome } from "../api/mutationFailure";
import { cellCountProblem, parseSeeds, parseWeights } from "../components/generation-grid/gridForm";
import { graphql } from "../gql/gql";
import { useFormSubmission } from "./useFormSubmission";

const CreateGenerationGridDocument = graphql(`
  mutation CreateGenerationGrid($input: CreateGenerationGridInput!) {
    createGenerationGrid(input: $input) {
      __typename
      ... on CreateGenerationGridSuccess {
        grid {
          id
        }
      }
      ...MutationFailureFields
    }
  }
`);

const GRID_FIELDS = ["baseModelId", "prompt", "adapters", "weights", "seeds", "durationSeconds"];

export interface NewGenerationGridForm {
  baseModelId: string | null;
  prompt: string;
  adapterIds: string[];
  /** "0.4, 0.7, 1.0" */
  weights: string;
  /** "1, 2, 3" */
  seeds: string;
  /** melody models only; null: the model's default */
  durationSeconds: number | null;
}

/** The API input, with the weights and seeds as read from the form's text. */
export function newGenerationGridInput(form: NewGenerationGridForm, weights: number[], seeds: number[]) {
  return {
    baseModelId: form.baseModelId ?? "",
    prompt: form.prompt.trim(),
    adapters: form.adapterIds.map((adapterId) => ({ adapterId })),
    weights,
    seeds,
    ...(form.durationSeconds !== null ? { durationSeconds: form.durationSeconds } : {}),
  };
}

/** A new weight × seed grid: the form, its cells counted as it is filled in (refused over the limit), and the API's answer. */
export function useNewGenerationGridForm(baseModelId: string | null) {
  const form = reactive<NewGenerationGridForm>({ baseModelId, prompt: "", adapterIds: [], weights: "0.4, 0.7, 1.0", seeds: "1, 2", durationSeconds: null });
  const weights = computed(() => parseWeights(form.weights));
  const seeds = computed(() => parseSeeds(form.seeds));
  const cells = computed(() => form.adapterIds.length * weights.value.values.length * seeds.value.values.length);
  const tooManyCells = computed(() => cellCountProblem(cells.value));

  const { executeMutation } = useMutation(CreateGenerationGridDocument);
  const submission = useFormSubmission(async () => {
    const result = await executeMutation({ input: newGenerationGridInput(form, weights.value.values, seeds.value.values) });
    const union = result.data?.createGenerationGrid;
    return payloadOutcome(result.error, union, union && "grid" in union ? union.grid : undefined);
  }, () => GRID_FIELDS);
  watch(form, submission.clearFailure);
  // adapters chosen for one model do not fit another
  watch(() => form.baseModelId, () => void (form.adapterIds = []));

  const complete = computed(
    () => form.baseModelId !== null && form.prompt.trim() !== "" && form.adapterIds.length > 0 && !weights.value.error && !seeds.value.error,
  );
  return {
    form,
    weights,
    seeds,
    cells,
    tooManyCells,
    feedbackFor: submission.feedbackFor,
    alertFailure: submission.alertFailure,
    submitting: submission.submitting,
    canSubmit: computed(() => complete.value && tooManyCells.value === null && !submission.submitting.value),
    submit: submission.submit,
  };
}
