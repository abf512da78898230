import { describe, expect, test } from "vitest";
import { allowedHostsHint, deliveryInput, emptyDeliveryForm, paramFacts } from "./deliveryForm";

describe("deliveryInput", () => {
  test("SD.Next: the URL, its timeout and only the parameters given", () => {
    const form = { ...emptyDeliveryForm(), url: " http://127.0.0.1:7860 ", prompt: " a cat <lora:ink:0.8> ", steps: 30, sampler: "DPM++ 2M", timeoutSeconds: 60 };
    expect(deliveryInput(form)).toEqual({
      mode: "SDNEXT",
      url: "http://127.0.0.1:7860",
      timeoutSeconds: 60,
      prompt: "a cat <lora:ink:0.8>",
      params: { steps: 30, sampler: "DPM++ 2M" },
      maxAttempts: null,
    });
  });

  test("a webhook without parameters sends none", () => {
    const form = { ...emptyDeliveryForm(), mode: "HTTP" as const, url: "https://hooks.example/x", prompt: "a cat", maxAttempts: 5 };
    expect(deliveryInput(form)).toEqual({ mode: "HTTP", url: "https://hooks.example/x", timeoutSeconds: null, prompt: "a cat", maxAttempts: 5 });
  });

  test("a command names its template and leaves the URL and timeout out", () => {
    const form = { ...emptyDeliveryForm(), mode: "CLI" as const, url: "left over", command: "echo", prompt: "a cat; rm -rf /", seed: 0, negativePrompt: " blurry " };
    expect(deliveryInput(form)).toEqual({ mode: "CLI", command: "echo", prompt: "a cat; rm -rf /", params: { negativePrompt: "blurry", seed: 0 }, maxAttempts: null });
  });
});

test("names the allowed hosts, or who can allow one", () => {
  expect(allowedHostsHint(["127.0.0.1:7860", "hooks.example"])).toBe("Allowed hosts: 127.0.0.1:7860, hooks.example");
  expect(allowedHostsHint([])).toMatch(/DELIVERY_ALLOWED_HOSTS/);
});

test("labels the parameters that were set, leaving the LoRA provenance out", () => {
  const params = { steps: 20, cfgScale: 7.5, sampler: "Euler a", width: null, negativePrompt: "", timeoutSeconds: 120, loraTokens: ["<lora:ink:1>"], loras: [] };
  expect(paramFacts(params)).toEqual([
    { label: "Steps", value: "20" },
    { label: "CFG scale", value: "7.5" },
    { label: "Sampler", value: "Euler a" },
    { label: "Timeout (s)", value: "120" },
  ]);
  expect(paramFacts("not an object")).toEqual([]);
});
