import { computed } from "vue";
import { graphql } from "../gql/gql";
import { useSubscriptionRefresh } from "./useSubscriptionRefresh";

const GenerationJobUpdatesDocument = graphql(`
  subscription GenerationJobUpdates {
    generationJobUpdates {
      id
    }
  }
`);

interface WhichJobs {
  /** only this job's changes */
  jobId?: () => string;
  /** no subscription while this holds */
  pause?: () => boolean;
}

/** Calls `onChange` (a few times a second at most) when generation jobs are queued, start, progress or end. */
export function useGenerationJobUpdates(onChange: () => void, { jobId, pause }: WhichJobs = {}): void {
  useSubscriptionRefresh(
    {
      query: GenerationJobUpdatesDocument,
      pause: computed(() => pause?.() ?? false),
    },
    onChange,
    (event) => !jobId || event.generationJobUpdates.id === jobId(),
  );
}
