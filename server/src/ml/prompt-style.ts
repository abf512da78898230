import { promptWords } from "./melody.js";
import { STYLES, type Style } from "./styles.js";

/*
 * Which of the generator's styles a prompt asks for, read from the words its own prompts use ("a gentle waltz in C
 * major"): a kind ("waltz", "fiddle jig") weighs twice a mood ("gentle"). Generated melodies are scored against the
 * style's reference set when one style clearly wins.
 */

const KIND_WEIGHT = 2;
const MOOD_WEIGHT = 1;

function containsPhrase(words: readonly string[], phrase: string): boolean {
  const wanted = promptWords(phrase);
  return words.some((_, start) => wanted.every((word, offset) => words[start + offset] === word));
}

function matchScore(style: Style, words: readonly string[]): number {
  const count = (phrases: readonly string[]) => phrases.filter((phrase) => containsPhrase(words, phrase)).length;
  return KIND_WEIGHT * count(style.words.kinds) + MOOD_WEIGHT * count(style.words.moods);
}

/** The style whose words the prompt uses most; undefined when none is named or two tie. */
export function styleForPrompt(prompt: string): Style | undefined {
  const words = promptWords(prompt);
  const ranked = STYLES.map((style) => ({ style, score: matchScore(style, words) })).sort((a, b) => b.score - a.score);
  const [best, second] = ranked;
  if (!best || best.score === 0 || best.score === second?.score) return undefined;
  return best.style;
}
