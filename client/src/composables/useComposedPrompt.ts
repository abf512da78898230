import { computed, onScopeDispose, ref, watch } from "vue";
import { useClientHandle, useQuery } from "@urql/vue";
import type { ChosenAdapter } from "../components/generation/adapterSelection";
import { graphql } from "../gql/gql";
import type { ComposePromptInput } from "../gql/graphql";
import { debounce } from "../utils/debounce";
import { TYPING_PAUSE_MS } from "./useDebouncedDraft";

graphql(`
  fragment ComposedPromptView on ComposedPrompt {
    prompt
    tokens
    loraHashes
    warnings {
      code
      message
      adapterId
    }
  }
`);

const ComposePromptDocument = graphql(`
  query ComposePrompt($input: ComposePromptInput!) {
    composePrompt(input: $input) {
      ...ComposedPromptView
    }
  }
`);

export interface PromptComposition {
  /** the words the user wrote */
  text: string;
  adapters: readonly Pick<ChosenAdapter, "adapterId" | "weight">[];
  baseModelId: string | null;
}

/** composePrompt's input: the words first, then the chosen adapters' trigger words and <lora:name:weight> tokens. */
export function composeInput({ text, adapters, baseModelId }: PromptComposition): ComposePromptInput {
  return {
    prefix: text.trim(),
    adapters: adapters.map(({ adapterId, weight }) => ({ adapterId, weight })),
    ...(baseModelId ? { baseModelId } : {}),
  };
}

/**
 * The prompt composed from the words and the chosen adapters, as AUTOMATIC1111 and SD.Next read it, recomposed once
 * typing pauses; `composeNow` gives the one for what is entered right now (from the cache when it is the one shown).
 */
export function useComposedPrompt(composition: () => PromptComposition) {
  const { client } = useClientHandle();
  const settled = ref(composition());
  const settle = debounce(() => (settled.value = composition()), TYPING_PAUSE_MS);
  onScopeDispose(settle.cancel);
  watch(composition, (next, previous) => {
    // adapters and weights change with a click: compose at once; words as typing pauses
    if (next.text !== previous.text) settle();
    else settled.value = next;
  });

  const query = useQuery({ query: ComposePromptDocument, variables: () => ({ input: composeInput(settled.value) }) });

  async function composeNow() {
    const result = await client.query(ComposePromptDocument, { input: composeInput(composition()) }).toPromise();
    return { composed: result.data?.composePrompt ?? null, error: result.error ?? null };
  }

  return { composed: computed(() => query.data.value?.composePrompt ?? null), fetching: query.fetching, error: query.error, composeNow };
}
