import { computed, ref, watch } from "vue";
import { useMutation } from "@urql/vue";
import { useMessage } from "naive-ui";
import { failureOfMutation, type MutationFailure } from "../api/mutationFailure";
import { graphql } from "../gql/gql";

const ActivateAdapterDocument = graphql(`
  mutation ActivateAdapter($id: ID!) {
    activateAdapter(id: $id) {
      __typename
      ... on ActivateAdapterSuccess {
        adapter {
          id
          active
          ordinal
        }
      }
      ...MutationFailureFields
    }
  }
`);

const DeactivateAdapterDocument = graphql(`
  mutation DeactivateAdapter($id: ID!) {
    deactivateAdapter(id: $id) {
      __typename
      ... on DeactivateAdapterSuccess {
        adapter {
          id
          active
        }
      }
      ...MutationFailureFields
    }
  }
`);

interface ActivationTarget {
  id: string;
  name: string;
  active: boolean;
}

/**
 * The adapter's active state with the user's change shown at once: the requested value stands
 * until the refetched adapter agrees, and is rolled back with a message if the API refuses.
 */
export function useAdapterActivation(target: () => ActivationTarget) {
  const message = useMessage();
  const requested = ref<boolean | null>(null);
  const activate = useMutation(ActivateAdapterDocument);
  const deactivate = useMutation(DeactivateAdapterDocument);
  watch(() => target().active, (active) => {
    if (active === requested.value) requested.value = null;
  });

  async function request(id: string, active: boolean): Promise<MutationFailure | null> {
    if (active) {
      const result = await activate.executeMutation({ id });
      return failureOfMutation(result.error, result.data?.activateAdapter);
    }
    const result = await deactivate.executeMutation({ id });
    return failureOfMutation(result.error, result.data?.deactivateAdapter);
  }

  async function setActive(active: boolean): Promise<void> {
    const { id, name } = target();
    requested.value = active;
    const failure = await request(id, active);
    if (failure) {
      requested.value = null;
      message.error(`Could not ${active ? "activate" : "deactivate"} ${name}: ${failure.message}`);
    } else if (target().active === active) {
      requested.value = null;
    }
  }

  return {
    active: computed(() => requested.value ?? target().active),
    pending: computed(() => activate.fetching.value || deactivate.fetching.value),
    setActive,
  };
}
