import { computed, reactive, watch } from "vue";
import { useMutation } from "@urql/vue";
import type { LocationQuery } from "vue-router";
import { payloadOutcome } from "../api/mutationFailure";
import { graphql } from "../gql/gql";
import { useFormSubmission } from "./useFormSubmission";

const CreateAbTestDocument = graphql(`
  mutation CreateAbTest($input: CreateAbTestInput!) {
    createAbTest(input: $input) {
      __typename
      ... on CreateAbTestSuccess {
        test {
          id
          name
        }
      }
      ...MutationFailureFields
    }
  }
`);

/** The B side's value for the base model in the form and the address (`?adapterB=base`). */
export const BASE_MODEL_SIDE = "base";
const AB_TEST_FIELDS = ["name", "adapterAId", "adapterBId", "prompts", "trialsPerPrompt", "seed", "durationSeconds"];

export interface NewAbTestForm {
  name: string;
  adapterAId: string | null;
  /** an adapter's id, or BASE_MODEL_SIDE */
  adapterBId: string | null;
  /** one per line */
  prompts: string;
  trialsPerPrompt: number;
  seed: number | null;
  durationSeconds: number | null;
}

const single = (value: LocationQuery[string] | undefined) => (typeof value === "string" && value !== "" ? value : null);

/** The sides the address pre-selects (`?adapterA=<id>&adapterB=<id>|base`). */
export function sidesFromQuery(query: LocationQuery): Pick<NewAbTestForm, "adapterAId" | "adapterBId"> {
  return { adapterAId: single(query.adapterA), adapterBId: single(query.adapterB) };
}

/** "jazz 1 vs jazz 2" from the chosen sides' labels, or "" until A is chosen. */
export function defaultAbTestName(labelA: string | null, labelB: string | null): string {
  if (!labelA) return "";
  return `${labelA} vs ${labelB ?? "base model"}`;
}

/** The prompts, one per line, trimmed, blank lines left out. */
export function promptLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The API input; the base model as B is a null adapterBId, unset optional numbers are left out. */
export function newAbTestInput(form: NewAbTestForm) {
  return {
    name: form.name.trim(),
    adapterAId: form.adapterAId ?? "",
    adapterBId: form.adapterBId === BASE_MODEL_SIDE ? null : form.adapterBId,
    prompts: promptLines(form.prompts),
    trialsPerPrompt: form.trialsPerPrompt,
    ...(form.seed !== null ? { seed: form.seed } : {}),
    ...(form.durationSeconds !== null ? { durationSeconds: form.durationSeconds } : {}),
  };
}

/** A new A/B test: the form, starting from the sides the address names, and the API's answer. */
export function useNewAbTestForm(query: LocationQuery) {
  const form = reactive<NewAbTestForm>({
    name: "",
    ...sidesFromQuery(query),
    prompts: "",
    trialsPerPrompt: 5,
    seed: null,
    durationSeconds: null,
  });
  const { executeMutation } = useMutation(CreateAbTestDocument);
  const submission = useFormSubmission(async () => {
    const result = await executeMutation({ input: newAbTestInput(form) });
    const union = result.data?.createAbTest;
    return payloadOutcome(result.error, union, union && "test" in union ? union.test : undefined);
  }, () => AB_TEST_FIELDS);
  watch(form, submission.clearFailure);

  return {
    form,
    fieldErrors: submission.fieldErrors,
    alertFailure: submission.alertFailure,
    submitting: submission.submitting,
    canSubmit: computed(() => form.name.trim() !== "" && form.adapterAId !== null && form.adapterBId !== null && promptLines(form.prompts).length > 0 && !submission.submitting.value),
    submit: submission.submit,
  };
}
