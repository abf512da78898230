import { expect, test } from "vitest";
import { isDark, nextPreference, storedPreference } from "./useColorScheme";

test("the system's scheme unless one was chosen", () => {
  expect(isDark("system", true)).toBe(true);
  expect(isDark("system", false)).toBe(false);
  expect(isDark("light", true)).toBe(false);
  expect(isDark("dark", false)).toBe(true);
});

test("an unknown or missing stored value follows the system", () => {
  expect(storedPreference(null)).toBe("system");
  expect(storedPreference("sepia")).toBe("system");
  expect(storedPreference("dark")).toBe("dark");
});

test("the toggle always flips what is shown, and lands back on following the system", () => {
  for (const systemDark of [false, true]) {
    let preference = storedPreference(null);
    const shown: boolean[] = [isDark(preference, systemDark)];
    for (let step = 0; step < 2; step++) {
      preference = nextPreference(preference, systemDark);
      shown.push(isDark(preference, systemDark));
    }
    expect(shown).toEqual([systemDark, !systemDark, systemDark]);
    expect(preference).toBe("system");
  }
});
