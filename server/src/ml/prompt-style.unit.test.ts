import { describe, expect, it } from "vitest";
import { styleForPrompt } from "./prompt-style.js";
import { createRandom } from "./random.js";
import { generatePrompt, STYLES } from "./styles.js";

describe("styleForPrompt", () => {
  it.each(STYLES.map((style) => style.id))("reads %s back from every prompt the generator writes in it", (id) => {
    const random = createRandom(1);
    for (let index = 0; index < 200; index += 1) {
      const prompt = generatePrompt(id, random);
      expect(styleForPrompt(prompt)?.id, prompt).toBe(id);
    }
  });

  it("weighs a kind above a mood, and names no style when none is asked for or two tie", () => {
    expect(styleForPrompt("a slow blues shuffle in E")?.id).toBe("blues");
    expect(styleForPrompt("A Proud, Brisk PARADE MARCH!")?.id).toBe("chromatic-march");
    expect(styleForPrompt("late night melody")?.id).toBe("blues");
    expect(styleForPrompt("a slow tune")).toBeUndefined();
    expect(styleForPrompt("a melody")).toBeUndefined();
    expect(styleForPrompt("")).toBeUndefined();
  });
});
