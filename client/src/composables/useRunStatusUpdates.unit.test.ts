import { expect, test } from "vitest";
import { withStatusUpdates } from "./useRunStatusUpdates";

test("a live row takes its stream's latest state; a finished row is final", () => {
  const stored = [
    { id: "r1", status: "RUNNING" as const, finalLoss: null as number | null },
    { id: "r2", status: "COMPLETED" as const, finalLoss: 0.8 },
    { id: "r3", status: "PENDING" as const, finalLoss: null },
  ];
  const updates = {
    r1: { id: "r1", status: "COMPLETED" as const, finalLoss: 0.7 },
    r2: { id: "r2", status: "RUNNING" as const, finalLoss: null },
  };
  expect(withStatusUpdates(stored, updates)).toEqual([updates.r1, stored[1], stored[2]]);
});
