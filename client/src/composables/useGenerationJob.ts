import { computed, ref } from "vue";
import { useMutation, useSubscription } from "@urql/vue";
import { payloadOutcome, type PayloadOutcome } from "../api/mutationFailure";
import { graphql } from "../gql/gql";
import type { CreateGenerationJobInput, GenerationJobViewFragment, SelectableAdapterFragment } from "../gql/graphql";

graphql(`
  fragment SampleView on Sample {
    id
    index
    kind
    seed
    width
    height
    parameters
    imageUrl
    durationSeconds
    lengthSteps
    meter {
      beatsPerBar
      stepsPerBeat
    }
    notes {
      pitch
      start
      duration
    }
    audio {
      url
      sizeBytes
    }
    midi {
      url
      sizeBytes
    }
    scores {
      referenceKind
      referenceName
      noteCount
      rhythmDensity
      score
      pitchClassDistance
      inScaleRatio
    }
    averageRating
    ratingCount
  }
`);

graphql(`
  fragment GenerationJobAdapterView on GenerationJobAdapter {
    position
    weight
    deleted
    adapter {
      id
      name
      version
    }
  }
`);

graphql(`
  fragment GenerationJobView on GenerationJob {
    id
    status
    progress
    error
    prompt
    seed
    durationSeconds
    sampleCount
    temperature
    topK
    loraHashes
    kind
    backend
    imageSettings {
      negativePrompt
      steps
      sampler
      cfgScale
      width
      height
    }
    createdAt
    startedAt
    finishedAt
    baseModel {
      id
      displayName
    }
    adapters {
      ...GenerationJobAdapterView
    }
    samples {
      ...SampleView
    }
  }
`);

const CreateGenerationJobDocument = graphql(`
  mutation CreateGenerationJob($input: CreateGenerationJobInput!) {
    createGenerationJob(input: $input) {
      __typename
      ... on CreateGenerationJobSuccess {
        job {
          ...GenerationJobView
        }
      }
      ... on AdapterDeletedError {
        adapterId
      }
      ... on IncompatibleAdapterError {
        adapterId
        compatibleAdapters {
          ...SelectableAdapter
        }
      }
      ...MutationFailureFields
    }
  }
`);

export const GenerationProgressDocument = graphql(`
  subscription GenerationProgress($jobId: ID!) {
    generationProgress(jobId: $jobId) {
      ...GenerationJobView
    }
  }
`);

/** The adapter a refusal names (ADAPTER_DELETED, INCOMPATIBLE_ADAPTER), and the ones that fit instead. */
export interface AdapterRefusal {
  code: "ADAPTER_DELETED" | "INCOMPATIBLE_ADAPTER";
  adapterId: string;
  suggestions: SelectableAdapterFragment[];
}

/** Creates generation jobs and follows the latest one live: queued, running with its progress, done with its samples, or failed. */
export function useGenerationJob() {
  const creating = useMutation(CreateGenerationJobDocument);
  const refusal = ref<AdapterRefusal | null>(null);
  const created = ref<GenerationJobViewFragment | null>(null);

  const progress = useSubscription({
    query: GenerationProgressDocument,
    variables: () => ({ jobId: created.value?.id ?? "" }),
    pause: () => created.value === null,
  });
  /** the latest state the stream sent for the job created last, else the job as created */
  const job = computed(() => {
    const streamed = progress.data.value?.generationProgress;
    return streamed && streamed.id === created.value?.id ? streamed : created.value;
  });

  async function create(input: CreateGenerationJobInput): Promise<PayloadOutcome<GenerationJobViewFragment>> {
    const result = await creating.executeMutation({ input });
    const union = result.data?.createGenerationJob;
    refusal.value =
      union?.__typename === "AdapterDeletedError"
        ? { code: "ADAPTER_DELETED", adapterId: union.adapterId, suggestions: [] }
        : union?.__typename === "IncompatibleAdapterError"
          ? { code: "INCOMPATIBLE_ADAPTER", adapterId: union.adapterId, suggestions: union.compatibleAdapters }
          : null;
    const outcome = payloadOutcome(result.error, union, union?.__typename === "CreateGenerationJobSuccess" ? union.job : undefined);
    if (outcome.payload) created.value = outcome.payload;
    return outcome;
  }

  return { job, create, refusal, streamError: progress.error };
}
