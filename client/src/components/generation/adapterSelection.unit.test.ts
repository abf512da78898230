import { describe, expect, test } from "vitest";
import {
  adapterChoices,
  chooseAdapters,
  clampWeight,
  keepFitting,
  noAdaptersHint,
  NONE_LABEL,
  NONE_VALUE,
  replaceAdapter,
  requiresHint,
  requiresTooltip,
  someNeedAnotherModel,
  withWeight,
  type ChosenAdapter,
  type SelectableAdapter,
} from "./adapterSelection";

const TUNES_S = { id: "tunes-s", displayName: "Tunes S (built-in)" };
const SD15 = { id: "sd15", displayName: "Stable Diffusion 1.5" };

function adapter(id: string, overrides: Partial<SelectableAdapter> = {}): SelectableAdapter {
  return { id, name: id, version: "1", weight: 1, scale: 2, loadable: true, baseModel: TUNES_S, ...overrides };
}

const waltz = adapter("waltz", { weight: 0.8 });
const jig = adapter("jig");
const portrait = adapter("portrait", { baseModel: SD15 });
const chosenOf = ({ id, name, version, weight, scale }: SelectableAdapter): ChosenAdapter => ({ adapterId: id, name, version, weight, scale });

describe("adapterChoices", () => {
  test("offers the base model, the fitting adapters, then the others disabled with the model they require", () => {
    const choices = adapterChoices({ compatible: [waltz, jig], all: [waltz, portrait, jig], chosen: [], fittingCount: 2 });
    expect(choices.map((choice) => [choice.label, choice.disabled, choice.hint])).toEqual([
      [NONE_LABEL, false, null],
      ["waltz 1", false, null],
      ["jig 1", false, null],
      ["portrait 1", true, "Requires Stable Diffusion 1.5"],
    ]);
    expect(choices.at(-1)?.tooltip).toBe("This adapter requires Stable Diffusion 1.5. Change model in Settings.");
  });

  test("offers only the base model when no adapter fits", () => {
    expect(adapterChoices({ compatible: [], all: [portrait], chosen: [], fittingCount: 0 })).toEqual([
      { value: NONE_VALUE, label: NONE_LABEL, disabled: false, hint: null, tooltip: null },
    ]);
  });

  test("when what is typed matches no fitting adapter, still offers the base model and the others", () => {
    const choices = adapterChoices({ compatible: [], all: [portrait], chosen: [], fittingCount: 3 });
    expect(choices.map((choice) => [choice.label, choice.disabled])).toEqual([
      [NONE_LABEL, false],
      ["portrait 1", true],
    ]);
  });

  test("keeps the chosen adapters the matches lack listed, labelled and selectable, once each", () => {
    const chosen = [chosenOf(waltz), chosenOf(jig)];
    const choices = adapterChoices({ compatible: [jig], all: [waltz, jig, portrait], chosen, fittingCount: 40 });
    expect(choices.map((choice) => [choice.value, choice.label, choice.disabled])).toEqual([
      [NONE_VALUE, NONE_LABEL, false],
      ["waltz", "waltz 1", false],
      ["jig", "jig 1", false],
      ["portrait", "portrait 1", true],
    ]);
  });

  test("holds the others back once five are chosen, but not the chosen ones", () => {
    const five = ["a", "b", "c", "d", "e"].map((id) => adapter(id));
    const choices = adapterChoices({ compatible: [...five, jig], all: [...five, jig], chosen: five.map(chosenOf), fittingCount: 6 });
    expect(choices.filter((choice) => choice.disabled).map((choice) => [choice.value, choice.hint])).toEqual([["jig", "At most 5 adapters"]]);
    const four = adapterChoices({ compatible: [...five, jig], all: [], chosen: five.slice(0, 4).map(chosenOf), fittingCount: 6 });
    expect(four.some((choice) => choice.disabled)).toBe(false);
  });

  test("disables a fitting adapter whose weights are never loaded", () => {
    const [, pickled] = adapterChoices({ compatible: [adapter("old", { loadable: false })], all: [], chosen: [], fittingCount: 1 });
    expect(pickled).toMatchObject({ disabled: true, hint: "Pickled weights" });
  });
});

test("hint texts name the models", () => {
  expect(requiresHint("Stable Diffusion 1.5")).toBe("Requires Stable Diffusion 1.5");
  expect(requiresTooltip("SDXL")).toBe("This adapter requires SDXL. Change model in Settings.");
  expect(noAdaptersHint("Tunes M (built-in)")).toBe(
    "No adapters available for Tunes M (built-in). Train or import adapters, or change model in Settings.",
  );
});

test("says some adapters need another model only when some fit and others do not, whatever is listed", () => {
  expect(someNeedAnotherModel(512, 513)).toBe(true);
  expect(someNeedAnotherModel(1, 1)).toBe(false);
  expect(someNeedAnotherModel(0, 1)).toBe(false);
});

describe("clampWeight", () => {
  test.each([
    [0.8, 0.8],
    [-0.5, 0],
    [2.5, 2],
    [2, 2],
    [0, 0],
    [0.73, 0.75],
    [1.024, 1],
    [Number.NaN, 1],
    [Number.POSITIVE_INFINITY, 1],
  ])("%s -> %s", (weight, clamped) => expect(clampWeight(weight)).toBe(clamped));
});

describe("the chosen adapters", () => {
  const chosenWaltz: ChosenAdapter = { adapterId: "waltz", name: "waltz", version: "1", scale: 2, weight: 1.5 };

  test("come with their default weight and keep the weight they were given", () => {
    expect(chooseAdapters([chosenWaltz], ["waltz", "jig"], [waltz, jig])).toEqual([
      chosenWaltz,
      { adapterId: "jig", name: "jig", version: "1", scale: 2, weight: 1 },
    ]);
  });

  test("are at most five, and none once the base model alone is chosen", () => {
    const known = ["a", "b", "c", "d", "e", "f"].map((id) => adapter(id));
    expect(chooseAdapters([], ["a", "b", "c", "d", "e", "f"], known).map((entry) => entry.adapterId)).toEqual(["a", "b", "c", "d", "e"]);
    expect(chooseAdapters([chosenWaltz], ["waltz", NONE_VALUE], [waltz])).toEqual([]);
  });

  test("take weights within bounds", () => {
    expect(withWeight([chosenWaltz], "waltz", 3)[0]?.weight).toBe(2);
  });

  test("lose those found not to fit the current model", () => {
    expect(keepFitting([chosenWaltz], new Set(["waltz"]))).toEqual([]);
    expect(keepFitting([chosenWaltz], new Set(["jig"]))).toEqual([chosenWaltz]);
  });

  test("take a suggestion in place of a refused adapter, at its weight", () => {
    expect(replaceAdapter([chosenWaltz], "waltz", jig)).toEqual([{ adapterId: "jig", name: "jig", version: "1", scale: 2, weight: 1.5 }]);
  });
});
