import { expect, test } from "vitest";
import { peakBars, waveformPeaks } from "./waveform";

test("takes the lowest and highest amplitude of each slice", () => {
  const samples = Float32Array.from([0.1, -0.5, 0.3, 0.9, -0.2, 0, 0, 0]);
  expect(waveformPeaks(samples, 2)).toEqual([
    { min: -0.5, max: expect.closeTo(0.9, 5) },
    { min: expect.closeTo(-0.2, 5), max: 0 },
  ]);
});

test("stretches fewer samples than columns over them", () => {
  const peaks = waveformPeaks([0.5, -0.5], 4);
  expect(peaks.map((peak) => peak.max)).toEqual([0.5, 0.5, 0, 0]);
  expect(peaks.map((peak) => peak.min)).toEqual([0, 0, -0.5, -0.5]);
});

test("keeps clipped samples within ±1, and gives nothing for no columns or no audio", () => {
  expect(waveformPeaks([1.5, -3], 1)).toEqual([{ min: -1, max: 1 }]);
  expect(waveformPeaks([0.5], 0)).toEqual([]);
  expect(waveformPeaks([], 3)).toEqual([
    { min: 0, max: 0 },
    { min: 0, max: 0 },
    { min: 0, max: 0 },
  ]);
});

test("draws each column around the middle, silence as a one-pixel line", () => {
  expect(peakBars([{ min: -1, max: 1 }, { min: -0.5, max: 0.25 }, { min: 0, max: 0 }], 40)).toEqual([
    { y: 0, height: 40 },
    { y: 15, height: 15 },
    { y: 20, height: 1 },
  ]);
});
