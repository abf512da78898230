import { describe, expect, test } from "vitest";
import { hasJobFilter, isoDayOf, jobFilterQueryOf, jobFilterVariables } from "./useGenerationJobFilters";

describe("the Jobs filters", () => {
  test("read from the address, ignoring what is not a day", () => {
    expect(jobFilterQueryOf({ adapter: "a1", q: "waltz", from: "2026-12-01", to: "yesterday" })).toEqual({ adapter: "a1", model: null, q: "waltz", from: "2026-12-01", to: null });
    expect(hasJobFilter(jobFilterQueryOf({}))).toBe(false);
  });

  test("ask for the days given, the last one included, and nothing when nothing is set", () => {
    const variables = jobFilterVariables({ adapter: "a1", model: "tunes-s", q: " waltz ", from: "2026-12-01", to: "2026-12-07" }, "DONE");
    expect(variables).toMatchObject({ status: "DONE", adapterId: "a1", baseModelId: "tunes-s", promptContains: "waltz" });
    expect(new Date(variables!.createdAfter as string).getTime()).toBe(new Date("2026-12-01T00:00:00").getTime());
    expect(new Date(variables!.createdBefore as string).getTime()).toBe(new Date("2026-12-08T00:00:00").getTime());
    expect(jobFilterVariables({ adapter: null, model: null, q: "  ", from: null, to: null }, null)).toBeNull();
  });

  test("write a date picker's day in the viewer's time zone", () => {
    expect(isoDayOf(new Date("2026-12-07T23:30:00").getTime())).toBe("2026-12-07");
  });
});
