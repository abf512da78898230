import { computed, ref, watch } from "vue";
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw, type RouteLocationRaw } from "vue-router";
import type { AdapterFilter, AdapterOrder } from "../gql/graphql";

/** What the adapters page shows; every field lives in the URL query so it survives reloads and navigation. */
export interface AdapterListFilters {
  activeOnly: boolean;
  baseModelId: string | null;
  tag: string | null;
  search: string;
  groupByName: boolean;
  orderBy: AdapterOrder;
}

export const DEFAULT_ADAPTER_ORDER: AdapterOrder = "CREATED_AT_DESC";

export const ADAPTER_ORDER_LABELS: Record<AdapterOrder, string> = {
  CREATED_AT_DESC: "Newest first",
  CREATED_AT_ASC: "Oldest first",
  NAME_ASC: "Name A–Z",
  NAME_DESC: "Name Z–A",
  UPDATED_AT_DESC: "Recently changed",
  ORDINAL_ASC: "Activation order",
  USAGE_DESC: "Most used",
};

function isAdapterOrder(value: string): value is AdapterOrder {
  return Object.hasOwn(ADAPTER_ORDER_LABELS, value);
}

function firstValue(query: LocationQuery, key: string): string | null {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : null;
}

function isOn(query: LocationQuery, key: string): boolean {
  return ["1", "true", "yes"].includes(firstValue(query, key)?.toLowerCase() ?? "");
}

export function filtersFromQuery(query: LocationQuery): AdapterListFilters {
  const order = firstValue(query, "sort")?.toUpperCase() ?? "";
  return {
    activeOnly: isOn(query, "active"),
    baseModelId: firstValue(query, "base"),
    tag: firstValue(query, "tag"),
    search: firstValue(query, "q") ?? "",
    groupByName: isOn(query, "group"),
    orderBy: isAdapterOrder(order) ? order : DEFAULT_ADAPTER_ORDER,
  };
}

/** The URL query for these filters; defaults are left out so a plain /adapters means "everything". */
export function filtersToQuery(filters: AdapterListFilters): LocationQueryRaw {
  const search = filters.search.trim();
  const entries: [string, string | null][] = [
    ["active", filters.activeOnly ? "1" : null],
    ["base", filters.baseModelId],
    ["tag", filters.tag],
    ["q", search || null],
    ["group", filters.groupByName ? "1" : null],
    ["sort", filters.orderBy === DEFAULT_ADAPTER_ORDER ? null : filters.orderBy.toLowerCase()],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== null));
}

/** The API's AdapterFilter for these filters; absent fields do not filter. */
export function toAdapterFilter(filters: AdapterListFilters): AdapterFilter {
  const search = filters.search.trim();
  return {
    ...(filters.activeOnly ? { active: true } : {}),
    ...(filters.baseModelId ? { baseModelId: filters.baseModelId } : {}),
    ...(filters.tag ? { tag: filters.tag } : {}),
    ...(search ? { search } : {}),
  };
}

/** Whether the filters leave any adapter out (sorting and grouping do not). */
export function narrowsList(filters: AdapterListFilters): boolean {
  return Object.keys(toAdapterFilter(filters)).length > 0;
}

export const ADAPTER_LIST_QUERY_STORAGE_KEY = "lora-studio.adapter-list-query";

type KeyValueStorage = Pick<Storage, "getItem" | "setItem">;

/** The filters the adapters page last showed in this tab, as its URL query; only known filters are kept. */
export function readRememberedQuery(storage: KeyValueStorage): LocationQueryRaw {
  try {
    const stored: unknown = JSON.parse(storage.getItem(ADAPTER_LIST_QUERY_STORAGE_KEY) ?? "{}");
    return typeof stored === "object" && stored !== null ? filtersToQuery(filtersFromQuery(stored as LocationQuery)) : {};
  } catch {
    return {};
  }
}

export function rememberQuery(storage: KeyValueStorage, query: LocationQuery): LocationQueryRaw {
  const kept = filtersToQuery(filtersFromQuery(query));
  storage.setItem(ADAPTER_LIST_QUERY_STORAGE_KEY, JSON.stringify(kept));
  return kept;
}

const rememberedQuery = ref<LocationQueryRaw | null>(null);

function remembered() {
  rememberedQuery.value ??= readRememberedQuery(window.sessionStorage);
  return rememberedQuery;
}

/**
 * Where links back to the adapters page go (the sidebar, a detail page's back link): the page with the filters it
 * last had, so that leaving it and coming back keeps them, as a reload and Back do.
 */
export function useAdapterListLocation() {
  const query = remembered();
  return computed<RouteLocationRaw>(() => ({ name: "adapters", query: query.value ?? {} }));
}

/** The adapters page's filters, read from and written to the route's query, and remembered for links back to it. */
export function useAdapterListFilters() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => filtersFromQuery(route.query));
  const query = remembered();
  watch(
    () => route.query,
    (current) => {
      if (route.name === "adapters") query.value = rememberQuery(window.sessionStorage, current);
    },
    { immediate: true },
  );
  function updateFilters(change: Partial<AdapterListFilters>): void {
    void router.replace({ query: filtersToQuery({ ...filters.value, ...change }) });
  }
  return { filters, updateFilters };
}
