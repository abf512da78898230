import { computed, type Ref } from "vue";
import { useMutation, useQuery } from "@urql/vue";
import { payloadOutcome } from "../api/mutationFailure";
import { refetchOf } from "../api/refetch";
import { graphql } from "../gql/gql";
import type { AbChoice } from "../gql/graphql";
import { useFormSubmission } from "./useFormSubmission";
import { useActivityRefresh } from "./useActivityRefresh";
import { useSubscriptionRefresh } from "./useSubscriptionRefresh";

graphql(`
  fragment AbTestView on AbTest {
    id
    name
    status
    error
    progress {
      judged
      total
      jobsDone
      jobsTotal
      generation
    }
    result {
      wins
      losses
      ties
      judged
      decisive
      winRate
      interval {
        lower
        upper
      }
      pValue
      significant
      verdict
    }
  }
`);

const AbTestDocument = graphql(`
  query AbTest($id: ID!) {
    abTest(id: $id) {
      ...AbTestView
    }
  }
`);

const AbTestUpdatesDocument = graphql(`
  subscription AbTestUpdates($id: ID!) {
    abTestUpdates(id: $id) {
      id
    }
  }
`);

const NextAbTrialDocument = graphql(`
  query NextAbTrial($testId: ID!) {
    nextAbTrial(testId: $testId) {
      trialId
      prompt
      index
      total
      first {
        side
        kind
        imageUrl
        audioUrl
        durationSeconds
      }
      second {
        side
        kind
        imageUrl
        audioUrl
        durationSeconds
      }
    }
  }
`);

const RecordAbChoiceDocument = graphql(`
  mutation RecordAbChoice($trialId: ID!, $choice: AbChoice!) {
    recordAbChoice(trialId: $trialId, choice: $choice) {
      __typename
      ... on RecordAbChoiceSuccess {
        test {
          ...AbTestView
        }
      }
      ...MutationFailureFields
    }
  }
`);

const CompleteAbTestDocument = graphql(`
  mutation CompleteAbTest($id: ID!) {
    completeAbTest(id: $id) {
      __typename
      ... on CompleteAbTestSuccess {
        test {
          ...AbTestView
        }
      }
      ...MutationFailureFields
    }
  }
`);

/** What the test page shows: generating, judging, every trial judged (still to be completed), or the result. */
export type AbTestStage = "generating" | "judging" | "judged" | "result" | "failed";

/** The stage of a test: its trials are judged while it is ready and some are left; judged, it waits to be completed. */
export function abTestStage(test: { status: string; progress: { judged: number; total: number } }): AbTestStage {
  if (test.status === "FAILED") return "failed";
  if (test.status === "GENERATING") return "generating";
  if (test.status === "COMPLETED") return "result";
  return test.progress.judged >= test.progress.total ? "judged" : "judging";
}

/**
 * One A/B test: its state (refetched as its generation jobs progress, and when it is ready), the next trial to judge
 * and the judge's choices. The trial query knows nothing of which adapter is which side.
 */
export function useAbTest(id: Ref<string>) {
  const testQuery = useQuery({ query: AbTestDocument, variables: () => ({ id: id.value }), requestPolicy: "cache-and-network" });
  const test = computed(() => testQuery.data.value?.abTest ?? null);
  const stage = computed(() => (test.value ? abTestStage(test.value) : null));
  const refetchTest = refetchOf(testQuery);
  useSubscriptionRefresh(
    { query: AbTestUpdatesDocument, variables: computed(() => ({ id: id.value })), pause: computed(() => stage.value !== "generating") },
    refetchTest,
  );
  // its trials are made after the last job has ended: the test's own event says when
  useActivityRefresh(["AbTest"], refetchTest);

  const trialQuery = useQuery({
    query: NextAbTrialDocument,
    variables: () => ({ testId: id.value }),
    pause: () => stage.value !== "judging",
    requestPolicy: "network-only",
  });
  const trial = computed(() => (stage.value === "judging" ? (trialQuery.data.value?.nextAbTrial ?? null) : null));

  const { executeMutation: record } = useMutation(RecordAbChoiceDocument);
  const { executeMutation: complete } = useMutation(CompleteAbTestDocument);

  let pendingChoice: AbChoice = "TIE";
  const choosing = useFormSubmission(async () => {
    const result = await record({ trialId: trial.value?.trialId ?? "", choice: pendingChoice });
    const union = result.data?.recordAbChoice;
    return payloadOutcome(result.error, union, union && "test" in union ? union.test : undefined);
  });
  const completing = useFormSubmission(async () => {
    const result = await complete({ id: id.value });
    const union = result.data?.completeAbTest;
    return payloadOutcome(result.error, union, union && "test" in union ? union.test : undefined);
  });

  return {
    test,
    stage,
    error: testQuery.error,
    trial,
    trialFetching: trialQuery.fetching,
    choosing: choosing.submitting,
    failure: computed(() => choosing.failure.value ?? completing.failure.value),
    choose: async (choice: AbChoice) => {
      if (!trial.value || choosing.submitting.value) return;
      pendingChoice = choice;
      if (await choosing.submit()) trialQuery.executeQuery({ requestPolicy: "network-only" });
    },
    complete: () => completing.submit(),
  };
}
