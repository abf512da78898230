import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { promptWords } from "../components/generation/promptTags";
import { graphql } from "../gql/gql";
import { useTypingPause } from "./useTypingPause";

const RecommendAdaptersDocument = graphql(`
  query RecommendAdapters($prompt: String!, $compatibleWith: ID) {
    recommendAdapters(prompt: $prompt, compatibleWith: $compatibleWith, limit: 5) {
      score
      matchedWords
      explanation
      adapter {
        ...SelectableAdapter
      }
    }
  }
`);

/** Adapters whose words match the prompt's ("adapters for this prompt"), among those that fit the model, as typing pauses. */
export function usePromptRecommendations(source: () => { prompt: string; baseModelId: string | null }) {
  const settled = useTypingPause(() => ({ words: promptWords(source().prompt), baseModelId: source().baseModelId }));
  const query = useQuery({
    query: RecommendAdaptersDocument,
    variables: () => ({ prompt: settled.value.words, compatibleWith: settled.value.baseModelId }),
    pause: () => settled.value.words === "",
  });
  return {
    recommendations: computed(() => (settled.value.words === "" ? [] : (query.data.value?.recommendAdapters ?? []))),
    error: query.error,
  };
}
