import { useMutation } from "@urql/vue";
import { useDialog, useNotification } from "naive-ui";
import { failureOfMutation, payloadOutcome, type PayloadOutcome } from "../api/mutationFailure";
import { graphql } from "../gql/gql";
import type { StartRunInput } from "../gql/graphql";
import { countOf } from "../utils/format";

const StartRunDocument = graphql(`
  mutation StartRun($experimentId: ID!, $input: StartRunInput) {
    startRun(experimentId: $experimentId, input: $input) {
      __typename
      ... on StartRunSuccess {
        run {
          id
          name
          status
        }
      }
      ...MutationFailureFields
    }
  }
`);

const CancelRunDocument = graphql(`
  mutation CancelRun($id: ID!) {
    cancelRun(id: $id) {
      __typename
      ... on CancelRunSuccess {
        run {
          id
          status
          cancelRequested
        }
      }
      ...MutationFailureFields
    }
  }
`);

const DeleteRunsDocument = graphql(`
  mutation DeleteRuns($experimentId: ID!, $runIds: [ID!]!) {
    deleteRuns(experimentId: $experimentId, runIds: $runIds) {
      __typename
      ... on DeleteRunsSuccess {
        deletedRunIds
      }
      ...MutationFailureFields
    }
  }
`);

const DELETION_WARNING = "Its log, metrics and files are removed; this cannot be undone. An adapter it produced is kept.";

interface RunTarget {
  id: string;
  name: string;
}

export interface StartedRun {
  id: string;
  name: string;
}

/**
 * Starting, cancelling and deleting an experiment's runs; cancelling and deleting ask first and every
 * action says how it went. `changed` refetches the experiment after a change the API reports
 * without the experiment itself.
 */
export function useRunActions(experimentId: () => string, changed: (deletedIds?: readonly string[]) => void) {
  const dialog = useDialog();
  const notification = useNotification();
  const starting = useMutation(StartRunDocument);
  const cancelling = useMutation(CancelRunDocument);
  const deleting = useMutation(DeleteRunsDocument);

  async function start(input: StartRunInput): Promise<PayloadOutcome<StartedRun>> {
    const result = await starting.executeMutation({ experimentId: experimentId(), input });
    const union = result.data?.startRun;
    const outcome = payloadOutcome(result.error, union, union && "run" in union ? union.run : undefined);
    if (outcome.payload) changed();
    return outcome;
  }

  async function cancel(run: RunTarget): Promise<void> {
    const result = await cancelling.executeMutation({ id: run.id });
    const failure = failureOfMutation(result.error, result.data?.cancelRun);
    if (failure) notification.error({ title: `Could not cancel ${run.name}`, content: failure.message, duration: 8000 });
    else notification.info({ title: `Cancelling ${run.name}`, content: "The trainer stops at its next step.", duration: 4000 });
  }

  function confirmCancel(run: RunTarget): void {
    dialog.warning({
      title: `Cancel ${run.name}?`,
      content: "Training stops and the run is marked cancelled. Its log and metrics so far are kept.",
      positiveText: "Cancel run",
      negativeText: "Keep training",
      negativeButtonProps: { type: "default" },
      onPositiveClick: () => cancel(run),
    });
  }

  async function remove(runs: readonly RunTarget[], what: string): Promise<void> {
    const result = await deleting.executeMutation({ experimentId: experimentId(), runIds: runs.map((run) => run.id) });
    const union = result.data?.deleteRuns;
    const outcome = payloadOutcome(result.error, union, union && "deletedRunIds" in union ? union.deletedRunIds : undefined);
    if (outcome.failure) {
      notification.error({ title: `Could not delete ${what}`, content: outcome.failure.message, duration: 8000 });
      return;
    }
    notification.success({ title: `Deleted ${what}`, duration: 4000 });
    changed(outcome.payload);
  }

  function confirmDelete(run: RunTarget): void {
    dialog.error({
      title: `Delete ${run.name}?`,
      content: DELETION_WARNING,
      positiveText: "Delete",
      negativeText: "Cancel",
      positiveButtonProps: { type: "error" },
      negativeButtonProps: { type: "default" },
      onPositiveClick: () => remove([run], run.name),
    });
  }

  function confirmDeleteMany(runs: readonly RunTarget[]): void {
    const what = countOf(runs.length, "run");
    dialog.error({
      title: `Delete ${what}?`,
      content: `${runs.map((run) => run.name).join(", ")}. Their logs, metrics and files are removed; this cannot be undone. Adapters they produced are kept.`,
      positiveText: `Delete ${what}`,
      negativeText: "Cancel",
      positiveButtonProps: { type: "error" },
      negativeButtonProps: { type: "default" },
      onPositiveClick: () => remove(runs, what),
    });
  }

  return { start, confirmCancel, confirmDelete, confirmDeleteMany };
}
