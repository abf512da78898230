/* The sentences that say why an adapter was recommended; pure, so their wording is tested without a server. */

const LISTED = 3;

function quoted(words: readonly string[]): string {
  return words.slice(0, LISTED).map((word) => `'${word}'`).join(", ");
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

export interface WeightSpaceComparison {
  cosine: number;
  /** the modules both adapters update, as their configs name them */
  modules: readonly string[];
}

export interface SimilarityFacts {
  sharedTags: readonly string[];
  /** shared words beyond the tags, the most telling first */
  sharedWords: readonly string[];
  /** null: no weight-space comparison, for `weightSpaceMissing`'s reason */
  weightSpace: WeightSpaceComparison | null;
  weightSpaceMissing: "other-base-model" | "no-signature" | "no-shared-modules" | null;
  otherBaseModel: string;
}

function directionOf(cosine: number): string {
  if (cosine >= 0.5) return "point the same way";
  if (cosine >= 0.2) return "are loosely aligned";
  if (cosine > -0.2) return "are unrelated";
  return "point opposite ways";
}

export function similarityExplanation(facts: SimilarityFacts): string {
  const parts: string[] = [];
  if (facts.sharedTags.length > 0) parts.push(`shares ${plural(facts.sharedTags.length, "tag", "tags")} ${quoted(facts.sharedTags)}`);
  if (facts.sharedWords.length > 0) parts.push(`${facts.sharedTags.length > 0 ? "and" : "shares"} ${plural(facts.sharedWords.length, "the word", "the words")} ${quoted(facts.sharedWords)}`);
  if (parts.length === 0) parts.push("no words in common");
  const text = parts.join(" ");
  const { weightSpace } = facts;
  const weights = weightSpace
    ? `their updates ${directionOf(weightSpace.cosine)} (cosine ${weightSpace.cosine.toFixed(2)})${weightSpace.modules.length > 0 ? ` on ${weightSpace.modules.join(", ")}` : ""}`
    : {
        "other-base-model": `it adapts another base model (${facts.otherBaseModel}), so only the text is compared`,
        "no-signature": "their weights could not be compared (no signature)",
        "no-shared-modules": "their updates share no module to compare",
      }[facts.weightSpaceMissing ?? "no-signature"];
  const sentence = `${text}; ${weights}.`;
  return sentence[0]!.toUpperCase() + sentence.slice(1);
}

export interface PromptFields {
  name: string;
  description: string;
  tags: readonly string[];
  trainedWords: readonly string[];
  triggers: readonly string[];
}

/** Where each matched word occurs in the adapter: "'waltz' (tag), 'gentle' (description, trained word)". */
export function promptExplanation(words: readonly string[], fields: PromptFields, tokenize: (text: string) => string[]): string {
  const places: [string, string[]][] = [
    ["name", [fields.name]],
    ["tag", [...fields.tags]],
    ["trained word", [...fields.trainedWords]],
    ["trigger", [...fields.triggers]],
    ["description", [fields.description]],
  ];
  const described = words.slice(0, LISTED).map((word) => {
    const where = places.filter(([, texts]) => texts.some((text) => tokenize(text).includes(word))).map(([place]) => place);
    return `'${word}' (${where.join(", ")})`;
  });
  return `Matches ${described.join(", ")}${words.length > LISTED ? ` and ${words.length - LISTED} more` : ""}.`;
}
