import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeKohyaMetadata, kohyaTrainingConfig, rankedTags } from "./kohya.js";

describe("decodeKohyaMetadata", () => {
  it("decodes Python-style strings: None, booleans, numbers, JSON", () => {
    const { all } = decodeKohyaMetadata({
      ss_training_comment: "None",
      ss_cache_latents: "True",
      ss_shuffle_caption: "False",
      ss_network_dim: "32",
      ss_learning_rate: "1e-4",
      ss_noise_offset: "-.05",
      ss_dataset_dirs: '{"5_dog": {"n_repeats": 5, "img_count": 20}}',
      ss_bucket_info: "[1, 2]",
      ss_network_args: "{'conv_dim': '4'}",
      ss_output_name: "my_lora",
      ss_sd_scripts_commit_hash: "1e3a4b",
      modelspec_title: "not ss_",
    });
    expect(all).toEqual({
      ss_training_comment: null,
      ss_cache_latents: true,
      ss_shuffle_caption: false,
      ss_network_dim: 32,
      ss_learning_rate: 0.0001,
      ss_noise_offset: -0.05,
      ss_dataset_dirs: { "5_dog": { n_repeats: 5, img_count: 20 } },
      ss_bucket_info: [1, 2],
      ss_network_args: "{'conv_dim': '4'}",
      ss_output_name: "my_lora",
      ss_sd_scripts_commit_hash: "1e3a4b",
    });
  });

  it("keeps numbers as text when a number would lose digits or overflow", () => {
    const { all, seed } = decodeKohyaMetadata({ ss_seed: "12345678901234567890", ss_max_grad_norm: "1e999" });
    expect(all).toEqual({ ss_seed: "12345678901234567890", ss_max_grad_norm: "1e999" });
    expect(seed).toBeNull();
  });

  it("maps the well-known keys to typed fields", () => {
    const meta = decodeKohyaMetadata({
      ss_base_model_version: "sdxl_base_v1-0",
      ss_sd_model_name: "sd_xl_base_1.0.safetensors",
      ss_network_dim: "16",
      ss_network_alpha: "8.0",
      ss_network_module: "networks.lora",
      ss_network_args: '{"conv_dim": "8"}',
      ss_training_comment: "trained on 20 photos",
      ss_output_name: "1234",
      ss_learning_rate: "0.0004",
      ss_unet_lr: "0.0004",
      ss_text_encoder_lr: "5e-05",
      ss_num_epochs: "12",
      ss_steps: "900",
      ss_resolution: "(1024, 768)",
      ss_mixed_precision: "bf16",
      ss_optimizer: "prodigyopt.prodigy.Prodigy(decouple=True)",
      ss_seed: "1337",
      ss_tag_frequency: '{"20_person": {"person": 20, "smile": 4}}',
    });
    expect(meta).toMatchObject({
      baseModelVersion: "sdxl_base_v1-0",
      sdModelName: "sd_xl_base_1.0.safetensors",
      networkDim: 16,
      networkAlpha: 8,
      networkModule: "networks.lora",
      networkArgs: { conv_dim: "8" },
      trainingComment: "trained on 20 photos",
      outputName: "1234",
      learningRate: 0.0004,
      unetLr: 0.0004,
      textEncoderLr: 0.00005,
      epochs: 12,
      steps: 900,
      resolution: [1024, 768],
      mixedPrecision: "bf16",
      optimizer: "prodigyopt.prodigy.Prodigy(decouple=True)",
      seed: 1337,
      tagFrequency: { "20_person": { person: 20, smile: 4 } },
    });
  });

  it("prefers ss_max_train_steps over ss_steps and reads a square resolution", () => {
    const meta = decodeKohyaMetadata({ ss_max_train_steps: "2000", ss_steps: "1500", ss_resolution: "512" });
    expect(meta.steps).toBe(2000);
    expect(meta.resolution).toEqual([512, 512]);
  });

  it("returns null for missing, None and malformed values", () => {
    const meta = decodeKohyaMetadata({
      ss_network_alpha: "None",
      ss_network_dim: "Dynamic",
      ss_resolution: "large",
      ss_tag_frequency: '{"dir": {"tag": "many"}}',
      ss_network_args: "[1]",
    });
    expect(meta).toMatchObject({
      networkAlpha: null,
      networkDim: null,
      resolution: null,
      tagFrequency: null,
      networkArgs: null,
      baseModelVersion: null,
      learningRate: null,
    });
  });
});

describe("kohyaTrainingConfig", () => {
  it("maps kohya facts to training-config keys and omits unknowns", () => {
    const meta = decodeKohyaMetadata({
      ss_sd_model_name: "v1-5-pruned.ckpt",
      ss_network_dim: "8",
      ss_network_alpha: "4",
      ss_learning_rate: "0.0001",
      ss_unet_lr: "0.0001",
      ss_text_encoder_lr: "5e-05",
      ss_lr_scheduler: "cosine",
      ss_lr_warmup_steps: "50",
      ss_batch_size_per_device: "2",
      ss_num_epochs: "5",
      ss_max_train_steps: "500",
      ss_optimizer: "AdamW",
      ss_seed: "7",
      ss_mixed_precision: "fp16",
      ss_resolution: "(512, 512)",
      ss_clip_skip: "None",
    });
    expect(kohyaTrainingConfig(meta)).toEqual({
      baseModel: "v1-5-pruned.ckpt",
      rank: 8,
      alpha: 4,
      learningRate: 0.0001,
      unetLr: 0.0001,
      textEncoderLr: 0.00005,
      scheduler: "cosine",
      warmupSteps: 50,
      optimizer: "AdamW",
      epochs: 5,
      maxSteps: 500,
      batchSize: 2,
      seed: 7,
      mixedPrecision: "fp16",
      resolution: [512, 512],
    });
  });

  it("is empty when nothing is known", () => {
    expect(kohyaTrainingConfig(decodeKohyaMetadata({ format: "pt" }))).toEqual({});
  });
});

describe("kohya decoding under arbitrary input", () => {
  it("never throws, whatever the ss_* strings hold", () => {
    const kohyaKey = fc.oneof(fc.constantFrom("ss_network_alpha", "ss_resolution", "ss_tag_frequency", "ss_seed"), fc.string().map((s) => `ss_${s}`));
    const kohyaValue = fc.oneof(fc.string(), fc.jsonValue().map((value) => JSON.stringify(value) ?? ""), fc.constantFrom("None", "True", "1e400", "(1, 2"));
    fc.assert(
      fc.property(fc.dictionary(kohyaKey, kohyaValue, { noNullPrototype: true }), (metadata) => {
        kohyaTrainingConfig(decodeKohyaMetadata(metadata));
      }),
      { numRuns: 500 },
    );
  });
});

describe("rankedTags", () => {
  it("sums a tag over dataset folders and ranks by count, ties by tag", () => {
    const ranked = rankedTags({ "10_cat": { cat: 12, solo: 3, " ": 9 }, "5_dog": { solo: 4, dog: 7, night: 7, zero: 0 } });
    expect(ranked).toEqual([
      { tag: "cat", count: 12 },
      { tag: "dog", count: 7 },
      { tag: "night", count: 7 },
      { tag: "solo", count: 7 },
    ]);
  });
});
