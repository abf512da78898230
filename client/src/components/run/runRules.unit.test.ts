import { describe, expect, test } from "vitest";
import type { RunStatus } from "../../gql/graphql";
import { comparableSelection, COMPARE_LIMIT, compareOptions, deletableSelection, isDeletableRun, isLiveRun, runStartBlocker } from "./runRules";

const ALL: RunStatus[] = ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"];

test("pending and running runs are live; only finished ones can be deleted", () => {
  expect(ALL.filter(isLiveRun)).toEqual(["PENDING", "RUNNING"]);
  expect(ALL.filter(isDeletableRun)).toEqual(["COMPLETED", "FAILED", "CANCELLED"]);
});

describe("runStartBlocker", () => {
  const ready = { status: "DRAFT" as const, trainer: "tunes", baseModel: { displayName: "Tunes S" }, dataset: { id: "d1" } };

  test("lets a run start with a trainer and a dataset", () => {
    expect(runStartBlocker(ready)).toBeNull();
  });

  test("names the base model no trainer trains, before asking for a dataset that would not help", () => {
    expect(runStartBlocker({ ...ready, trainer: null, dataset: null, baseModel: { displayName: "Stable Diffusion 1.5" } })).toBe(
      "No trainer is configured for Stable Diffusion 1.5, so runs on it cannot start until an operator registers one (TRAINERS).",
    );
  });

  test("asks for a dataset, and to unarchive first", () => {
    expect(runStartBlocker({ ...ready, dataset: null })).toBe("Link a dataset in the Config tab first.");
    expect(runStartBlocker({ ...ready, status: "ARCHIVED", trainer: null })).toBe("Unarchive the experiment to start runs.");
  });
});

describe("deletableSelection", () => {
  const runs = [
    { id: "r1", status: "COMPLETED" as const },
    { id: "r2", status: "RUNNING" as const },
    { id: "r3", status: "FAILED" as const },
  ];

  test("keeps checked finished runs in table order", () => {
    expect(deletableSelection(runs, ["r3", "r1"])).toEqual(["r1", "r3"]);
  });

  test("drops live runs and runs that are gone", () => {
    expect(deletableSelection(runs, ["r2", "r3", "r9"])).toEqual(["r3"]);
  });
});

describe("compareOptions", () => {
  const runs = Array.from({ length: 7 }, (_, index) => ({ id: `r${index + 1}`, name: `run-${index + 1}` }));

  test("offers every run while fewer than the limit are chosen", () => {
    expect(compareOptions(runs, ["r1", "r2"]).some((option) => option.disabled)).toBe(false);
  });

  test("disables the others once the limit is reached, never a chosen one", () => {
    const chosen = runs.slice(0, COMPARE_LIMIT).map((run) => run.id);
    const options = compareOptions(runs, chosen);
    expect(options.filter((option) => option.disabled).map((option) => option.value)).toEqual(["r6", "r7"]);
    expect(options[0]).toEqual({ label: "run-1", value: "r1", disabled: false });
  });
});

test("comparableSelection keeps existing runs in choice order, up to the limit", () => {
  const runs = ["a", "b", "c", "d", "e", "f"].map((id) => ({ id }));
  expect(comparableSelection(runs, ["c", "gone", "a"])).toEqual(["c", "a"]);
  expect(comparableSelection(runs, ["a", "b", "c", "d", "e", "f"])).toHaveLength(COMPARE_LIMIT);
});
