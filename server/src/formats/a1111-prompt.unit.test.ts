import { describe, expect, it } from "vitest";
import { formatLoraWeight, loraHashesLine, loraToken, parseLoraTags } from "./a1111-prompt.js";
import { FormatError } from "./errors.js";

const SHA_A = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SHA_B = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

describe("parseLoraTags", () => {
  it("reads name and weight with the tag's position and raw text", () => {
    const prompt = "a jazz solo, <lora:jazz-solo:0.8>, warm";
    const { tags, text } = parseLoraTags(prompt);
    expect(tags).toEqual([
      { start: 13, end: 33, raw: "<lora:jazz-solo:0.8>", name: "jazz-solo", te: 0.8, unet: 0.8, dyn: null, problem: null },
    ]);
    expect(prompt.slice(tags[0]!.start, tags[0]!.end)).toBe(tags[0]!.raw);
    expect(text).toBe("a jazz solo, warm");
  });

  it("defaults the weight to 1 when the tag has none", () => {
    expect(parseLoraTags("<lora:piano>").tags[0]).toMatchObject({ name: "piano", te: 1, unet: 1, problem: null });
  });

  it("reads the positional unet weight and dyn, and the te= / unet= / dyn= forms", () => {
    const { tags } = parseLoraTags("<lora:a:0.5:0.7:16> <lora:b:te=0.5:unet=0.8> <lora:c:unet=0.3> <lora:d:0.9:dyn=8>");
    expect(tags.map(({ name, te, unet, dyn, problem }) => ({ name, te, unet, dyn, problem }))).toEqual([
      { name: "a", te: 0.5, unet: 0.7, dyn: 16, problem: null },
      { name: "b", te: 0.5, unet: 0.8, dyn: null, problem: null },
      { name: "c", te: 1, unet: 0.3, dyn: null, problem: null },
      { name: "d", te: 0.9, unet: 0.9, dyn: 8, problem: null },
    ]);
  });

  it.each([
    ["<lora::0.5>", "EMPTY_NAME"],
    ["<lora:>", "EMPTY_NAME"],
    ["<lora:a:abc>", "INVALID_WEIGHT"],
    ["<lora:a:0.5@0.2>", "INVALID_WEIGHT"],
    ["<lora:a:inf>", "NON_FINITE_WEIGHT"],
    ["<lora:a:-Infinity>", "NON_FINITE_WEIGHT"],
    ["<lora:a:nan>", "NON_FINITE_WEIGHT"],
    ["<lora:a:1e999>", "NON_FINITE_WEIGHT"],
    ["<lora:a:unet=nan>", "NON_FINITE_WEIGHT"],
    ["<lora:a:x=1>", "UNKNOWN_PARAMETER"],
    ["<lora:a:1:1:8:9>", "TOO_MANY_VALUES"],
    ["<lora:a:1:1:eight>", "INVALID_DYN"],
  ])("reports %s as %s", (prompt, code) => {
    const [tag] = parseLoraTags(prompt).tags;
    expect(tag?.problem?.code).toBe(code);
    expect(tag?.problem?.message.length).toBeGreaterThan(10);
  });

  it("keeps non-finite values so callers can show them", () => {
    const [inf, nan] = parseLoraTags("<lora:a:-inf> <lora:b:nan>").tags;
    expect(inf?.te).toBe(-Infinity);
    expect(nan?.te).toBeNaN();
  });

  it("ignores other extra networks, upper-case LORA and a tag broken by a nested <", () => {
    const { tags, text } = parseLoraTags("<hypernet:x:1> <LORA:y:1> <lora:a<lora:b:0.5>");
    expect(tags.map((t) => [t.name, t.start])).toEqual([["b", 33]]);
    expect(text).toBe("<hypernet:x:1> <LORA:y:1> <lora:a");
  });

  it.each([
    ["<lora:a:1>, a cat", "a cat"],
    ["a cat, <lora:a:1>", "a cat"],
    ["a cat <lora:a:1>", "a cat"],
    ["a <lora:a:1> cat", "a cat"],
    ["a<lora:a:1>cat", "acat"],
    ["a, <lora:a:1>, <lora:b:1>, cat", "a, cat"],
    ["<lora:a:1><lora:b:1>", ""],
    ["  plain prompt, untouched  ", "  plain prompt, untouched  "],
  ])("removes the tags of %j leaving %j", (prompt, text) => {
    expect(parseLoraTags(prompt).text).toBe(text);
  });
});

describe("loraToken", () => {
  it.each([
    [1, "<lora:jazz:1>"],
    [0.5, "<lora:jazz:0.5>"],
    [0.75, "<lora:jazz:0.75>"],
    [1 / 3, "<lora:jazz:0.333>"],
    [0.0004, "<lora:jazz:0>"],
    [-0, "<lora:jazz:0>"],
    [1.9999, "<lora:jazz:2>"],
  ])("prints weight %d with up to three decimals", (weight, token) => {
    expect(loraToken("jazz", weight)).toBe(token);
  });

  it("round-trips through parseLoraTags", () => {
    const [tag] = parseLoraTags(loraToken("jazz solo", 1.25)).tags;
    expect(tag).toMatchObject({ name: "jazz solo", te: 1.25, problem: null });
  });

  it("refuses names that would break the tag and non-finite weights", () => {
    expect(() => loraToken("a:b", 1)).toThrow(FormatError);
    expect(() => loraToken("a>b", 1)).toThrow(/cannot appear in a <lora:name:weight> tag/);
    expect(() => loraToken(" ", 1)).toThrow(FormatError);
    expect(() => loraToken("a", Number.NaN)).toThrow(/finite/);
    expect(() => formatLoraWeight(Infinity)).toThrow(FormatError);
  });
});

describe("loraHashesLine", () => {
  it("writes A1111's quoted infotext entry with AutoV2 hashes", () => {
    expect(loraHashesLine([{ name: "jazz-solo", sha256: SHA_A }, { name: "piano", sha256: SHA_B }])).toBe(
      'Lora hashes: "jazz-solo: E3B0C44298, piano: 5E884898DA"',
    );
  });

  it("strips : and , from names as A1111 does and keeps one entry per name, the last", () => {
    expect(loraHashesLine([{ name: "a,b", sha256: SHA_A }, { name: "ab", sha256: SHA_B }])).toBe('Lora hashes: "ab: 5E884898DA"');
  });

  it("escapes quotes inside the value and is null for no entries", () => {
    expect(loraHashesLine([{ name: 'say "hi"', sha256: SHA_A }])).toBe('Lora hashes: "say \\"hi\\": E3B0C44298"');
    expect(loraHashesLine([])).toBeNull();
  });
});
