import { computed, ref } from "vue";
import { useMutation } from "@urql/vue";
import { useMessage } from "naive-ui";
import { failureOfMutation } from "../api/mutationFailure";
import { graphql } from "../gql/gql";

const RateSampleDocument = graphql(`
  mutation RateSample($sampleId: ID!, $score: Int!) {
    rateSample(sampleId: $sampleId, score: $score) {
      __typename
      ... on RateSampleSuccess {
        rating {
          id
          score
        }
        sample {
          id
          averageRating
          ratingCount
        }
      }
      ...MutationFailureFields
    }
  }
`);

export interface SampleRatings {
  averageRating: number | null;
  ratingCount: number;
}

/**
 * Star ratings of one sample: the stars given here, and the sample's aggregates as the API counts them after each
 * rating (every rating also counts for the adapters its job used).
 */
export function useSampleRating(sampleId: () => string, initial: () => SampleRatings) {
  const message = useMessage();
  const { executeMutation, fetching } = useMutation(RateSampleDocument);
  const given = ref<number | null>(null);
  const aggregates = ref<SampleRatings | null>(null);

  async function rate(score: number): Promise<void> {
    const previous = given.value;
    given.value = score;
    const result = await executeMutation({ sampleId: sampleId(), score });
    const union = result.data?.rateSample;
    if (union?.__typename === "RateSampleSuccess") {
      aggregates.value = union.sample;
      message.success(`Rated ${score} of 5 stars`);
      return;
    }
    given.value = previous;
    message.error(`Could not rate the sample: ${failureOfMutation(result.error, union)?.message ?? "no answer"}`);
  }

  return { given, ratings: computed(() => aggregates.value ?? initial()), rate, rating: fetching };
}
