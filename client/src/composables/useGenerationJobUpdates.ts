import { computed } from "vue";
import { graphql } from "../gql/gql";
import { useSubscriptionRefresh } from "./useSubscriptionRefresh";

const GenerationJobUpdatesDocument = graphql(`
  subscription GenerationJobUpdates($abTestId: ID) {
    generationJobUpdates(abTestId: $abTestId) {
      id
    }
  }
`);

interface WhichJobs {
  /** only this job's changes */
  jobId?: () => string;
  /** only the jobs making this A/B test's samples */
  abTestId?: () => string;
  /** no subscription while this holds */
  pause?: () => boolean;
}

/** Calls `onChange` (a few times a second at most) when generation jobs are queued, start, progress or end. */
export function useGenerationJobUpdates(onChange: () => void, { jobId, abTestId, pause }: WhichJobs = {}): void {
  useSubscriptionRefresh(
    {
      query: GenerationJobUpdatesDocument,
      variables: computed(() => ({ abTestId: abTestId?.() ?? null })),
      pause: computed(() => pause?.() ?? false),
    },
    onChange,
    (event) => !jobId || event.generationJobUpdates.id === jobId(),
  );
}
