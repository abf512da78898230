import { describe, expect, test } from "vitest";
import {
  filtersFromQuery, filtersToQuery, narrowsList, readRememberedQuery, rememberQuery, toAdapterFilter, type AdapterListFilters,
} from "./useAdapterListFilters";

const everything: AdapterListFilters = {
  activeOnly: false,
  baseModelId: null,
  tag: null,
  search: "",
  groupByName: false,
  orderBy: "CREATED_AT_DESC",
};

describe("filtersFromQuery", () => {
  test("an empty query shows everything, newest first", () => {
    expect(filtersFromQuery({})).toEqual(everything);
  });

  test("reads every filter", () => {
    expect(filtersFromQuery({ active: "1", base: "sd15", tag: "jazz", q: " solo ", group: "1", sort: "name_asc" })).toEqual({
      activeOnly: true,
      baseModelId: "sd15",
      tag: "jazz",
      search: "solo",
      groupByName: true,
      orderBy: "NAME_ASC",
    });
  });

  test("takes the first of repeated parameters and ignores values it does not know", () => {
    expect(filtersFromQuery({ active: ["true", "0"], sort: "sideways", base: "" })).toMatchObject({
      activeOnly: true,
      orderBy: "CREATED_AT_DESC",
      baseModelId: null,
    });
    expect(filtersFromQuery({ active: "0" }).activeOnly).toBe(false);
  });
});

describe("filtersToQuery", () => {
  test("leaves defaults out, so the plain address means everything", () => {
    expect(filtersToQuery(everything)).toEqual({});
  });

  test("writes what filtersFromQuery reads back", () => {
    const filters: AdapterListFilters = { ...everything, activeOnly: true, tag: "jazz", search: "solo", orderBy: "USAGE_DESC" };
    const query = filtersToQuery(filters);
    expect(query).toEqual({ active: "1", tag: "jazz", q: "solo", sort: "usage_desc" });
    expect(filtersFromQuery(query as Record<string, string>)).toEqual(filters);
  });
});

describe("toAdapterFilter", () => {
  test("sends only the filters that narrow the list", () => {
    expect(toAdapterFilter(everything)).toEqual({});
    expect(toAdapterFilter({ ...everything, activeOnly: true, baseModelId: "sdxl", tag: "piano", search: "  mood " })).toEqual({
      active: true,
      baseModelId: "sdxl",
      tag: "piano",
      search: "mood",
    });
  });

  test("'Active only' off means active and inactive alike, not inactive only", () => {
    expect(toAdapterFilter({ ...everything, activeOnly: false })).not.toHaveProperty("active");
  });
});

test("narrowsList ignores sorting and grouping", () => {
  expect(narrowsList({ ...everything, groupByName: true, orderBy: "NAME_DESC" })).toBe(false);
  expect(narrowsList({ ...everything, search: "jazz" })).toBe(true);
});

describe("the remembered list query", () => {
  const memoryStorage = () => {
    const items = new Map<string, string>();
    return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
  };

  test("keeps the known filters of the last query and gives them back", () => {
    const storage = memoryStorage();
    expect(readRememberedQuery(storage)).toEqual({});
    expect(rememberQuery(storage, { active: "1", tag: "jazz", tab: "files", sort: "NAME_ASC" })).toEqual({ active: "1", tag: "jazz", sort: "name_asc" });
    expect(readRememberedQuery(storage)).toEqual({ active: "1", tag: "jazz", sort: "name_asc" });
  });

  test("reads a damaged entry as no filters", () => {
    const storage = memoryStorage();
    storage.setItem("lora-studio.adapter-list-query", "{not json");
    expect(readRememberedQuery(storage)).toEqual({});
    storage.setItem("lora-studio.adapter-list-query", "null");
    expect(readRememberedQuery(storage)).toEqual({});
  });
});
