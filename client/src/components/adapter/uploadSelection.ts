export const PEFT_CONFIG_FILE = "adapter_config.json";
const PICKLED_WEIGHTS_FILE = "adapter_model.bin";
const SAFETENSORS = /\.safetensors$/i;

/**
 * Why these files cannot be uploaded as one adapter, or null: one .safetensors file, or
 * adapter_config.json + one .safetensors file (or PEFT's pickled adapter_model.bin).
 */
export function uploadSelectionProblem(fileNames: readonly string[]): string | null {
  const configs = fileNames.filter((name) => name === PEFT_CONFIG_FILE);
  const weights = fileNames.filter((name) => SAFETENSORS.test(name) || (configs.length > 0 && name === PICKLED_WEIGHTS_FILE));
  const others = fileNames.length - weights.length - configs.length;
  if (fileNames.length === 0) return `Choose a .safetensors file, or ${PEFT_CONFIG_FILE} with adapter_model.safetensors.`;
  if (others > 0) return `Only .safetensors files and ${PEFT_CONFIG_FILE} can be uploaded.`;
  if (fileNames.length > 2) return `Choose at most two files: ${PEFT_CONFIG_FILE} and one .safetensors file.`;
  if (weights.length === 0) return `Add the weights (adapter_model.safetensors) that go with ${PEFT_CONFIG_FILE}.`;
  if (weights.length > 1) return "Upload one .safetensors file at a time.";
  return null;
}
