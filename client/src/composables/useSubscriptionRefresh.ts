import { onScopeDispose } from "vue";
import { useSubscription, type AnyVariables, type UseSubscriptionArgs } from "@urql/vue";
import { debounce } from "../utils/debounce";
import { throttle } from "../utils/throttle";

const REFRESH_EVERY_MS = 250;

/**
 * Calls `onChange` for the subscription's events that `relevant` accepts: a page refetching what it shows when
 * something changes on the server. At most once per 250 ms however many arrive (the last one is never dropped); with
 * `once: "quiet"`, once a burst has been quiet for 250 ms instead (a page with forms open, refreshed less often).
 */
export function useSubscriptionRefresh<Event, Variables extends AnyVariables>(
  args: UseSubscriptionArgs<Event, Variables>,
  onChange: () => void,
  relevant: (event: Event) => boolean = () => true,
  { once = "steadily" }: { once?: "steadily" | "quiet" } = {},
): void {
  const refresh = (once === "quiet" ? debounce : throttle)(onChange, REFRESH_EVERY_MS);
  onScopeDispose(refresh.cancel);
  useSubscription(args, (_previous, event) => {
    if (relevant(event)) refresh();
    return event;
  });
}
