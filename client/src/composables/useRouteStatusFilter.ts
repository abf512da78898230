import { computed } from "vue";
import { useRoute, useRouter } from "vue-router";

/** A list's status filter kept in the address (?status=DONE), so that a reload or the back button keeps it; null: all. */
export function useRouteStatusFilter<Status extends string>(statuses: readonly Status[]) {
  const route = useRoute();
  const router = useRouter();
  return computed<Status | null>({
    get: () => statuses.find((status) => status === route.query.status) ?? null,
    set: (status) => void router.replace({ query: { ...route.query, status: status ?? undefined } }),
  });
}
