import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { useQuery, type AnyVariables } from "@urql/vue";
import { computed, onScopeDispose, reactive, ref } from "vue";
import { debounce } from "../utils/debounce";
import { TYPING_PAUSE_MS } from "./useDebouncedDraft";

/** How many adapters a selector lists, with nothing typed and for each search. */
export const ADAPTER_PAGE_SIZE = 50;

/** The variables every adapter search takes: what is typed, and how many to list. */
export interface AdapterSearchPage {
  search: string;
  first: number;
}

/** What one answer lists, and how many adapters match what was typed. */
export interface AdapterSearchCounts {
  shown: number;
  matching: number;
}

/** "Showing 50 of 512 — type to search" while the answer lists fewer adapters than match; null when it lists them all. */
export function searchHint(searched: string, { shown, matching }: AdapterSearchCounts): string | null {
  if (shown >= matching) return null;
  return searched === "" ? `Showing ${shown} of ${matching} — type to search` : `Showing ${shown} of ${matching} matches — type more to narrow them down`;
}

/**
 * A selector's options: the chosen ones the page lacks first, so that they keep their label and can be unchosen
 * whatever is typed, then the page.
 */
export function withChosen<Option extends { value: string }>(page: readonly Option[], chosen: readonly Option[]): Option[] {
  const listed = new Set(page.map((option) => option.value));
  return [...chosen.filter((option) => !listed.has(option.value)), ...page];
}

/**
 * Adapters searched on the server as the user types into a select (Naive UI's `remote` mode): the first page while the
 * box is empty, the matches once typing pauses, and a hint when more match than are listed. `variables` places what is
 * typed and the page size into the selector's own query.
 */
export function useAdapterSearch<Data, Variables extends AdapterSearchPage & AnyVariables>(options: {
  query: TypedDocumentNode<Data, Variables>;
  variables: (page: AdapterSearchPage) => Variables;
  pause?: () => boolean;
  counts: (data: Data) => AdapterSearchCounts;
}) {
  const typed = ref("");
  const query = useQuery<Data, Variables>({
    query: options.query,
    variables: () => options.variables({ search: typed.value, first: ADAPTER_PAGE_SIZE }),
    pause: options.pause ?? false,
    requestPolicy: "cache-and-network",
  });
  const settle = debounce((text: string) => void (typed.value = text.trim()), TYPING_PAUSE_MS);
  onScopeDispose(settle.cancel);
  /** Naive UI empties its box when the menu closes and after a choice, without a search event. */
  function reset(): void {
    settle.cancel();
    typed.value = "";
  }
  // the hint speaks of the answer shown, which lags behind what is being typed
  const searched = computed(() => query.operation.value?.variables.search ?? "");
  const hint = computed(() => (query.data.value === undefined ? null : searchHint(searched.value, options.counts(query.data.value))));
  return reactive({
    data: query.data,
    loaded: computed(() => query.data.value !== undefined),
    error: query.error,
    fetching: query.fetching,
    hint,
    search: settle,
    reset,
    /** NSelect's props for searching on the server: `v-bind` them */
    selectProps: computed(() => ({
      filterable: true,
      remote: true,
      loading: query.fetching.value,
      onSearch: settle,
      "onUpdate:show": (show: boolean) => void (show || reset()),
    })),
  });
}

/** What a selector needs to search on the server as the user types. */
export type AdapterSearch = Pick<ReturnType<typeof useAdapterSearch>, "hint" | "fetching" | "search" | "reset" | "selectProps">;
