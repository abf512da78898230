import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { describeLora, describePicklePeft, PICKLE_WARNING } from "./lora.js";
import { DTYPE_BYTES, encodeSafetensors, parseSafetensorsHeader, readHeaderLength, type SafetensorsHeader } from "./safetensors.js";

interface TensorSpec {
  name: string;
  shape: number[];
  dtype?: string;
}

function headerOf(specs: TensorSpec[], metadata?: Record<string, string>): SafetensorsHeader {
  const tensors = specs.map(({ name, shape, dtype = "F16" }) => ({
    name,
    dtype,
    shape,
    data: new Uint8Array(shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[dtype] ?? 0)),
  }));
  const file = encodeSafetensors(tensors, metadata);
  const headerLength = readHeaderLength(file, file.length);
  return parseSafetensorsHeader(file.subarray(8, 8 + headerLength), file.length);
}

function expectFormatError(action: () => unknown, message: RegExp): void {
  expect(action).toThrow(FormatError);
  expect(action).toThrow(message);
}

/** A pair of factors for `module`, named `<module><down>` / `<module><up>`. */
function pair(module: string, [down, up]: [string, string], rank: number, inFeatures: number, outFeatures: number): TensorSpec[] {
  return [
    { name: `${module}${down}`, shape: [rank, inFeatures] },
    { name: `${module}${up}`, shape: [outFeatures, rank] },
  ];
}

const PEFT_FACTORS: [string, string] = [".lora_A.weight", ".lora_B.weight"];
const KOHYA_FACTORS: [string, string] = [".lora_down.weight", ".lora_up.weight"];

function llamaAdapter(rank: number): TensorSpec[] {
  return [0, 1].flatMap((layer) =>
    ["q_proj", "v_proj"].flatMap((projection) =>
      pair(`base_model.model.model.layers.${layer}.self_attn.${projection}`, PEFT_FACTORS, rank, 256, 256),
    ),
  );
}

const llamaConfig = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    peft_type: "LORA",
    r: 8,
    lora_alpha: 16,
    lora_dropout: 0.05,
    target_modules: ["q_proj", "v_proj"],
    base_model_name_or_path: "meta-llama/Llama-2-7b-hf",
    bias: "none",
    task_type: "CAUSAL_LM",
    ...overrides,
  });

describe("describeLora: PEFT", () => {
  it("describes a llama-style adapter from its config", () => {
    const info = describeLora(headerOf(llamaAdapter(8)), llamaConfig());
    expect(info).toMatchObject({
      format: "PEFT",
      rank: 8,
      alpha: 16,
      useRslora: false,
      targetModules: ["q_proj", "v_proj"],
      tensorCount: 8,
      baseModelName: "meta-llama/Llama-2-7b-hf",
      kohya: null,
      warnings: [],
    });
    expect(info.peftConfig?.task_type).toBe("CAUSAL_LM");
    expect(info.trainingConfig).toEqual({
      baseModel: "meta-llama/Llama-2-7b-hf",
      rank: 8,
      alpha: 16,
      dropout: 0.05,
      targetModules: ["q_proj", "v_proj"],
      bias: "none",
      taskType: "CAUSAL_LM",
    });
  });

  it("reads use_rslora and derives target modules from keys when the config gives a regex", () => {
    const info = describeLora(headerOf(llamaAdapter(8)), llamaConfig({ use_rslora: true, target_modules: ".*(q|v)_proj" }));
    expect(info.useRslora).toBe(true);
    expect(info.targetModules).toEqual(["q_proj", "v_proj"]);
  });

  it("warns when the config has no base model", () => {
    const info = describeLora(headerOf(llamaAdapter(8)), llamaConfig({ base_model_name_or_path: null }));
    expect(info.baseModelName).toBeNull();
    expect(info.warnings).toContain("adapter_config.json has no base_model_name_or_path");
  });

  it("rejects a config whose rank does not match the weights", () => {
    expectFormatError(
      () => describeLora(headerOf(llamaAdapter(4)), llamaConfig()),
      /sets r=8 but module "base_model\.model\.model\.layers\.0\.self_attn\.q_proj" has rank 4 \(lora_A shape \[4, 256\]\)/,
    );
  });

  it("accepts ranks declared by rank_pattern", () => {
    const specs = [...llamaAdapter(8), ...pair("base_model.model.lm_head", PEFT_FACTORS, 16, 256, 1000)];
    const info = describeLora(headerOf(specs), llamaConfig({ rank_pattern: { lm_head: 16 } }));
    expect(info.rank).toBe(8);
  });

  it("rejects an invalid config with the path of the bad value", () => {
    expectFormatError(() => describeLora(headerOf(llamaAdapter(8)), llamaConfig({ r: 0 })), /adapter_config\.json is invalid: r: /);
  });

  it("rejects a config paired with kohya weights", () => {
    const kohya = pair("lora_unet_mid_block_attentions_0_proj_in", KOHYA_FACTORS, 8, 64, 64);
    expectFormatError(() => describeLora(headerOf(kohya), llamaConfig()), /not named like PEFT's lora_A\/lora_B/);
  });

  it("accepts lora_A.default.weight keys and embedding factors", () => {
    const specs = [
      ...pair("base_model.model.model.layers.0.mlp.down_proj", [".lora_A.default.weight", ".lora_B.default.weight"], 8, 512, 256),
      { name: "base_model.model.model.embed_tokens.lora_embedding_A", shape: [8, 32000] },
      { name: "base_model.model.model.embed_tokens.lora_embedding_B", shape: [256, 8] },
    ];
    const info = describeLora(headerOf(specs));
    expect(info).toMatchObject({ format: "PEFT", rank: 8, targetModules: ["down_proj", "embed_tokens"] });
  });

  it("describes a single PEFT file without config: alpha = rank, with warnings", () => {
    const info = describeLora(headerOf(llamaAdapter(8)));
    expect(info).toMatchObject({ format: "PEFT", rank: 8, alpha: 8, baseModelName: null, peftConfig: null, trainingConfig: null });
    expect(info.warnings).toEqual([
      "the file records no LoRA alpha; assuming alpha = rank = 8 (scale 1.0)",
      "the file does not say which base model it was trained on",
    ]);
  });

  it("takes alpha and base model from the metadata of a single PEFT file", () => {
    const info = describeLora(headerOf(llamaAdapter(8), { lora_alpha: "32", base_model_name_or_path: "tunes-s" }));
    expect(info).toMatchObject({ format: "PEFT", alpha: 32, baseModelName: "tunes-s", warnings: [] });
  });

  it("rejects a pair whose inner dimensions disagree, naming the module", () => {
    const specs = [
      { name: "base_model.model.fc1.lora_A.weight", shape: [8, 64] },
      { name: "base_model.model.fc1.lora_B.weight", shape: [64, 4] },
    ];
    expectFormatError(() => describeLora(headerOf(specs)), /module "base_model\.model\.fc1" has mismatched factors: .*\(rank 8\) .*\(rank 4\)/);
  });

  it("rejects factors with fewer than 2 dimensions and rank 0", () => {
    const flat = [{ name: "base_model.model.fc1.lora_A.weight", shape: [8] }, { name: "base_model.model.fc1.lora_B.weight", shape: [64, 8] }];
    expectFormatError(() => describeLora(headerOf(flat)), /"base_model\.model\.fc1": weights must have at least 2 dimensions/);
    expectFormatError(() => describeLora(headerOf(pair("base_model.model.fc1", PEFT_FACTORS, 0, 64, 64))), /"base_model\.model\.fc1" has rank 0/);
  });
});

describe("describeLora: kohya", () => {
  const sd15Specs: TensorSpec[] = [
    { name: "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", shape: [16, 320, 1, 1] },
    { name: "lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight", shape: [320, 16, 1, 1] },
    { name: "lora_unet_down_blocks_0_attentions_0_proj_in.alpha", shape: [], dtype: "F32" },
    { name: "lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight", shape: [16, 320, 3, 3] },
    { name: "lora_unet_down_blocks_0_resnets_0_conv1.lora_up.weight", shape: [320, 16, 1, 1] },
    ...pair("lora_te_text_model_encoder_layers_0_mlp_fc1", KOHYA_FACTORS, 16, 768, 3072),
    { name: "lora_te_text_model_encoder_layers_0_mlp_fc1.alpha", shape: [], dtype: "F32" },
  ];
  const sd15Metadata = {
    ss_base_model_version: "sd_v1",
    ss_sd_model_name: "v1-5-pruned-emaonly.safetensors",
    ss_network_module: "networks.lora",
    ss_network_dim: "16",
    ss_network_alpha: "8.0",
    ss_network_args: '{"conv_dim": "16", "conv_alpha": "8"}',
    ss_learning_rate: "0.0001",
    ss_num_epochs: "10",
    ss_max_train_steps: "1500",
    ss_seed: "42",
    ss_mixed_precision: "fp16",
    ss_optimizer: "bitsandbytes.optim.adamw.AdamW8bit",
    ss_resolution: "(512, 512)",
    ss_training_comment: "None",
    ss_tag_frequency: '{"10_cat": {"cat": 12, "solo": 3}}',
    ss_cache_latents: "True",
  };

  it("describes an SD 1.5 LoCon with conv layers from shapes and ss_* metadata", () => {
    const info = describeLora(headerOf(sd15Specs, sd15Metadata));
    expect(info).toMatchObject({
      format: "KOHYA",
      rank: 16,
      alpha: 8,
      tensorCount: 8,
      baseModelName: "sd_v1",
      targetModules: [
        "lora_te_text_model_encoder_layers_0_mlp_fc1",
        "lora_unet_down_blocks_0_attentions_0_proj_in",
        "lora_unet_down_blocks_0_resnets_0_conv1",
      ],
      peftConfig: null,
      warnings: [],
    });
    expect(info.kohya).toMatchObject({ networkDim: 16, trainingComment: null, tagFrequency: { "10_cat": { cat: 12, solo: 3 } } });
    expect(info.kohya?.all["ss_cache_latents"]).toBe(true);
    expect(info.trainingConfig).toMatchObject({ rank: 16, alpha: 8, learningRate: 0.0001, epochs: 10, maxSteps: 1500, seed: 42, resolution: [512, 512] });
  });

  it("names SDXL text encoders te1/te2 and picks the most common rank", () => {
    const specs = [
      ...pair("lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q", KOHYA_FACTORS, 32, 640, 640),
      ...pair("lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_k", KOHYA_FACTORS, 32, 640, 640),
      ...pair("lora_te1_text_model_encoder_layers_0_self_attn_q_proj", KOHYA_FACTORS, 32, 768, 768),
      ...pair("lora_te2_text_model_encoder_layers_0_self_attn_q_proj", KOHYA_FACTORS, 8, 1280, 1280),
    ];
    const info = describeLora(headerOf(specs, { ss_base_model_version: "sdxl_base_v1-0", ss_network_alpha: "16" }));
    expect(info).toMatchObject({ format: "KOHYA", rank: 32, alpha: 16, baseModelName: "sdxl_base_v1-0" });
    expect(info.targetModules).toContain("lora_te2_text_model_encoder_layers_0_self_attn_q_proj");
    expect(info.warnings).toEqual(["LoRA ranks differ between modules (rank 32 × 3, rank 8 × 1); reporting the most common, 32"]);
  });

  it.each([
    ["missing", {}],
    ["zero", { ss_network_alpha: "0" }],
    ["None", { ss_network_alpha: "None" }],
  ])("uses alpha = rank when ss_network_alpha is %s", (_, metadata) => {
    const info = describeLora(headerOf(pair("lora_unet_mid_block_attentions_0_proj_out", KOHYA_FACTORS, 4, 64, 64), metadata));
    expect(info.alpha).toBe(4);
    expect(info.warnings).toContain("ss_network_alpha is missing or 0; assuming alpha = rank = 4 (scale 1.0)");
  });

  it("falls back to ss_sd_model_name and warns when nothing names the base model", () => {
    const specs = pair("lora_unet_mid_block_attentions_0_proj_out", KOHYA_FACTORS, 4, 64, 64);
    expect(describeLora(headerOf(specs, { ss_sd_model_name: "anything-v3.ckpt", ss_network_alpha: "4" })).baseModelName).toBe("anything-v3.ckpt");
    const bare = describeLora(headerOf(specs, { ss_network_alpha: "4" }));
    expect(bare.baseModelName).toBeNull();
    expect(bare.warnings).toEqual(["the file does not say which base model it was trained on"]);
    expect(bare.trainingConfig).toEqual({ alpha: 4 });
  });

  it("warns when ss_network_dim disagrees with the weights", () => {
    const specs = pair("lora_unet_mid_block_attentions_0_proj_out", KOHYA_FACTORS, 4, 64, 64);
    const info = describeLora(headerOf(specs, { ss_network_dim: "32", ss_network_alpha: "4", ss_base_model_version: "sd_v1" }));
    expect(info.warnings).toEqual(["ss_network_dim says 32 but the weights have rank 4; using the weights"]);
  });

  it("has no training config when the file has no ss_* metadata", () => {
    const info = describeLora(headerOf(pair("lora_unet_mid_block_attentions_0_proj_out", KOHYA_FACTORS, 4, 64, 64)));
    expect(info.trainingConfig).toBeNull();
  });
});

describe("describeLora: other LoRA layouts", () => {
  it("describes diffusers attention-processor LoRAs as SAFETENSORS", () => {
    const specs = [
      ...pair("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_q", ["_lora.down.weight", "_lora.up.weight"], 4, 320, 320),
      ...pair("unet.mid_block.attentions.0.transformer_blocks.0.attn2.to_k", [".lora.down.weight", ".lora.up.weight"], 4, 768, 1280),
      ...pair("text_encoder.text_model.encoder.layers.0.self_attn.q_proj", [".lora_linear_layer.down.weight", ".lora_linear_layer.up.weight"], 4, 768, 768),
    ];
    const info = describeLora(headerOf(specs));
    expect(info).toMatchObject({
      format: "SAFETENSORS",
      rank: 4,
      alpha: 4,
      targetModules: [
        "text_encoder.text_model.encoder.layers.0.self_attn.q_proj",
        "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_q",
        "unet.mid_block.attentions.0.transformer_blocks.0.attn2.to_k",
      ],
      kohya: null,
      trainingConfig: null,
    });
  });

  it("treats lora_A/lora_B without the PEFT prefix as SAFETENSORS", () => {
    const info = describeLora(headerOf(pair("transformer.single_transformer_blocks.0.attn.to_q", PEFT_FACTORS, 16, 3072, 3072)));
    expect(info).toMatchObject({ format: "SAFETENSORS", rank: 16, targetModules: ["transformer.single_transformer_blocks.0.attn.to_q"] });
  });

  it("does not let kohya metadata make a non-kohya file KOHYA", () => {
    const specs = pair("unet.mid_block.attentions.0.transformer_blocks.0.attn2.to_k", [".lora.down.weight", ".lora.up.weight"], 4, 768, 1280);
    const info = describeLora(headerOf(specs, { ss_base_model_version: "sdxl_base_v1-0", ss_network_alpha: "2" }));
    expect(info).toMatchObject({ format: "SAFETENSORS", kohya: null, alpha: 4, baseModelName: "sdxl_base_v1-0" });
    expect(info.warnings).toEqual([
      "the file carries kohya ss_* metadata but its weights are not named like a kohya LoRA (lora_unet_*, lora_te_*)",
      "the file records no LoRA alpha; assuming alpha = rank = 4 (scale 1.0)",
      'base model "sdxl_base_v1-0" was taken from kohya ss_* metadata',
    ]);
  });

  it("treats a mix of kohya and other keys as SAFETENSORS", () => {
    const specs = [
      ...pair("lora_unet_mid_block_attentions_0_proj_out", KOHYA_FACTORS, 4, 64, 64),
      ...pair("text_encoder.q_proj", [".lora.down.weight", ".lora.up.weight"], 4, 64, 64),
    ];
    expect(describeLora(headerOf(specs)).format).toBe("SAFETENSORS");
  });

  it("warns about factors without a partner when other pairs exist", () => {
    const specs = [...llamaAdapter(8), { name: "base_model.model.lm_head.lora_A.weight", shape: [8, 256] }];
    expect(describeLora(headerOf(specs)).warnings).toContain(
      '1 LoRA weights have no down/up partner and were ignored: "base_model.model.lm_head.lora_A.weight"',
    );
  });
});

describe("describeLora: files that are not LoRAs", () => {
  it("rejects a file with no tensors", () => {
    expectFormatError(() => describeLora(headerOf([], { ss_network_dim: "8" })), /holds no tensors/);
  });

  it("rejects a full checkpoint", () => {
    const specs = [
      { name: "model.diffusion_model.input_blocks.0.0.weight", shape: [320, 4, 3, 3] },
      { name: "model.diffusion_model.input_blocks.0.0.bias", shape: [320] },
    ];
    expectFormatError(() => describeLora(headerOf(specs)), /file holds no LoRA weight pairs .*such as "model\.diffusion_model/);
  });

  it("rejects a down weight without its up weight", () => {
    const specs = [{ name: "lora_unet_mid_block_attentions_0_proj_out.lora_down.weight", shape: [4, 64] }];
    expectFormatError(() => describeLora(headerOf(specs)), /file holds no LoRA weight pairs: "lora_unet_mid_block_attentions_0_proj_out\.lora_down\.weight" has no matching/);
  });
});

describe("describePicklePeft", () => {
  const config = JSON.stringify({ peft_type: "LORA", r: 16, lora_alpha: 32, target_modules: ["q_proj", "k_proj"], base_model_name_or_path: null });

  it("describes pickled PEFT weights from the config alone and says they will not be loaded", () => {
    const info = describePicklePeft(config);
    expect(info).toMatchObject({ format: "PEFT", rank: 16, alpha: 32, targetModules: ["q_proj", "k_proj"], tensorCount: 0, baseModelName: null });
    expect(info.warnings).toEqual([PICKLE_WARNING, "adapter_config.json has no base_model_name_or_path"]);
  });

  it("refuses a config that is not a LoRA", () => {
    expect(() => describePicklePeft(JSON.stringify({ peft_type: "IA3" }))).toThrow(FormatError);
  });
});
