import { computed, ref, watch } from "vue";
import { useMutation, useQuery } from "@urql/vue";
import { useMessage } from "naive-ui";
import { failureOfMutation } from "../api/mutationFailure";
import { graphql } from "../gql/gql";

const RateSampleDocument = graphql(`
  mutation RateSample($sampleId: ID!, $score: Int!, $raterId: String) {
    rateSample(sampleId: $sampleId, score: $score, raterId: $raterId) {
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

const MySampleRatingDocument = graphql(`
  query MySampleRating($sampleId: ID!, $raterId: String) {
    sample(id: $sampleId) {
      id
      myRating(raterId: $raterId)
    }
  }
`);

export interface SampleRatings {
  averageRating: number | null;
  ratingCount: number;
}

export const RATER_ID_KEY = "lora-studio.raterId";

/**
 * The id this browser rates under when no API key names the rater: made once and kept, so rating a sample again
 * changes the rating instead of adding one. The API prefers the key whenever one is presented.
 */
export function browserRaterId(storage: Pick<Storage, "getItem" | "setItem">, newId: () => string = () => crypto.randomUUID()): string {
  const kept = storage.getItem(RATER_ID_KEY);
  if (kept && /^[\w-]{8,100}$/.test(kept)) return kept;
  const made = newId();
  storage.setItem(RATER_ID_KEY, made);
  return made;
}

/**
 * Star ratings of one sample: the caller's own rating (loaded, and changed by rating again) and the sample's aggregates
 * as the API counts them, one rating per rater.
 */
export function useSampleRating(sampleId: () => string, initial: () => SampleRatings) {
  const message = useMessage();
  const raterId = browserRaterId(window.localStorage);
  const { executeMutation, fetching } = useMutation(RateSampleDocument);
  const mine = useQuery({ query: MySampleRatingDocument, variables: () => ({ sampleId: sampleId(), raterId }), requestPolicy: "cache-and-network" });
  const given = ref<number | null>(null);
  const aggregates = ref<SampleRatings | null>(null);
  watch(
    () => mine.data.value?.sample?.myRating,
    (stored) => {
      if (stored !== undefined) given.value = stored;
    },
    { immediate: true },
  );

  async function rate(score: number): Promise<void> {
    const previous = given.value;
    given.value = score;
    const result = await executeMutation({ sampleId: sampleId(), score, raterId });
    const union = result.data?.rateSample;
    if (union?.__typename === "RateSampleSuccess") {
      aggregates.value = union.sample;
      message.success(previous === null ? `Rated ${score} of 5 stars` : `Rating changed to ${score} of 5 stars`);
      return;
    }
    given.value = previous;
    message.error(`Could not rate the sample: ${failureOfMutation(result.error, union)?.message ?? "no answer"}`);
  }

  return { given, ratings: computed(() => aggregates.value ?? initial()), rate, rating: fetching };
}
