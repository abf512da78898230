import { onScopeDispose } from "vue";
import { useSubscription, type AnyVariables, type UseSubscriptionArgs } from "@urql/vue";
import { throttle } from "../utils/throttle";

const REFRESH_EVERY_MS = 250;

/**
 * Calls `onChange` for the subscription's events that `relevant` accepts, at most once per 250 ms however many
 * arrive (the last one is never dropped): a page refetching what it shows when something changes on the server.
 */
export function useSubscriptionRefresh<Event, Variables extends AnyVariables>(
  args: UseSubscriptionArgs<Event, Variables>,
  onChange: () => void,
  relevant: (event: Event) => boolean = () => true,
): void {
  const refresh = throttle(onChange, REFRESH_EVERY_MS);
  onScopeDispose(refresh.cancel);
  useSubscription(args, (_previous, event) => {
    if (relevant(event)) refresh();
    return event;
  });
}
