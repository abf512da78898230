import { describe, expect, test } from "vitest";
import type { BaseModelSummaryFragment } from "../gql/graphql";
import { baseModelOptions, describeCapabilities, trainingBaseModelOptions } from "./useBaseModels";

function model(
  id: string,
  modality: BaseModelSummaryFragment["modality"],
  capabilities: Partial<BaseModelSummaryFragment["capabilities"]> = {},
  discovered = false,
  trainer: string | null = null,
): BaseModelSummaryFragment {
  return {
    id,
    displayName: id.toUpperCase(),
    modality,
    family: "f",
    version: null,
    discovered,
    trainer,
    capabilities: { maxDurationSeconds: null, sampleRate: null, resolution: null, maxTokens: null, ...capabilities },
  };
}

describe("baseModelOptions", () => {
  test("groups by modality in a fixed order and leaves empty groups out", () => {
    const options = baseModelOptions([model("sd15", "IMAGE"), model("llama", "TEXT"), model("found", "IMAGE", {}, true)]);
    expect(options.map((group) => group.label)).toEqual(["Image", "Text"]);
    expect(options[0]!.children).toEqual([
      { label: "SD15", value: "sd15" },
      { label: "FOUND (discovered)", value: "found" },
    ]);
  });
});

describe("trainingBaseModelOptions", () => {
  test("lists the models a trainer trains first, then the others by modality, marked as having none", () => {
    const options = trainingBaseModelOptions([
      model("sd15", "IMAGE"),
      model("tunes-s", "AUDIO", {}, false, "tunes"),
      model("musicgen", "AUDIO"),
      model("sdxl", "IMAGE", {}, false, "kohya"),
    ]);
    expect(options.map((group) => [group.label, group.children])).toEqual([
      [
        "Trainable",
        [
          { label: "TUNES-S", value: "tunes-s" },
          { label: "SDXL", value: "sdxl" },
        ],
      ],
      ["Audio", [{ label: "MUSICGEN · no trainer configured", value: "musicgen" }]],
      ["Image", [{ label: "SD15 · no trainer configured", value: "sd15" }]],
    ]);
  });

  test("has no Trainable group when nothing trains any model", () => {
    expect(trainingBaseModelOptions([model("sd15", "IMAGE")]).map((group) => group.label)).toEqual(["Image"]);
  });
});

describe("describeCapabilities", () => {
  test("shows what matters for each modality", () => {
    expect(describeCapabilities(model("mg", "AUDIO", { maxDurationSeconds: 30, sampleRate: 32000 }))).toEqual([
      "Max duration 30 s",
      "Sample rate 32,000 Hz",
    ]);
    expect(describeCapabilities(model("sd", "IMAGE", { resolution: 1024 }))).toEqual(["Resolution 1024 × 1024 px"]);
    expect(describeCapabilities(model("l", "TEXT", { maxTokens: 131072 }))).toEqual(["Max tokens 131,072"]);
  });

  test("says nothing about unknown capabilities", () => {
    expect(describeCapabilities(model("x", "TEXT"))).toEqual([]);
  });
});
