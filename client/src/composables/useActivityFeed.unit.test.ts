import { expect, test } from "vitest";
import { mergeActivity } from "./useActivityFeed";

const events = (...ids: string[]) => ids.map((id) => ({ id }));

test("mergeActivity puts the newer events on top of the older ones", () => {
  expect(mergeActivity(events("e5", "e4"), events("e3", "e2", "e1"), 10)).toEqual(events("e5", "e4", "e3", "e2", "e1"));
});

test("mergeActivity keeps one of an event both the first page and the subscription brought", () => {
  expect(mergeActivity(events("e4", "e3"), events("e3", "e2"), 10)).toEqual(events("e4", "e3", "e2"));
});

test("mergeActivity keeps at most the limit, dropping the oldest", () => {
  expect(mergeActivity(events("e4", "e3"), events("e2", "e1"), 3)).toEqual(events("e4", "e3", "e2"));
  expect(mergeActivity([], [], 3)).toEqual([]);
});
