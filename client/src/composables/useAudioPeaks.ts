import { shallowRef, watch } from "vue";
import { waveformPeaks, type PeakColumn } from "../components/sample/waveform";

/** Web Audio resamples what it decodes to its context's rate; any rate does for a picture. */
const DECODE_SAMPLE_RATE = 22_050;

async function decodedSamples(url: string, signal: AbortSignal): Promise<Float32Array> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`the audio answered ${response.status}`);
  // an offline context decodes without a user gesture and without opening an audio device
  const context = new OfflineAudioContext(1, 1, DECODE_SAMPLE_RATE);
  const buffer = await context.decodeAudioData(await response.arrayBuffer());
  return buffer.getChannelData(0);
}

/** The peaks of the WAV at `url`, decoded by the browser, in `columns` columns; null until decoded. */
export function useAudioPeaks(url: () => string | null, columns: number) {
  const peaks = shallowRef<PeakColumn[] | null>(null);
  const error = shallowRef<string | null>(null);
  watch(
    url,
    (address, _previous, onCleanup) => {
      peaks.value = null;
      error.value = null;
      if (!address) return;
      const abort = new AbortController();
      onCleanup(() => abort.abort());
      decodedSamples(address, abort.signal).then(
        (samples) => void (peaks.value = waveformPeaks(samples, columns)),
        (reason: unknown) => void (abort.signal.aborted || (error.value = reason instanceof Error ? reason.message : String(reason))),
      );
    },
    { immediate: true },
  );
  return { peaks, error };
}
