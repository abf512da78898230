/** A sample's waveform for a small canvas: each column the lowest and highest amplitude of its slice of the audio. */

export interface PeakColumn {
  /** -1 to 0 */
  min: number;
  /** 0 to 1 */
  max: number;
}

/** The peaks of `columns` equal slices of the samples; with fewer samples than columns, each spans several. */
export function waveformPeaks(samples: ArrayLike<number>, columns: number): PeakColumn[] {
  const count = Math.max(0, Math.floor(columns));
  const perColumn = samples.length / count;
  return Array.from({ length: count }, (_, column) => {
    const start = Math.floor(column * perColumn);
    const end = Math.max(start + 1, Math.floor((column + 1) * perColumn));
    let min = 0;
    let max = 0;
    for (let index = start; index < Math.min(end, samples.length); index += 1) {
      const value = samples[index]!;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    return { min: Math.max(-1, min), max: Math.min(1, max) };
  });
}

export interface PeakBar {
  y: number;
  height: number;
}

/** Each column as a bar around the middle of a canvas `height` pixels high, at least a pixel tall so silence shows. */
export function peakBars(peaks: readonly PeakColumn[], height: number): PeakBar[] {
  const middle = height / 2;
  return peaks.map(({ min, max }) => {
    const top = middle - max * middle;
    const bottom = middle - min * middle;
    return { y: top, height: Math.max(1, bottom - top) };
  });
}
