import { describe, expect, test } from "vitest";
import { searchHint, withChosen } from "./useAdapterSearch";

describe("searchHint", () => {
  test("with nothing typed, says how many there are and that typing searches them", () => {
    expect(searchHint("", { shown: 50, matching: 512 })).toBe("Showing 50 of 512 — type to search");
  });

  test("for a search, says how many match", () => {
    expect(searchHint("jazz", { shown: 50, matching: 73 })).toBe("Showing 50 of 73 matches — type more to narrow them down");
  });

  test("says nothing once every match is listed", () => {
    expect(searchHint("", { shown: 3, matching: 3 })).toBeNull();
    expect(searchHint("jazz", { shown: 0, matching: 0 })).toBeNull();
  });
});

describe("withChosen", () => {
  const option = (value: string) => ({ value, label: value.toUpperCase() });

  test("lists the chosen options the page lacks first, then the page", () => {
    expect(withChosen([option("b"), option("c")], [option("z")])).toEqual([option("z"), option("b"), option("c")]);
  });

  test("lists a chosen option the page has once, where the page has it", () => {
    expect(withChosen([option("b"), option("c")], [option("c")])).toEqual([option("b"), option("c")]);
  });
});
