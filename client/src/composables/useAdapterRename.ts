import { computed, ref } from "vue";
import { useMutation } from "@urql/vue";
import { failureOfMutation, type MutationFailure } from "../api/mutationFailure";
import { graphql } from "../gql/gql";

const RenameAdapterDocument = graphql(`
  mutation RenameAdapter($id: ID!, $name: String!) {
    renameAdapter(id: $id, name: $name) {
      __typename
      ... on RenameAdapterSuccess {
        adapter {
          id
          name
          updatedAt
        }
      }
      ...MutationFailureFields
    }
  }
`);

export const ADAPTER_NAME_MAX_LENGTH = 100;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const PROMPT_TOKEN_DELIMITERS = /[<>:]/;

/** Why a name cannot be saved (the API's rules, checked before asking it), or null when it can. */
export function adapterNameProblem(rawName: string): string | null {
  const name = rawName.trim();
  if (name === "") return "Enter a name.";
  if (name.length > ADAPTER_NAME_MAX_LENGTH) {
    return `Names are at most ${ADAPTER_NAME_MAX_LENGTH} characters; this one has ${name.length}.`;
  }
  if (PROMPT_TOKEN_DELIMITERS.test(name)) return "Names cannot contain <, > or :, which delimit <lora:name:weight> prompt tokens.";
  if (CONTROL_CHARACTERS.test(name)) return "Names cannot contain control characters such as tabs or line breaks.";
  return null;
}

interface RenameTarget {
  id: string;
  name: string;
}

/** A rename in progress: the draft, why it cannot be saved, and what the API said. */
export function useAdapterRename(target: () => RenameTarget) {
  const draft = ref(target().name);
  const failure = ref<MutationFailure | null>(null);
  const { executeMutation, fetching: saving } = useMutation(RenameAdapterDocument);
  const problem = computed(() => adapterNameProblem(draft.value));
  const unchanged = computed(() => draft.value.trim() === target().name);

  function reset(): void {
    draft.value = target().name;
    failure.value = null;
  }

  /** True when the adapter has the draft's name (renamed now, or already). */
  async function save(): Promise<boolean> {
    if (problem.value) return false;
    if (unchanged.value) return true;
    const result = await executeMutation({ id: target().id, name: draft.value.trim() });
    failure.value = failureOfMutation(result.error, result.data?.renameAdapter);
    return failure.value === null;
  }

  return { draft, problem, failure, saving, unchanged, reset, save };
}
