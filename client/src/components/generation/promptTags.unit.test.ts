import { describe, expect, test } from "vitest";
import type { ChosenAdapter } from "./adapterSelection";
import { chosenFromTags, combinedScale, promptAfterPicking, promptWords, withoutTagsOf, writeTag, type ReadPromptTag } from "./promptTags";

const jazz: ChosenAdapter = { adapterId: "jazz-1", name: "jazz", version: "1", scale: 2, weight: 0.8 };
const sax: ChosenAdapter = { adapterId: "sax-2", name: "sax", version: "2", scale: 1, weight: 1 };
const read = (name: string, weight: number | null, adapter: ReadPromptTag["adapter"], severity?: "ERROR" | "WARNING"): ReadPromptTag => ({
  name,
  weight,
  adapter,
  problems: severity ? [{ severity }] : [],
});

describe("writing tags", () => {
  test("appends a new adapter's tag and rewrites an existing one in place, dropping repeats", () => {
    expect(writeTag("a smoky club", "jazz", 0.8)).toBe("a smoky club <lora:jazz:0.8>");
    expect(writeTag("", "jazz", 1)).toBe("<lora:jazz:1>");
    expect(writeTag("a <lora:jazz:0.5> club <lora:jazz:2>", "jazz", 1.25)).toBe("a <lora:jazz:1.25> club");
  });

  test("follows the picker: a removed adapter's tag goes, a changed weight is written, an added one appended", () => {
    const prompt = "a smoky club <lora:jazz:0.8>";
    expect(promptAfterPicking(prompt, [jazz], [jazz, sax])).toBe("a smoky club <lora:jazz:0.8> <lora:sax:1>");
    expect(promptAfterPicking(prompt, [jazz], [{ ...jazz, weight: 1.5 }])).toBe("a smoky club <lora:jazz:1.5>");
    expect(promptAfterPicking("a smoky club <lora:jazz:0.8>, night", [jazz], [])).toBe("a smoky club, night");
  });

  test("leaves the words, and the tags the picker does not hold", () => {
    expect(promptWords("a <lora:jazz:1> smoky club, <lora:nobody:1>")).toBe("a smoky club");
    expect(withoutTagsOf("a <lora:jazz:1> club <lora:nobody:1>", ["jazz"])).toBe("a club <lora:nobody:1>");
  });
});

describe("the picker from the prompt's tags", () => {
  test("takes known adapters at the tag's weight, keeps a picked version, and leaves flagged tags out", () => {
    const tags = [
      read("jazz", 1.2, { id: "jazz-3", name: "jazz", version: "3", scale: 2 }),
      read("piano", 0.5, { id: "piano-1", name: "piano", version: "1", scale: 4 }),
      read("nobody", 1, null, "ERROR"),
      read("old", 1, { id: "old-1", name: "old", version: "1", scale: 1, deletedAt: "2026-01-01" }, "ERROR"),
      read("piano", 0.5, { id: "piano-1", name: "piano", version: "1", scale: 4 }, "WARNING"),
    ];
    expect(chosenFromTags([jazz, sax], tags)).toEqual([
      { ...jazz, weight: 1.2 },
      { adapterId: "piano-1", name: "piano", version: "1", scale: 4, weight: 0.5 },
    ]);
  });
});

test("the combined scale sums weight × scale", () => {
  expect(combinedScale([jazz, sax])).toBeCloseTo(2.6);
  expect(combinedScale([])).toBe(0);
});
