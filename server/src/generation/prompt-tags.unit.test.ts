import { describe, expect, it } from "vitest";
import { askedAdapters, mergeTags, type ReadTag } from "./prompt-tags.js";

const tag = (name: string, weight: number | null, adapterId: string | null): ReadTag => ({
  name,
  raw: `<lora:${name}:${weight}>`,
  weight,
  adapter: adapterId ? { id: adapterId } : null,
});
const noneByName = () => null;

describe("mergeTags", () => {
  it("adds each tag's adapter after the picked ones, once when named again at the same weight", () => {
    const merged = mergeTags([{ adapterId: "a", weight: 1 }], [tag("b", 0.5, "b"), tag("b", 0.5, "b")], noneByName);
    expect(merged).toEqual({ adapters: [{ adapterId: "a", weight: 1 }, { adapterId: "b", weight: 0.5 }], conflicts: [] });
  });

  it("reads a tag naming a picked adapter's name as that adapter, another version than the latest included", () => {
    const merged = mergeTags([{ adapterId: "jazz-v1", weight: 0.8 }], [tag("jazz", 0.8, "jazz-v2")], (name) => (name === "jazz" ? "jazz-v1" : null));
    expect(merged.adapters).toEqual([{ adapterId: "jazz-v1", weight: 0.8 }]);
  });

  it("refuses one adapter at two weights, whether picked or tagged twice, and takes weights equal to three decimals as one", () => {
    const merged = mergeTags([{ adapterId: "a", weight: 1 }], [tag("a", 1.0004, "a"), tag("a", 1.2, "a"), tag("b", 0.5, "b"), tag("b", 1, "b")], noneByName);
    expect(merged.conflicts).toEqual([
      "<lora:a:1.2> gives 'a' weight 1.2, but it is at 1 among the adapters picked; give it one weight",
      "<lora:b:1> gives 'b' weight 1, but it is at 0.5 in an earlier tag; give it one weight",
    ]);
  });

  it("leaves unknown names and unreadable weights to the prompt reading's own errors", () => {
    expect(mergeTags([], [tag("nobody", 1, null), tag("a", null, "a")], noneByName).adapters).toEqual([]);
  });
});

describe("askedAdapters", () => {
  it("keeps the entries it can read and leaves the rest to the input's validation", () => {
    expect(askedAdapters([{ adapterId: "a", weight: 1 }, { adapterId: 3, weight: 1 }, null])).toEqual([{ adapterId: "a", weight: 1 }]);
    expect(askedAdapters(undefined)).toEqual([]);
  });
});
