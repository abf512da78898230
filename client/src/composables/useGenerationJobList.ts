import { computed, watch, type Ref } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import type { GenerationStatus } from "../gql/graphql";
import { connectionPage, useCursorPages } from "./useCursorPages";
import { useRefetchWhileLive } from "./useRefetchWhileLive";

graphql(`
  fragment GenerationJobRow on GenerationJob {
    id
    status
    progress
    prompt
    sampleCount
    error
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

/** One page of generation jobs, newest first, of one status or all; live jobs' progress refreshed while any is listed. */
export function useGenerationJobList(status: Ref<GenerationStatus | null>) {
  const pages = useCursorPages();
  watch(status, pages.reset);
  const query = useQuery({
    query: GenerationJobListDocument,
    variables: () => ({ filter: status.value ? { status: status.value } : null, first: JOB_PAGE_SIZE, after: pages.after.value }),
    requestPolicy: "cache-and-network",
    // an empty page names no GenerationJob, so urql would not know to refetch it after one is created
    context: { additionalTypenames: ["GenerationJob"] },
  });
  const page = connectionPage(() => query.data.value?.generationJobs, pages);
  const refresh = useRefetchWhileLive(query, () => page.nodes.value.some((job) => isLiveJob(job.status)));
  return { ...page, fetching: query.fetching, error: query.error, refresh };
}

/** One job with its samples; followed until it has ended. */
export function useGenerationJobDetail(id: () => string) {
  const query = useQuery({ query: GenerationJobDocument, variables: () => ({ id: id() }), requestPolicy: "cache-and-network" });
  const job = computed(() => query.data.value?.generationJob ?? null);
  useRefetchWhileLive(query, () => job.value !== null && isLiveJob(job.value.status));
  return { job, loaded: computed(() => query.data.value !== undefined), error: query.error };
}
