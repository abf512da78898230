import { useMutation } from "@urql/vue";
import { useDialog, useNotification } from "naive-ui";
import { failureOfMutation } from "../api/mutationFailure";
import { graphql } from "../gql/gql";

const ArchiveExperimentDocument = graphql(`
  mutation ArchiveExperiment($id: ID!) {
    archiveExperiment(id: $id) {
      __typename
      ... on ArchiveExperimentSuccess {
        experiment {
          id
          status
          updatedAt
        }
      }
      ...MutationFailureFields
    }
  }
`);

const UnarchiveExperimentDocument = graphql(`
  mutation UnarchiveExperiment($id: ID!) {
    unarchiveExperiment(id: $id) {
      __typename
      ... on UnarchiveExperimentSuccess {
        experiment {
          id
          status
          updatedAt
        }
      }
      ...MutationFailureFields
    }
  }
`);

interface ArchiveTarget {
  id: string;
  name: string;
}

/**
 * Archiving behind a confirmation, and unarchiving, each with a notification saying how it went. The
 * results name the Experiment type, so urql refetches the lists that show experiments.
 */
export function useExperimentArchiving() {
  const dialog = useDialog();
  const notification = useNotification();
  const archiving = useMutation(ArchiveExperimentDocument);
  const unarchiving = useMutation(UnarchiveExperimentDocument);

  async function archive(experiment: ArchiveTarget): Promise<void> {
    const result = await archiving.executeMutation({ id: experiment.id });
    const failure = failureOfMutation(result.error, result.data?.archiveExperiment);
    if (failure) notification.error({ title: `Could not archive ${experiment.name}`, content: failure.message, duration: 8000 });
    else notification.success({ title: `Archived ${experiment.name}`, content: "Show archived experiments to find or unarchive it.", duration: 5000 });
  }

  function confirmArchive(experiment: ArchiveTarget): void {
    dialog.warning({
      title: `Archive ${experiment.name}?`,
      content: "It leaves the experiment list and no new runs can start. Its runs, logs and adapters stay, and you can unarchive it later.",
      positiveText: "Archive",
      negativeText: "Cancel",
      negativeButtonProps: { type: "default" },
      onPositiveClick: () => archive(experiment),
    });
  }

  async function unarchive(experiment: ArchiveTarget): Promise<void> {
    const result = await unarchiving.executeMutation({ id: experiment.id });
    const failure = failureOfMutation(result.error, result.data?.unarchiveExperiment);
    if (failure) notification.error({ title: `Could not unarchive ${experiment.name}`, content: failure.message, duration: 8000 });
    else notification.success({ title: `Unarchived ${experiment.name}`, content: "It is back in the list as a draft.", duration: 5000 });
  }

  return { confirmArchive, unarchive };
}
