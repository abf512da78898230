import { expect, test } from "vitest";
import { uploadSelectionProblem } from "./uploadSelection";

test("accepts one .safetensors file, or adapter_config.json with one", () => {
  expect(uploadSelectionProblem(["jazz.safetensors"])).toBeNull();
  expect(uploadSelectionProblem(["adapter_config.json", "adapter_model.safetensors"])).toBeNull();
});

test("accepts PEFT's pickled adapter_model.bin only beside adapter_config.json", () => {
  expect(uploadSelectionProblem(["adapter_config.json", "adapter_model.bin"])).toBeNull();
  expect(uploadSelectionProblem(["adapter_model.bin"])).toBe("Only .safetensors files and adapter_config.json can be uploaded.");
});

test("explains what is missing or too much", () => {
  expect(uploadSelectionProblem([])).toMatch(/^Choose a \.safetensors file/);
  expect(uploadSelectionProblem(["adapter_config.json"])).toBe("Add the weights (adapter_model.safetensors) that go with adapter_config.json.");
  expect(uploadSelectionProblem(["a.safetensors", "b.safetensors"])).toBe("Upload one .safetensors file at a time.");
  expect(uploadSelectionProblem(["model.ckpt"])).toBe("Only .safetensors files and adapter_config.json can be uploaded.");
  expect(uploadSelectionProblem(["adapter_config.json", "a.safetensors", "b.safetensors"])).toMatch(/at most two files/);
});
