import { describe, expect, test } from "vitest";
import { buildMultipartFormData } from "./multipart";

const weights = new File([new Uint8Array([1, 2, 3])], "adapter_model.safetensors");
const config = new File(['{"peft_type":"LORA"}'], "adapter_config.json");
const input = { name: "jazz-solo", version: "1.0", tags: ["jazz"] };

describe("buildMultipartFormData", () => {
  const form = buildMultipartFormData("mutation UploadAdapter { __typename }", "UploadAdapter", { input }, [config, weights]);

  test("puts the operation first, with a null for every file", () => {
    expect([...form.keys()]).toEqual(["operations", "map", "0", "1"]);
    expect(JSON.parse(String(form.get("operations")))).toEqual({
      query: "mutation UploadAdapter { __typename }",
      operationName: "UploadAdapter",
      variables: { files: [null, null], input },
    });
  });

  test("maps each file part to its place in the variables", () => {
    expect(JSON.parse(String(form.get("map")))).toEqual({ "0": ["variables.files.0"], "1": ["variables.files.1"] });
  });

  test("sends the files with their names", () => {
    expect((form.get("0") as File).name).toBe("adapter_config.json");
    expect((form.get("1") as File).name).toBe("adapter_model.safetensors");
  });
});
