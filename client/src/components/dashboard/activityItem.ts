import type { RouteLocationRaw } from "vue-router";
import type { ActivityFeedItemFragment } from "../../gql/graphql";

type ActivitySubject = Pick<ActivityFeedItemFragment, "subjectType" | "subjectId" | "data">;

/** The page that shows an event's subject, where one exists: a run on its experiment's Runs tab, a job opened in the list. */
export function activitySubjectLink({ subjectType, subjectId, data }: ActivitySubject): RouteLocationRaw | null {
  switch (subjectType) {
    case "Adapter":
      return { name: "adapter", params: { id: subjectId } };
    case "Experiment":
      return { name: "experiment", params: { id: subjectId } };
    case "Run": {
      const experimentId = typeof data === "object" && data !== null && "experimentId" in data ? data.experimentId : undefined;
      return typeof experimentId === "string" ? { name: "experiment", params: { id: experimentId }, query: { tab: "runs", run: subjectId } } : null;
    }
    case "GenerationJob":
      return { name: "jobs", query: { job: subjectId } };
    case "Delivery":
      return { name: "delivery", params: { id: subjectId } };
    default:
      return null;
  }
}

/** "GenerationJob" -> "Generation job": the kind of thing an event is about, as a tag says it. */
export function activitySubjectLabel(subjectType: string): string {
  const words = subjectType.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type ActivityTone = "default" | "success" | "warning" | "error";

/** How an event reads at a glance, from how its type ends: "RUN_FAILED" is an error, "DELIVERY_SUCCEEDED" a success. */
export function activityTone(type: string): ActivityTone {
  if (/_FAILED$/.test(type)) return "error";
  if (/_(SUCCEEDED|COMPLETED|DONE)$/.test(type)) return "success";
  if (/_(CANCELLED|DELETED)$/.test(type)) return "warning";
  return "default";
}
