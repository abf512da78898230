import { computed, onScopeDispose } from "vue";
import { useQuery } from "@urql/vue";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";
import { throttle } from "../utils/throttle";

graphql(`
  fragment DashboardFeaturedAdapter on Adapter {
    id
    name
    version
    averageRating
    ratingCount
    usageCount
  }
`);

const DashboardDocument = graphql(`
  query Dashboard {
    dashboard {
      stats {
        adaptersTotal
        adaptersActive
        experimentsByStatus {
          status
          count
        }
        runsRunning
        generationsToday
        averageRating
        ratingCount
      }
      health {
        database {
          ok
          kind
          error
        }
        sidecars {
          id
          name
          connected
          executionProviders
          trainers
          concurrency
          lastSeenAt
        }
        queueDepth {
          runs
          generations
        }
        workerPool {
          threads
          queued
          completed
        }
      }
      featuredAdapters {
        bestRated {
          ...DashboardFeaturedAdapter
        }
        mostUsed {
          ...DashboardFeaturedAdapter
        }
      }
    }
  }
`);

/** A burst of events (a run's steps, a batch of ratings) refreshes the counts once a second at most. */
const REFRESH_AT_MOST_EVERY_MS = 1000;

/**
 * Health changes without an event (a sidecar's heartbeat, its last-seen time), and an event recorded between the first
 * read and the start of the activity subscription is not sent again: the dashboard reads itself again this often too.
 */
const DASHBOARD_REREAD_MS = 10_000;

/** Stats, health and featured adapters; `refresh` may be called per event, it reaches the server throttled. */
export function useDashboard() {
  const query = useQuery({ query: DashboardDocument, requestPolicy: "cache-and-network" });
  const refresh = throttle(refetchOf(query), REFRESH_AT_MOST_EVERY_MS);
  const reread = setInterval(refresh, DASHBOARD_REREAD_MS);
  onScopeDispose(() => {
    clearInterval(reread);
    refresh.cancel();
  });
  return {
    dashboard: computed(() => query.data.value?.dashboard ?? null),
    error: query.error,
    refresh,
  };
}
