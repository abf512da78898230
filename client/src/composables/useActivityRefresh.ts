import { graphql } from "../gql/gql";
import { useSubscriptionRefresh } from "./useSubscriptionRefresh";

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

/**
 * Calls `onChange` when things of the given kinds ("Adapter", "Experiment", "Run") change anywhere
 * (another tab, another user, the API itself), once per burst of events rather than once per event.
 */
export function useActivityRefresh(subjectTypes: readonly string[], onChange: () => void): void {
  useSubscriptionRefresh({ query: ActivityDocument }, onChange, (event) => subjectTypes.includes(event.activity.subjectType), { once: "quiet" });
}
