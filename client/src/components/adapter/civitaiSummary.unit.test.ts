import { expect, test } from "vitest";
import { civitaiSummary } from "./civitaiSummary";

test("summarises a Civitai model version with a link to its page", () => {
  const info = {
    id: 1234,
    modelId: 99,
    name: "v2.0",
    baseModel: "SD 1.5",
    trainedWords: ["jazzcat", "saxophone"],
    model: { name: "Jazz Cats", type: "LORA" },
  };
  expect(civitaiSummary(info)).toEqual({
    facts: [
      { label: "Model", value: "Jazz Cats" },
      { label: "Version", value: "v2.0" },
      { label: "Base model", value: "SD 1.5" },
      { label: "Trained words", value: "jazzcat, saxophone" },
      { label: "Model type", value: "LORA" },
    ],
    url: "https://civitai.com/models/99?modelVersionId=1234",
  });
});

test("reads A1111 user metadata, which has no Civitai page", () => {
  expect(civitaiSummary({ "sd version": "SDXL", "activation text": "jazzcat", "preferred weight": 0.8 })).toEqual({
    facts: [
      { label: "Base model", value: "SDXL" },
      { label: "Activation text", value: "jazzcat" },
      { label: "Preferred weight", value: "0.8" },
    ],
    url: null,
  });
});

test("is null without metadata or with nothing worth showing", () => {
  expect(civitaiSummary(null)).toBeNull();
  expect(civitaiSummary({ unrelated: true })).toBeNull();
});
