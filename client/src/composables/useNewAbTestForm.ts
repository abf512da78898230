import { computed, reactive, watch } from "vue";
import { useMutation } from "@urql/vue";
import type { LocationQuery } from "vue-router";
import { payloadOutcome } from "../api/mutationFailure";
import { formatWeight } from "../components/generation/adapterSelection";
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
const AB_TEST_FIELDS = ["name", "adapterAId", "adapterBId", "weightA", "weightB", "prompts", "trialsPerPrompt", "seed", "durationSeconds"];

export interface NewAbTestForm {
  name: string;
  adapterAId: string | null;
  /** an adapter's id, or BASE_MODEL_SIDE */
  adapterBId: string | null;
  /** null: adapter A's own default weight */
  weightA: number | null;
  /** null: adapter B's own default weight; unused when B is the base model */
  weightB: number | null;
  /** one per line */
  prompts: string;
  trialsPerPrompt: number;
  seed: number | null;
  durationSeconds: number | null;
}

const single = (value: LocationQuery[string] | undefined) => (typeof value === "string" && value !== "" ? value : null);

function numberOf(value: LocationQuery[string] | undefined): number | null {
  const text = single(value);
  const number = text === null ? NaN : Number(text);
  return Number.isFinite(number) ? number : null;
}

/**
 * What the address pre-fills: `?adapterA=<id>&adapterB=<id>|base`, and for a grid's two cells also
 * `&weightA=0.4&weightB=1&prompt=…&seed=7&durationSeconds=4`.
 */
export function prefillFromQuery(query: LocationQuery): Omit<NewAbTestForm, "name" | "trialsPerPrompt"> {
  return {
    adapterAId: single(query.adapterA),
    adapterBId: single(query.adapterB),
    weightA: numberOf(query.weightA),
    weightB: numberOf(query.weightB),
    prompts: single(query.prompt) ?? "",
    seed: numberOf(query.seed),
    durationSeconds: numberOf(query.durationSeconds),
  };
}

/** "jazz 1", or "jazz 1 at 0.40" when the side has a weight of its own. */
export function sideName(label: string, weight: number | null): string {
  return weight === null ? label : `${label} at ${formatWeight(weight)}`;
}

/** "jazz 1 vs jazz 2" from the chosen sides' names, or "" until A is chosen. */
export function defaultAbTestName(nameA: string | null, nameB: string | null): string {
  if (!nameA) return "";
  return `${nameA} vs ${nameB ?? "base model"}`;
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
  const adapterBId = form.adapterBId === BASE_MODEL_SIDE ? null : form.adapterBId;
  return {
    name: form.name.trim(),
    adapterAId: form.adapterAId ?? "",
    adapterBId,
    ...(form.weightA !== null ? { weightA: form.weightA } : {}),
    ...(adapterBId !== null && form.weightB !== null ? { weightB: form.weightB } : {}),
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
    ...prefillFromQuery(query),
    trialsPerPrompt: 5,
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
