import { ref, useTemplateRef } from "vue";

/**
 * The place of the component's <audio ref="{refName}"> as a 0–1 fraction (for a waveform to colour), and seeking
 * to a fraction of it.
 */
export function useAudioFollow(refName: string) {
  const player = useTemplateRef<HTMLAudioElement>(refName);
  const played = ref(0);

  function follow(): void {
    const audio = player.value;
    played.value = audio && audio.duration > 0 ? audio.currentTime / audio.duration : 0;
  }

  function seek(fraction: number): void {
    const audio = player.value;
    if (audio && Number.isFinite(audio.duration)) audio.currentTime = fraction * audio.duration;
  }

  return { played, follow, seek };
}
