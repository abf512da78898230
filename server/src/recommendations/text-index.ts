/*
 * TF-IDF over adapters' words: sublinear term frequency (1 + ln tf), smoothed inverse document
 * frequency (ln((1 + N) / (1 + df)) + 1, as scikit-learn's default), L2-normalised vectors, so the
 * cosine of two documents is their dot product.
 */

export interface TextDocument {
  id: string;
  name: string;
  description: string;
  tags: readonly string[];
  trainedWords: readonly string[];
  triggers: readonly string[];
}

export type TermVector = ReadonlyMap<string, number>;

export interface TextMatch {
  score: number;
  /** the shared terms, the largest contribution first */
  terms: string[];
}

/** Words too common in prompts and descriptions to say anything about an adapter. */
const STOP_WORDS = new Set(
  "a an and are as at be by for from in into is it its of on or that the this to with lora adapter version v".split(" "),
);

/** Lower-cased words and numbers; names such as "jazz-solo_v2" split into their parts. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOP_WORDS.has(word) && !/^\d$/.test(word));
}

/**
 * Words the studio writes itself, which say nothing about what an adapter does: the fixed words of a trained adapter's
 * description ("Trained by run run-2 of experiment jazz.", runs/service.ts), default run names ("run-2", also in
 * trained adapters' names) and the HTML markup of imported Civitai descriptions.
 */
const BOILERPLATE = [/<[^>]*>/g, /\btrained by run\b/gi, /\bof experiment\b/gi, /\brun-\d+\b/gi];

export function withoutBoilerplate(text: string): string {
  return BOILERPLATE.reduce((rest, pattern) => rest.replace(pattern, " "), text);
}

export function documentText(document: Omit<TextDocument, "id">): string {
  return withoutBoilerplate([document.name, document.description, ...document.tags, ...document.trainedWords, ...document.triggers].join("\n"));
}

export class TextIndex {
  private readonly idf = new Map<string, number>();
  private readonly vectors = new Map<string, TermVector>();
  private readonly documentCount: number;

  constructor(documents: readonly TextDocument[]) {
    this.documentCount = documents.length;
    const frequencies = new Map<string, number>();
    const tokenized = documents.map((document) => ({ id: document.id, tokens: tokenize(documentText(document)) }));
    for (const { tokens } of tokenized) for (const term of new Set(tokens)) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    for (const [term, df] of frequencies) this.idf.set(term, Math.log((1 + this.documentCount) / (1 + df)) + 1);
    for (const { id, tokens } of tokenized) this.vectors.set(id, this.weigh(tokens));
  }

  get size(): number {
    return this.documentCount;
  }

  vectorOf(id: string): TermVector | undefined {
    return this.vectors.get(id);
  }

  /** A text outside the index (a prompt, a deleted adapter) weighed with the index's IDF. */
  vectorOfText(text: string): TermVector {
    return this.weigh(tokenize(text));
  }

  ids(): IterableIterator<string> {
    return this.vectors.keys();
  }

  private weigh(tokens: readonly string[]): TermVector {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    // A term no indexed document has cannot match any of them; its unseen-term IDF still counts in the norm.
    const unseen = Math.log(1 + this.documentCount) + 1;
    const weights = [...counts].map(([term, count]) => [term, (1 + Math.log(count)) * (this.idf.get(term) ?? unseen)] as const);
    const norm = Math.sqrt(weights.reduce((sum, [, weight]) => sum + weight * weight, 0));
    return new Map(norm === 0 ? [] : weights.map(([term, weight]) => [term, weight / norm]));
  }
}

/** The cosine of two normalised vectors and the terms that make it up. */
export function compareVectors(x: TermVector, y: TermVector): TextMatch {
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  const contributions: [string, number][] = [];
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) contributions.push([term, weight * other]);
  }
  contributions.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const score = contributions.reduce((sum, [, value]) => sum + value, 0);
  return { score: Math.min(1, score), terms: contributions.map(([term]) => term) };
}
