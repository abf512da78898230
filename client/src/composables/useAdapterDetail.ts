import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import { useCurrentModel } from "./useCurrentModel";

graphql(`
  fragment AdapterDetail on Adapter {
    id
    name
    version
    description
    format
    source
    active
    weight
    rank
    alpha
    useRslora
    scale
    effectiveScale
    targetModules
    tensorCount
    sizeBytes
    sha256
    autoV2
    originalFilename
    baseModelNameInFile
    tags
    trainedWords
    triggers
    activationText
    notes
    ordinal
    downloadUrl
    previewSample {
      id
      index
      seed
      audio {
        url
      }
      job {
        id
        prompt
      }
    }
    triggerWordSuggestions {
      tag
      count
    }
    duplicates {
      id
      name
      version
    }
    trainingConfig
    civitaiMetadata {
      author
      modelId
      versionId
      modelName
      versionName
      baseModel
      archetype
      nsfw
      nsfwLevel
      publishedAt
      trainedWords
      url
      sourcePath
      ingestedAt
      stats {
        downloads
        favorites
        comments
        rating
        ratingCount
      }
      primaryFile {
        name
        sizeBytes
        sha256
        downloadUrl
      }
    }
    warnings
    usageCount
    averageRating
    ratingCount
    createdAt
    updatedAt
    deletedAt
    baseModel {
      ...BaseModelSummary
    }
    compatibility(baseModelId: $current) @include(if: $withCompatibility) {
      compatible
      reason
    }
    files {
      name
      role
      sizeBytes
      sha256
    }
  }
`);

const AdapterDetailDocument = graphql(`
  query AdapterDetail($id: ID!, $current: ID!, $withCompatibility: Boolean!) {
    adapter(id: $id) {
      ...AdapterDetail
    }
  }
`);

/** One adapter by id, deleted ones included, with its compatibility with the current model. */
export function useAdapterDetail(id: () => string) {
  const { compatibilityVariables } = useCurrentModel();
  const query = useQuery({
    query: AdapterDetailDocument,
    variables: () => ({ id: id(), ...compatibilityVariables.value }),
  });
  return {
    adapter: computed(() => query.data.value?.adapter ?? null),
    loaded: computed(() => query.data.value !== undefined),
    fetching: query.fetching,
    error: query.error,
  };
}
