import { describe, expect, it } from "vitest";
import { encodeWav, padWav, WAV_HEADER_BYTES } from "./wav.js";

const text = (bytes: Uint8Array, from: number) => String.fromCharCode(...bytes.subarray(from, from + 4));

describe("encodeWav", () => {
  const samples = Float32Array.from([0, 0.5, -0.5, 1, -1, 2, -2, Number.NaN]);
  const wav = encodeWav(samples, 22_050);
  const view = new DataView(wav.buffer);

  it("writes a RIFF/WAVE file of 16-bit mono PCM at the sample rate", () => {
    expect(wav).toHaveLength(WAV_HEADER_BYTES + samples.length * 2);
    expect([text(wav, 0), text(wav, 8), text(wav, 12), text(wav, 36)]).toEqual(["RIFF", "WAVE", "fmt ", "data"]);
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect([view.getUint16(20, true), view.getUint16(22, true), view.getUint32(24, true), view.getUint32(28, true), view.getUint16(32, true), view.getUint16(34, true)]).toEqual([1, 1, 22_050, 44_100, 2, 16]);
    expect(view.getUint32(40, true)).toBe(samples.length * 2);
  });

  it("rounds samples to 16 bits, clipping them to [−1, 1] (NaN is silence)", () => {
    const written = Array.from({ length: samples.length }, (_, index) => view.getInt16(WAV_HEADER_BYTES + index * 2, true));
    expect(written).toEqual([0, 16384, -16383, 32767, -32767, 32767, -32767, 0]);
  });

  it("refuses a sample rate that is not a positive integer", () => {
    expect(() => encodeWav(samples, 0)).toThrow(/sample rate/);
    expect(() => encodeWav(samples, 44_100.5)).toThrow(/sample rate/);
  });
});

describe("padWav", () => {
  const wav = encodeWav(Float32Array.from([0.5, -0.5]), 8000);

  it("adds silence up to the length asked for and rewrites the RIFF and data sizes", () => {
    const padded = padWav(wav, WAV_HEADER_BYTES + 10);
    const view = new DataView(padded.buffer);
    expect(padded).toHaveLength(WAV_HEADER_BYTES + 10);
    expect(view.getUint32(4, true)).toBe(padded.length - 8);
    expect(view.getUint32(40, true)).toBe(10);
    expect([...padded.subarray(8, 40)]).toEqual([...wav.subarray(8, 40)]);
    expect(Array.from({ length: 5 }, (_, index) => view.getInt16(WAV_HEADER_BYTES + index * 2, true))).toEqual([16384, -16383, 0, 0, 0]);
  });

  it("leaves a file that is already as long as asked untouched, and refuses one without a header", () => {
    expect(padWav(wav, wav.length)).toBe(wav);
    expect(() => padWav(wav.subarray(0, 10), 100)).toThrow(/44-byte header/);
  });
});
