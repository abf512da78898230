import { describe, expect, it } from "vitest";
import { browserRaterId, RATER_ID_KEY } from "./useSampleRating";

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe("browserRaterId", () => {
  it("makes an id once and keeps it, so a second rating replaces the first", () => {
    const storage = memoryStorage();
    const first = browserRaterId(storage, () => "0b7c3c1e-5d2f-4a8e-9f61-2f0d6c1b9a44");
    expect(first).toBe("0b7c3c1e-5d2f-4a8e-9f61-2f0d6c1b9a44");
    expect(browserRaterId(storage, () => "another-id-entirely")).toBe(first);
    expect(storage.items.get(RATER_ID_KEY)).toBe(first);
  });

  it("replaces a kept value the API would refuse", () => {
    const storage = memoryStorage({ [RATER_ID_KEY]: "<script>" });
    expect(browserRaterId(storage, () => "fresh-rater-id")).toBe("fresh-rater-id");
  });
});
