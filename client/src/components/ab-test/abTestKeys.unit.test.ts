import { describe, expect, test } from "vitest";
import { choiceOfKey, isTypingTarget } from "./abTestKeys";

describe("choiceOfKey", () => {
  test("maps A, B and T in either case", () => {
    expect(choiceOfKey({ key: "a" })).toBe("A");
    expect(choiceOfKey({ key: "B" })).toBe("B");
    expect(choiceOfKey({ key: "t" })).toBe("TIE");
  });

  test("ignores other keys and presses with a modifier", () => {
    expect(choiceOfKey({ key: "x" })).toBeNull();
    expect(choiceOfKey({ key: "Enter" })).toBeNull();
    expect(choiceOfKey({ key: "a", ctrlKey: true })).toBeNull();
    expect(choiceOfKey({ key: "b", metaKey: true })).toBeNull();
    expect(choiceOfKey({ key: "t", altKey: true })).toBeNull();
  });

  test("ignores letters typed into a field", () => {
    expect(choiceOfKey({ key: "a", target: { tagName: "INPUT" } })).toBeNull();
    expect(choiceOfKey({ key: "b", target: { tagName: "TEXTAREA" } })).toBeNull();
    expect(choiceOfKey({ key: "t", target: { tagName: "DIV", isContentEditable: true } })).toBeNull();
    expect(choiceOfKey({ key: "a", target: { tagName: "BODY" } })).toBe("A");
  });
});

describe("isTypingTarget", () => {
  test("is false without a target and for buttons", () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: "BUTTON" })).toBe(false);
    expect(isTypingTarget({ tagName: "SELECT" })).toBe(true);
  });
});
