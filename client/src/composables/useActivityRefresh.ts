import { onScopeDispose } from "vue";
import { useSubscription } from "@urql/vue";
import { graphql } from "../gql/gql";
import { debounce } from "../utils/debounce";

const ActivityDocument = graphql(`
  subscription ActivityEvents {
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
 * Calls `onChange` when things of the given kinds ("Adapter", "Experiment", "Run") change anywhere
 * (another tab, another user, the API itself), once per burst of events rather than once per event.
 */
export function useActivityRefresh(subjectTypes: readonly string[], onChange: () => void): void {
  const flush = debounce(onChange, FLUSH_AFTER_MS);
  onScopeDispose(flush.cancel);
  useSubscription({ query: ActivityDocument }, (_previous, event) => {
    if (subjectTypes.includes(event.activity.subjectType)) flush();
    return event;
  });
}
