import { expect, test } from "vitest";
import { activitySubjectLabel, activitySubjectLink, activityTone } from "./activityItem";

const subject = (subjectType: string, data: unknown = {}) => ({ subjectType, subjectId: "s1", data });

test("activitySubjectLink leads to the subject's page where one exists", () => {
  expect(activitySubjectLink(subject("Adapter"))).toEqual({ name: "adapter", params: { id: "s1" } });
  expect(activitySubjectLink(subject("Experiment"))).toEqual({ name: "experiment", params: { id: "s1" } });
  expect(activitySubjectLink(subject("GenerationJob"))).toEqual({ name: "jobs", query: { job: "s1" } });
  expect(activitySubjectLink(subject("Delivery"))).toEqual({ name: "delivery", params: { id: "s1" } });
  expect(activitySubjectLink(subject("Sample"))).toBeNull();
  expect(activitySubjectLink(subject("Dataset"))).toBeNull();
});

test("activitySubjectLink leads from a run to its experiment's Runs tab, when the event names the experiment", () => {
  expect(activitySubjectLink(subject("Run", { experimentId: "x1" }))).toEqual({
    name: "experiment",
    params: { id: "x1" },
    query: { tab: "runs", run: "s1" },
  });
  expect(activitySubjectLink(subject("Run"))).toBeNull();
  expect(activitySubjectLink(subject("Run", null))).toBeNull();
  expect(activitySubjectLink(subject("Run", { experimentId: 7 }))).toBeNull();
});

test("activitySubjectLabel splits the type name into words", () => {
  expect(activitySubjectLabel("GenerationJob")).toBe("Generation job");
  expect(activitySubjectLabel("Adapter")).toBe("Adapter");
});

test("activityTone reads the outcome from the end of the event type", () => {
  expect(activityTone("RUN_FAILED")).toBe("error");
  expect(activityTone("DELIVERY_SUCCEEDED")).toBe("success");
  expect(activityTone("RUN_COMPLETED")).toBe("success");
  expect(activityTone("GENERATION_DONE")).toBe("success");
  expect(activityTone("RUN_CANCELLED")).toBe("warning");
  expect(activityTone("ADAPTER_DELETED")).toBe("warning");
  expect(activityTone("EXPERIMENT_CREATED")).toBe("default");
});
