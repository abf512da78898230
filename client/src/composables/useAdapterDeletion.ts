import { useMutation } from "@urql/vue";
import { useDialog, useMessage } from "naive-ui";
import { failureOfMutation } from "../api/mutationFailure";
import { graphql } from "../gql/gql";

const DeleteAdapterDocument = graphql(`
  mutation DeleteAdapter($id: ID!) {
    deleteAdapter(id: $id) {
      __typename
      ... on DeleteAdapterSuccess {
        adapter {
          id
          active
          deletedAt
        }
      }
      ...MutationFailureFields
    }
  }
`);

interface DeletionTarget {
  id: string;
  name: string;
  version: string;
}

/** Soft deletion behind a confirmation dialog, with a message saying how it went. */
export function useAdapterDeletion() {
  const dialog = useDialog();
  const message = useMessage();
  const { executeMutation } = useMutation(DeleteAdapterDocument);

  async function remove(adapter: DeletionTarget): Promise<void> {
    const result = await executeMutation({ id: adapter.id });
    const failure = failureOfMutation(result.error, result.data?.deleteAdapter);
    if (failure) message.error(`Could not delete ${adapter.name} ${adapter.version}: ${failure.message}`);
    else message.success(`Deleted ${adapter.name} ${adapter.version}`);
  }

  function confirmDelete(adapter: DeletionTarget): void {
    dialog.warning({
      title: `Delete ${adapter.name} ${adapter.version}?`,
      content:
        "It leaves every list and can no longer be used for generation. Its files and history stay, and it remains readable by its address.",
      positiveText: "Delete",
      negativeText: "Cancel",
      positiveButtonProps: { type: "error" },
      negativeButtonProps: { type: "default" },
      onPositiveClick: () => remove(adapter),
    });
  }

  return { confirmDelete };
}
