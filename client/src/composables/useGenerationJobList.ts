import { computed, watch, type Ref } from "vue";
import { useQuery, useSubscription } from "@urql/vue";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";
import type { GenerationJobFilter, GenerationStatus } from "../gql/graphql";
import { connectionPage, useCursorPages } from "./useCursorPages";
import { GenerationProgressDocument } from "./useGenerationJob";
import { useGenerationJobUpdates } from "./useGenerationJobUpdates";

graphql(`
  fragment GenerationJobRow on GenerationJob {
    id
    status
    progress
    prompt
    sampleCount
    error
    kind
    backend
    createdAt
    startedAt
    finishedAt
    baseModel {
      id
      displayName
    }
    adapters {
      ...GenerationJobAdapterView
    }
    samples {
      id
    }
  }
`);

const GenerationJobListDocument = graphql(`
  query GenerationJobList($filter: GenerationJobFilter, $first: Int!, $after: String) {
    generationJobs(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...GenerationJobRow
        }
      }
    }
  }
`);

const GenerationJobDocument = graphql(`
  query GenerationJob($id: ID!) {
    generationJob(id: $id) {
      ...GenerationJobView
    }
  }
`);

export const GENERATION_STATUSES: readonly GenerationStatus[] = ["QUEUED", "RUNNING", "DONE", "FAILED"];
export const JOB_PAGE_SIZE = 25;

export const isLiveJob = (status: GenerationStatus) => status === "QUEUED" || status === "RUNNING";

/** One page of generation jobs, newest first, as filtered (null: all); refetched as any job is queued, progresses or ends. */
export function useGenerationJobList(filter: Ref<GenerationJobFilter | null>) {
  const pages = useCursorPages();
  watch(() => JSON.stringify(filter.value), pages.reset);
  const query = useQuery({
    query: GenerationJobListDocument,
    variables: () => ({ filter: filter.value, first: JOB_PAGE_SIZE, after: pages.after.value }),
    requestPolicy: "cache-and-network",
  });
  const page = connectionPage(() => query.data.value?.generationJobs, pages);
  useGenerationJobUpdates(refetchOf(query));
  return { ...page, fetching: query.fetching, error: query.error };
}

/**
 * One job with its samples, followed live through generationProgress until it has ended: each event lands in the
 * normalised cache, so the query shows it without asking again.
 */
export function useGenerationJobDetail(id: () => string) {
  const query = useQuery({ query: GenerationJobDocument, variables: () => ({ id: id() }), requestPolicy: "cache-and-network" });
  const job = computed(() => query.data.value?.generationJob ?? null);
  const progress = useSubscription({
    query: GenerationProgressDocument,
    variables: () => ({ jobId: id() }),
    pause: () => job.value === null || !isLiveJob(job.value.status),
  });
  return { job, loaded: computed(() => query.data.value !== undefined), error: query.error, streamError: progress.error };
}
