import { computed, ref, watch, type ComputedRef, type Ref } from "vue";
import { useMediaQuery } from "./useMediaQuery";

/** "system" follows the operating system's light or dark setting (prefers-color-scheme). */
export type ColorSchemePreference = "system" | "light" | "dark";

export const COLOR_SCHEME_STORAGE_KEY = "lora-studio:color-scheme";

const PREFERENCES: readonly ColorSchemePreference[] = ["system", "light", "dark"];

export function storedPreference(stored: string | null): ColorSchemePreference {
  return PREFERENCES.find((preference) => preference === stored) ?? "system";
}

export function isDark(preference: ColorSchemePreference, systemPrefersDark: boolean): boolean {
  return preference === "dark" || (preference === "system" && systemPrefersDark);
}

/** The toggle's next step: to the scheme not shown now, then back to following the system once that is shown again. */
export function nextPreference(preference: ColorSchemePreference, systemPrefersDark: boolean): ColorSchemePreference {
  const shownDark = isDark(preference, systemPrefersDark);
  if (preference !== "system") return shownDark !== systemPrefersDark ? "system" : shownDark ? "light" : "dark";
  return shownDark ? "light" : "dark";
}

export interface ColorScheme {
  preference: Readonly<Ref<ColorSchemePreference>>;
  dark: ComputedRef<boolean>;
  toggle(): void;
}

let shared: ColorScheme | undefined;

/** The dashboard's light or dark look: the system's unless this browser chose one (kept in localStorage). */
export function useColorScheme(): ColorScheme {
  if (shared) return shared;
  const systemPrefersDark = useMediaQuery("(prefers-color-scheme: dark)");
  const preference = ref(storedPreference(window.localStorage.getItem(COLOR_SCHEME_STORAGE_KEY)));
  watch(preference, (chosen) =>
    chosen === "system" ? window.localStorage.removeItem(COLOR_SCHEME_STORAGE_KEY) : window.localStorage.setItem(COLOR_SCHEME_STORAGE_KEY, chosen),
  );
  const dark = computed(() => isDark(preference.value, systemPrefersDark.value));
  watch(dark, (on) => (document.documentElement.style.colorScheme = on ? "dark" : "light"), { immediate: true });
  shared = {
    preference,
    dark,
    toggle: () => (preference.value = nextPreference(preference.value, systemPrefersDark.value)),
  };
  return shared;
}
