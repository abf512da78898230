import { expect, test } from "vitest";
import { adapterFieldErrors, defaultDuration, defaultSettings, fitDuration, generationInput } from "./generationForm";

const waltz = { adapterId: "a1", name: "waltz", version: "1", weight: 0.8, scale: 2 };
const jig = { adapterId: "a2", name: "jig", version: "1", weight: 1.25, scale: 2 };

test("asks for 10 s, or less when the model makes shorter melodies", () => {
  expect(defaultDuration(16)).toBe(10);
  expect(defaultDuration(8)).toBe(8);
  expect(defaultDuration(null)).toBe(10);
});

test("keeps the duration within the current model's limit when the model changes", () => {
  expect(fitDuration(30, 16)).toBe(16);
  expect(fitDuration(12, 32)).toBe(12);
  expect(fitDuration(null, 16)).toBe(10);
  expect(fitDuration(40, null)).toBe(40);
});

test("sends the adapters in order with their weights, and empty settings as the API's defaults", () => {
  const settings = { ...defaultSettings(null), durationSeconds: 8, samples: 2, steps: 30 };
  expect(generationInput("tunes-s", "  a waltz  ", [waltz, jig], settings, "AUDIO")).toEqual({
    baseModelId: "tunes-s",
    prompt: "a waltz",
    adapters: [
      { adapterId: "a1", weight: 0.8 },
      { adapterId: "a2", weight: 1.25 },
    ],
    durationSeconds: 8,
    samples: 2,
    temperature: 1,
    topK: null,
    seed: null,
  });
});

test("sends an image job only the image settings, the negative prompt trimmed", () => {
  const settings = { ...defaultSettings(null), samples: 2, seed: 7, negativePrompt: " blurry ", steps: 30, sampler: "Euler a", width: 512 };
  expect(generationInput("sd15", "a fox", [waltz], settings, "IMAGE")).toEqual({
    baseModelId: "sd15",
    prompt: "a fox",
    adapters: [{ adapterId: "a1", weight: 0.8 }],
    samples: 2,
    seed: 7,
    negativePrompt: "blurry",
    steps: 30,
    sampler: "Euler a",
    cfgScale: null,
    width: 512,
    height: null,
  });
});

test("puts the API's messages about an adapter's position next to that adapter", () => {
  const errors = { "adapters.1.adapterId": "adapter 'jig' 1 is inactive", prompt: "prompt must not be empty", "adapters.7.weight": "no such position" };
  expect(adapterFieldErrors(errors, [waltz, jig])).toEqual({ a2: "adapter 'jig' 1 is inactive" });
});
