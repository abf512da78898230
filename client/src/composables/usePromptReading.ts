import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import { useTypingPause } from "./useTypingPause";

const ParsePromptDocument = graphql(`
  query ParsePrompt($prompt: String!, $baseModelId: String) {
    parsePrompt(prompt: $prompt, baseModelId: $baseModelId) {
      prompt
      tags {
        index
        raw
        name
        weight
        problems {
          code
          severity
          message
        }
        adapter {
          id
          name
          version
          scale
          deletedAt
        }
      }
    }
  }
`);

/**
 * The prompt's <lora:name:weight> tags read against the registry as the user types (parsePrompt), each with its
 * problems; only the reading of the prompt as it is now, so a late answer for older text is never shown.
 */
export function usePromptReading(source: () => { prompt: string; baseModelId: string | null }) {
  const settled = useTypingPause(source);
  const query = useQuery({
    query: ParsePromptDocument,
    variables: () => ({ prompt: settled.value.prompt, baseModelId: settled.value.baseModelId }),
    pause: () => !settled.value.prompt.includes("<lora:"),
  });
  const reading = computed(() => {
    const { prompt } = source();
    if (!prompt.includes("<lora:")) return { prompt, tags: [] };
    const parsed = query.data.value?.parsePrompt;
    return parsed && parsed.prompt === prompt ? parsed : null;
  });
  const problems = computed(() => reading.value?.tags.flatMap((tag) => tag.problems.map((problem) => ({ ...problem, tag: tag.raw, key: `${tag.index}-${problem.code}` }))) ?? []);
  return { reading, problems, error: query.error };
}
