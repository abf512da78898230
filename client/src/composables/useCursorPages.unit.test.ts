import { describe, expect, test } from "vitest";
import { connectionPage, pageRangeLabel, useCursorPages } from "./useCursorPages";

test("pageRangeLabel counts rows from 1", () => {
  expect(pageRangeLabel(0, 25, 25, 60)).toBe("1–25 of 60");
  expect(pageRangeLabel(2, 25, 10, 60)).toBe("51–60 of 60");
  expect(pageRangeLabel(0, 25, 0, 0)).toBe("0 of 0");
});

describe("useCursorPages", () => {
  test("goes forward by end cursor and back to where it was", () => {
    const pages = useCursorPages();
    expect(pages.after.value).toBeNull();
    pages.next("c25");
    pages.next("c50");
    expect([pages.pageIndex.value, pages.after.value]).toEqual([2, "c50"]);
    pages.previous();
    expect([pages.pageIndex.value, pages.after.value]).toEqual([1, "c25"]);
  });

  test("stays on the first page when going back from it, and reset returns there", () => {
    const pages = useCursorPages();
    pages.previous();
    expect(pages.pageIndex.value).toBe(0);
    pages.next("c25");
    pages.reset();
    expect([pages.pageIndex.value, pages.after.value]).toEqual([0, null]);
  });
});

describe("connectionPage", () => {
  test("lists the nodes and moves forward by the page's end cursor", () => {
    const pages = useCursorPages();
    const page = connectionPage(() => ({ totalCount: 3, pageInfo: { hasNextPage: true, endCursor: "c2" }, edges: [{ node: "a" }, { node: "b" }] }), pages);
    expect([page.nodes.value, page.totalCount.value, page.hasNextPage.value]).toEqual([["a", "b"], 3, true]);
    page.nextPage();
    expect(pages.after.value).toBe("c2");
  });

  test("is empty before the first answer", () => {
    const page = connectionPage(() => undefined, useCursorPages());
    expect([page.nodes.value, page.totalCount.value, page.hasNextPage.value]).toEqual([[], 0, false]);
  });
});
