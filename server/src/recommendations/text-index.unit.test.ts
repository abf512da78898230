import { describe, expect, it } from "vitest";
import { promptExplanation, similarityExplanation } from "./explanations.js";
import { compareVectors, TextIndex, tokenize, type TextDocument } from "./text-index.js";

const doc = (id: string, fields: Partial<TextDocument>): TextDocument => ({ id, name: id, description: "", tags: [], trainedWords: [], triggers: [], ...fields });

describe("TextIndex", () => {
  const index = new TextIndex([
    doc("waltz-a", { description: "A gentle waltz for piano", tags: ["waltz", "piano"] }),
    doc("waltz-b", { description: "Slow waltz", tags: ["waltz", "piano", "slow"] }),
    doc("blues", { description: "Gritty blues riffs", tags: ["blues"], trainedWords: ["shuffle"] }),
  ]);

  it("splits names and drops stop words", () => {
    expect(tokenize("The jazz-solo_v2 LoRA, in C")).toEqual(["jazz", "solo", "v2", "c"]);
  });

  it("ranks documents that share rare words above others, with the shared words", () => {
    const a = index.vectorOf("waltz-a")!;
    const withB = compareVectors(a, index.vectorOf("waltz-b")!);
    const withBlues = compareVectors(a, index.vectorOf("blues")!);
    expect(withB.score).toBeGreaterThan(0.3);
    expect(withB.terms.sort()).toEqual(["piano", "waltz"]);
    expect(withBlues).toEqual({ score: 0, terms: [] });
    expect(compareVectors(a, a).score).toBeCloseTo(1, 9);
  });

  it("weighs a prompt with the index's IDF", () => {
    const match = compareVectors(index.vectorOfText("a shuffle with gritty riffs"), index.vectorOf("blues")!);
    expect(match.score).toBeGreaterThan(0.5);
    expect(match.terms.sort()).toEqual(["gritty", "riffs", "shuffle"]);
  });
});

describe("explanations", () => {
  it("says which tags and words are shared and how the updates compare", () => {
    expect(similarityExplanation({ sharedTags: ["waltz", "piano"], sharedWords: ["gentle"], weightSpace: { cosine: 0.934, modules: ["fc1", "fc2", "head"] }, weightSpaceMissing: null, otherBaseModel: "tunes-s" }))
      .toBe("Shares tags 'waltz', 'piano' and the word 'gentle'; their updates point the same way (cosine 0.93) on fc1, fc2, head.");
    expect(similarityExplanation({ sharedTags: [], sharedWords: [], weightSpace: null, weightSpaceMissing: "other-base-model", otherBaseModel: "tunes-m" }))
      .toBe("No words in common; it adapts another base model (tunes-m), so only the text is compared.");
  });

  it("says where each prompt word matched", () => {
    expect(promptExplanation(["waltz", "gentle"], { name: "w", description: "gentle tune", tags: ["waltz"], trainedWords: ["gentle"], triggers: [] }, tokenize))
      .toBe("Matches 'waltz' (tag), 'gentle' (trained word, description).");
  });
});
