import { onScopeDispose, readonly, ref, type Ref } from "vue";

/** Whether the CSS media query matches, kept up to date as the window changes (a phone turned, a window resized). */
export function useMediaQuery(query: string): Readonly<Ref<boolean>> {
  const list = window.matchMedia(query);
  const matches = ref(list.matches);
  const update = (event: MediaQueryListEvent) => (matches.value = event.matches);
  list.addEventListener("change", update);
  onScopeDispose(() => list.removeEventListener("change", update));
  return readonly(matches);
}
