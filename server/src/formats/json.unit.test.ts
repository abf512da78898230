import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { nulCharacterPath, parseJson } from "./json.js";

describe("nulCharacterPath", () => {
  it("finds U+0000 in a string or a key, with its path", () => {
    expect(nulCharacterPath({ a: [1, { b: "x\u0000" }] })).toEqual(["a", 1, "b"]);
    expect(nulCharacterPath({ a: { "k\u0000": 1 } })).toEqual(["a", "k\\u0000"]);
    expect(nulCharacterPath("\u0000")).toEqual([]);
    expect(nulCharacterPath({ a: ["fine", 1, null, true] })).toBeNull();
  });

  it("walks any depth without growing the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(nulCharacterPath(deep)).toHaveLength(200_000);
  });

  it("looks into other objects only as textOf shows them", () => {
    const file = new Blob(["\u0000"]);
    expect(nulCharacterPath({ files: [file] })).toBeNull();
    expect(nulCharacterPath({ files: [file] }, () => ({ name: "a\u0000.mid" }))).toEqual(["files", 0, "name"]);
  });

  it("finds one exactly when a JSON value holds U+0000", () => {
    const holdsNul = (value: unknown): boolean =>
      typeof value === "string" ? value.includes("\u0000") : typeof value === "object" && value !== null && Object.entries(value).some(([key, item]) => key.includes("\u0000") || holdsNul(item));
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        expect(nulCharacterPath(value) === null).toBe(!holdsNul(value));
      }),
    );
  });
});

describe("parseJson", () => {
  it("refuses a document holding U+0000, naming where", () => {
    expect(() => parseJson('{"description": "a\\u0000"}', "model info file")).toThrow(new FormatError("model info file: description holds a NUL character (\\u0000), which cannot be stored"));
    expect(parseJson('{"description": "a"}', "model info file")).toEqual({ description: "a" });
  });
});
