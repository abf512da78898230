/*
 * WAV files: RIFF/WAVE with one "fmt " chunk (PCM, 16-bit, mono) and one "data" chunk, the layout every player reads.
 */

export const WAV_HEADER_BYTES = 44;
const PCM_FORMAT = 1;
const BITS_PER_SAMPLE = 16;
const CHANNELS = 1;
const MAX_AMPLITUDE = 32767;

/** 16-bit PCM mono: samples are clipped to [−1, 1] and rounded. */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`the sample rate must be a positive integer, got ${sampleRate}`);
  const blockAlign = (CHANNELS * BITS_PER_SAMPLE) / 8;
  const dataBytes = samples.length * blockAlign;
  const bytes = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((char, index) => view.setUint8(offset + index, char.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, WAV_HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, PCM_FORMAT, true);
  view.setUint16(22, CHANNELS, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, BITS_PER_SAMPLE, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let index = 0; index < samples.length; index += 1) {
    const clipped = Math.max(-1, Math.min(1, samples[index]!));
    view.setInt16(WAV_HEADER_BYTES + index * blockAlign, Math.round(clipped * MAX_AMPLITUDE), true);
  }
  return bytes;
}

/**
 * A WAV of ours lengthened with silence to `totalBytes` (header included), its RIFF and data sizes rewritten; the bytes
 * as they are when already that long. Both sides of a blind trial are served this way, so neither size nor length
 * tells them apart.
 */
export function padWav(wav: Uint8Array, totalBytes: number): Uint8Array {
  if (wav.length < WAV_HEADER_BYTES) throw new RangeError(`a WAV file has a ${WAV_HEADER_BYTES}-byte header; got ${wav.length} bytes`);
  if (totalBytes <= wav.length) return wav;
  const padded = new Uint8Array(totalBytes);
  padded.set(wav);
  const view = new DataView(padded.buffer);
  view.setUint32(4, totalBytes - 8, true);
  view.setUint32(40, totalBytes - WAV_HEADER_BYTES, true);
  return padded;
}
