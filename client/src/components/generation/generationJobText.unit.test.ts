import { describe, expect, it } from "vitest";
import { jobGenerator, jobOutputs, jobSettings } from "./generationJobText";

const melodyJob = { kind: "AUDIO", sampleCount: 1, durationSeconds: 4, temperature: 0.9, topK: null, seed: 7, imageSettings: null, backend: null } as const;
const imageJob = {
  ...melodyJob,
  kind: "IMAGE",
  sampleCount: 2,
  durationSeconds: 0,
  temperature: 0,
  backend: "a1111",
  imageSettings: { negativePrompt: "", steps: 20, sampler: "Euler a", cfgScale: 7, width: 512, height: 768 },
} as const;

describe("generation job text", () => {
  it("names what a job makes", () => {
    expect([jobOutputs(melodyJob), jobOutputs(imageJob)]).toEqual(["1 melody", "2 images"]);
  });

  it("names the backend of an image job and the sidecar of a melody job", () => {
    expect([jobGenerator(melodyJob), jobGenerator(imageJob)]).toEqual(["Built-in sidecar", "a1111"]);
  });

  it("says an image job's settings as A1111 names them, and a melody job's length and sampling", () => {
    expect(jobSettings(imageJob)).toBe("20 steps · Euler a · CFG 7 · 512×768 · seed 7");
    expect(jobSettings(melodyJob)).toBe("4 s · temperature 0.9, top-k all · seed 7");
  });
});
