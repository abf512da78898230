import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";
import { isLiveJob } from "./useGenerationJobList";
import { useSubscriptionRefresh } from "./useSubscriptionRefresh";

graphql(`
  fragment GenerationGridCellView on GenerationGridCell {
    weight
    seed
    job {
      id
      status
      progress
      error
      durationSeconds
      samples {
        ...SampleView
      }
    }
  }
`);

const GenerationGridDocument = graphql(`
  query GenerationGrid($id: ID!) {
    generationGrid(id: $id) {
      ...GenerationGridSummary
      adapters {
        adapter {
          id
        }
        rows {
          weight
          cells {
            ...GenerationGridCellView
          }
        }
      }
    }
  }
`);

// status, progress and error update the cells' jobs in the cache as they arrive; an end brings the samples
const GenerationGridJobUpdatesDocument = graphql(`
  subscription GenerationGridJobUpdates {
    generationJobUpdates {
      id
      status
      progress
      error
    }
  }
`);

/** One grid with its cells' jobs and samples: live while any cell's job is queued or running. */
export function useGenerationGrid(id: () => string) {
  const query = useQuery({ query: GenerationGridDocument, variables: () => ({ id: id() }), requestPolicy: "cache-and-network" });
  const grid = computed(() => query.data.value?.generationGrid ?? null);
  const jobs = computed(() => grid.value?.adapters.flatMap((part) => part.rows.flatMap((row) => row.cells.flatMap((cell) => (cell.job ? [cell.job] : [])))) ?? []);
  const jobIds = computed(() => new Set(jobs.value.map((job) => job.id)));
  useSubscriptionRefresh(
    { query: GenerationGridJobUpdatesDocument, pause: computed(() => jobs.value.every((job) => !isLiveJob(job.status))) },
    refetchOf(query),
    (event) => jobIds.value.has(event.generationJobUpdates.id) && !isLiveJob(event.generationJobUpdates.status),
  );
  return {
    grid,
    /** cells whose job has ended, of all the grid's cells */
    ended: computed(() => jobs.value.filter((job) => !isLiveJob(job.status)).length),
    loaded: computed(() => query.data.value !== undefined),
    error: query.error,
  };
}
