import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { pngChunk, pngImage } from "../../test/png-fixture.js";
import { inspectPng } from "./png.js";
import { readPngText, withoutPngText, withPngText } from "./png-text.js";

const IEND_BYTES = 12;
const beforeIend = (png: Buffer, chunk: Buffer) => Buffer.concat([png.subarray(0, png.length - IEND_BYTES), chunk, png.subarray(png.length - IEND_BYTES)]);
const iTXt = (keyword: string, text: string, compressed: boolean) =>
  pngChunk("iTXt", Buffer.concat([Buffer.from(`${keyword}\0`), Buffer.from([compressed ? 1 : 0, 0]), Buffer.from("en\0\0"), compressed ? deflateSync(text) : Buffer.from(text)]));

describe("PNG text chunks", () => {
  it("reads tEXt and iTXt (plain or deflated) by keyword, and null for a keyword that is not there", () => {
    const png = beforeIend(beforeIend(pngImage(2, 2), pngChunk("tEXt", Buffer.from("parameters\0a fox\nSteps: 20", "latin1"))), iTXt("prompt", "ein Fuchs – 狐", true));
    expect(readPngText(png, "parameters")).toBe("a fox\nSteps: 20");
    expect(readPngText(png, "prompt")).toBe("ein Fuchs – 狐");
    expect(readPngText(beforeIend(pngImage(2, 2), iTXt("title", "plain", false)), "title")).toBe("plain");
    expect(readPngText(png, "workflow")).toBeNull();
  });

  it("adds a chunk before IEND, keeping the PNG valid and the pixels as they were", () => {
    const original = pngImage(3, 2);
    const edited = withPngText(original, "parameters", "a fox\nSteps: 20, Seed: 7");
    expect(inspectPng(edited)).toEqual({ width: 3, height: 2 });
    expect(readPngText(edited, "parameters")).toBe("a fox\nSteps: 20, Seed: 7");
    expect(edited.subarray(0, original.length - IEND_BYTES).equals(original.subarray(0, original.length - IEND_BYTES))).toBe(true);
  });

  it("replaces the keyword's chunk where it stands, as iTXt when the text is not Latin-1, leaving other chunks alone", () => {
    const png = beforeIend(beforeIend(pngImage(2, 2), pngChunk("tEXt", Buffer.from("parameters\0old", "latin1"))), pngChunk("tEXt", Buffer.from("other\0kept", "latin1")));
    const edited = withPngText(png, "parameters", "狐, Lora hashes: \"lora_1: 0123456789\"");
    expect(inspectPng(edited)).toEqual({ width: 2, height: 2 });
    expect(readPngText(edited, "parameters")).toBe("狐, Lora hashes: \"lora_1: 0123456789\"");
    expect(readPngText(edited, "other")).toBe("kept");
    expect(edited.indexOf("iTXtparameters")).toBeLessThan(edited.indexOf("tEXtother"));
    expect(edited.indexOf("old")).toBe(-1);
  });

  it("strips every text chunk, keeping a valid PNG of the same pixels", () => {
    const original = pngImage(2, 3);
    const stripped = withoutPngText(withPngText(withPngText(original, "parameters", "a fox <lora:lora_1:0.8>"), "prompt", "{}"));
    expect(stripped.equals(original)).toBe(true);
  });
});
