import { onScopeDispose } from "vue";
import { useSubscription } from "@urql/vue";
import { graphql } from "../gql/gql";
import { debounce } from "../utils/debounce";

const ActivityDocument = graphql(`
  subscription AdapterActivity {
    activity {
      id
      type
      subjectType
      subjectId
    }
  }
`);

const FLUSH_AFTER_MS = 250;

/**
 * Calls `onChange` when adapters change anywhere (another tab, another user, the API itself),
 * once per burst of events rather than once per event.
 */
export function useAdapterActivity(onChange: () => void): void {
  const flush = debounce(onChange, FLUSH_AFTER_MS);
  onScopeDispose(flush.cancel);
  useSubscription({ query: ActivityDocument }, (_previous, event) => {
    if (event.activity.subjectType === "Adapter") flush();
    return event;
  });
}
