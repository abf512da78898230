import { useMutation } from "@urql/vue";
import { useDialog, useNotification } from "naive-ui";
import { failureOfMutation } from "../api/mutationFailure";
import { graphql } from "../gql/gql";
import type { GenerationJobViewFragment } from "../gql/graphql";

const CancelGenerationJobDocument = graphql(`
  mutation CancelGenerationJob($id: ID!) {
    cancelGenerationJob(id: $id) {
      __typename
      ... on CancelGenerationJobSuccess {
        job {
          id
          status
          progress
          error
          finishedAt
        }
      }
      ...MutationFailureFields
    }
  }
`);

type CancellableJob = Pick<GenerationJobViewFragment, "id" | "status" | "kind">;

/** A queued job never runs; a running image job interrupts its backend. A melody running on a sidecar goes on to the end. */
export function isCancellable(job: Pick<CancellableJob, "status" | "kind">): boolean {
  return job.status === "QUEUED" || (job.status === "RUNNING" && job.kind === "IMAGE");
}

/** Cancelling a generation job, asked first; the job's new state reaches the page through the cache. */
export function useGenerationJobCancel() {
  const dialog = useDialog();
  const notification = useNotification();
  const { executeMutation, fetching } = useMutation(CancelGenerationJobDocument);

  async function cancel(job: CancellableJob): Promise<void> {
    const result = await executeMutation({ id: job.id });
    const failure = failureOfMutation(result.error, result.data?.cancelGenerationJob);
    if (failure) notification.error({ title: "Could not cancel the job", content: failure.message, duration: 8000 });
    else notification.info({ title: "Job cancelled", content: "Its backend was told to stop; the job ends as failed, \"cancelled\".", duration: 4000 });
  }

  function confirmCancel(job: CancellableJob): void {
    dialog.warning({
      title: "Cancel this job?",
      content: job.status === "QUEUED" ? "It never runs." : "The backend stops generating; images not finished are lost.",
      positiveText: "Cancel job",
      negativeText: "Keep it",
      negativeButtonProps: { type: "default" },
      onPositiveClick: () => cancel(job),
    });
  }

  return { confirmCancel, cancelling: fetching };
}
