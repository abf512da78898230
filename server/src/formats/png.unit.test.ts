import { describe, expect, it } from "vitest";
import { PNG_SIGNATURE, pngChunk, pngImage } from "../../test/png-fixture.js";
import { InvalidPngError, inspectPng } from "./png.js";

describe("inspectPng", () => {
  it("reads the dimensions of a whole PNG", () => {
    expect(inspectPng(pngImage(3, 2))).toEqual({ width: 3, height: 2 });
  });

  it.each([
    ["another format", Buffer.from("GIF89a……………………………………………………………………"), "signature is missing"],
    ["a truncated file", pngImage(3, 2).subarray(0, 40), "truncated"],
    ["a corrupted byte", (() => { const b = pngImage(3, 2); b[45]! ^= 0xff; return b; })(), "fails its CRC"],
    ["bytes after IEND", Buffer.concat([pngImage(3, 2), Buffer.from("<script>")]), "follow the PNG's IEND chunk"],
    ["no IHDR first", Buffer.concat([PNG_SIGNATURE, pngChunk("IDAT", Buffer.alloc(13)), pngChunk("IEND", Buffer.alloc(0))]), "the first chunk is not a 13-byte IHDR"],
    ["zero width", pngImage(0, 2), "dimensions 0×2 are out of range"],
  ])("refuses %s", (_what, bytes, message) => {
    expect(() => inspectPng(bytes)).toThrow(InvalidPngError);
    expect(() => inspectPng(bytes)).toThrow(message);
  });
});
