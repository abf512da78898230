import { computed } from "vue";
import { useRoute, useRouter, type LocationQuery } from "vue-router";
import type { GenerationJobFilter, GenerationStatus } from "../gql/graphql";

/** The Jobs page's filters as the address keeps them (?adapter=…&model=…&q=…&from=2026-12-01&to=2026-12-07). */
export interface JobFilterQuery {
  adapter: string | null;
  model: string | null;
  q: string;
  /** days, YYYY-MM-DD in the viewer's time zone, both included */
  from: string | null;
  to: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = (value: unknown) => (typeof value === "string" ? value : "");
const day = (value: unknown) => (typeof value === "string" && DAY.test(value) ? value : null);

export function jobFilterQueryOf(query: LocationQuery): JobFilterQuery {
  return { adapter: text(query.adapter) || null, model: text(query.model) || null, q: text(query.q), from: day(query.from), to: day(query.to) };
}

/** Midnight starting the day, in the viewer's time zone. */
const startOf = (isoDay: string) => new Date(`${isoDay}T00:00:00`);

/** The generationJobs filter: `to`'s day included, so created before the next midnight. */
export function jobFilterVariables(filter: JobFilterQuery, status: GenerationStatus | null): GenerationJobFilter | null {
  const next: GenerationJobFilter = {
    ...(status ? { status } : {}),
    ...(filter.adapter ? { adapterId: filter.adapter } : {}),
    ...(filter.model ? { baseModelId: filter.model } : {}),
    ...(filter.q.trim() ? { promptContains: filter.q.trim() } : {}),
    ...(filter.from ? { createdAfter: startOf(filter.from).toISOString() } : {}),
    ...(filter.to ? { createdBefore: new Date(startOf(filter.to).getTime() + 86_400_000).toISOString() } : {}),
  };
  return Object.keys(next).length > 0 ? next : null;
}

/** "2026-12-07" of a date picker's timestamp, in the viewer's time zone. */
export function isoDayOf(timestamp: number): string {
  const date = new Date(timestamp);
  return [date.getFullYear(), String(date.getMonth() + 1).padStart(2, "0"), String(date.getDate()).padStart(2, "0")].join("-");
}

export const hasJobFilter = (filter: JobFilterQuery) => Boolean(filter.adapter || filter.model || filter.q.trim() || filter.from || filter.to);

/** The filters kept in the address, so a reload, Back and a shared link keep them. */
export function useGenerationJobFilters() {
  const route = useRoute();
  const router = useRouter();
  const filter = computed(() => jobFilterQueryOf(route.query));
  function update(change: Partial<JobFilterQuery>): void {
    const next = { ...filter.value, ...change };
    void router.replace({
      query: { ...route.query, adapter: next.adapter ?? undefined, model: next.model ?? undefined, q: next.q.trim() || undefined, from: next.from ?? undefined, to: next.to ?? undefined },
    });
  }
  return { filter, update, clear: () => update({ adapter: null, model: null, q: "", from: null, to: null }) };
}
