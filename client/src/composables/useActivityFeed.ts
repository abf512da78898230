import { computed, onScopeDispose, ref } from "vue";
import { useQuery, useSubscription } from "@urql/vue";
import { graphql } from "../gql/gql";
import type { ActivityFeedItemFragment } from "../gql/graphql";

graphql(`
  fragment ActivityFeedItem on ActivityEvent {
    id
    type
    message
    subjectType
    subjectId
    data
    actor
    createdAt
  }
`);

const RecentActivityDocument = graphql(`
  query RecentActivity($first: Int!) {
    activity(first: $first) {
      edges {
        node {
          ...ActivityFeedItem
        }
      }
    }
  }
`);

const ActivityFeedDocument = graphql(`
  subscription ActivityFeed {
    activity {
      ...ActivityFeedItem
    }
  }
`);

export const FEED_INITIAL_SIZE = 20;
/** How many events the feed keeps while the page stays open. */
export const FEED_LIMIT = 50;
const FLUSH_AFTER_MS = 250;

/** `newer` on top of `older`, both newest first: each event once (the first page and the subscription may both bring one), at most `limit`. */
export function mergeActivity<Event extends { id: string }>(newer: readonly Event[], older: readonly Event[], limit: number): Event[] {
  const seen = new Set<string>();
  const feed: Event[] = [];
  for (const event of [...newer, ...older]) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    feed.push(event);
    if (feed.length === limit) break;
  }
  return feed;
}

/**
 * The latest events, then each new one on top as it is recorded; arrivals are buffered and shown together every
 * quarter second. `onArrival` is told of each event as it comes (to refresh what it changed).
 */
export function useActivityFeed(onArrival: (event: ActivityFeedItemFragment) => void) {
  const query = useQuery({ query: RecentActivityDocument, variables: { first: FEED_INITIAL_SIZE }, requestPolicy: "network-only" });
  /** newest first, as are the query's */
  const arrived = ref<ActivityFeedItemFragment[]>([]);
  let buffer: ActivityFeedItemFragment[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    timer = undefined;
    arrived.value = mergeActivity(buffer.reverse(), arrived.value, FEED_LIMIT);
    buffer = [];
  };
  onScopeDispose(() => clearTimeout(timer));

  useSubscription({ query: ActivityFeedDocument }, (_previous, event) => {
    buffer.push(event.activity);
    timer ??= setTimeout(flush, FLUSH_AFTER_MS);
    onArrival(event.activity);
    return event;
  });

  const recent = computed(() => query.data.value?.activity.edges.map((edge) => edge.node) ?? []);
  return {
    events: computed(() => mergeActivity(arrived.value, recent.value, FEED_LIMIT)),
    loaded: computed(() => query.data.value !== undefined),
    error: query.error,
  };
}
