/** The judge's three answers, as recordAbChoice takes them. */
export type AbChoiceKey = "A" | "B" | "TIE";

const CHOICE_OF_KEY: Record<string, AbChoiceKey> = { a: "A", b: "B", t: "TIE" };

/** Where a typed letter belongs to a field, not to the judge. */
export function isTypingTarget(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (!target) return false;
  return target.isContentEditable === true || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName ?? "");
}

/** The choice a key press means (A, B, T, either case), or null: modified presses and typing in fields mean none. */
export function choiceOfKey(event: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: { tagName?: string; isContentEditable?: boolean } | null;
}): AbChoiceKey | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target ?? null)) return null;
  return CHOICE_OF_KEY[event.key.toLowerCase()] ?? null;
}
