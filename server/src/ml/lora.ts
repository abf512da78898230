import { LAYER_NAMES, type LayerName, type Model } from "./model.js";
import type { Random } from "./random.js";

/*
 * LoRA as PEFT defines it: a target layer computes W · x + b + scale · B · (A · x), with A [rank × in]
 * and B [out × rank] row-major, the layouts of PEFT's base_model.model.<module>.lora_A.weight and
 * .lora_B.weight.
 */

export interface LoraConfig {
  rank: number;
  alpha: number;
  /** Rank-stabilised LoRA: scale alpha / sqrt(rank) instead of alpha / rank. */
  rsLora: boolean;
  targetModules: readonly LayerName[];
}

export interface LoraModule {
  rank: number;
  in: number;
  out: number;
  /** [rank × in] row-major. */
  a: Float32Array;
  /** [out × rank] row-major. */
  b: Float32Array;
  scale: number;
}

export type Lora = Partial<Record<LayerName, LoraModule>>;

export function loraScale(config: Pick<LoraConfig, "rank" | "alpha" | "rsLora">): number {
  return config.alpha / (config.rsLora ? Math.sqrt(config.rank) : config.rank);
}

/** As PEFT initialises: A uniform in ±1/sqrt(in) (kaiming-uniform with a = sqrt(5)), B zero, so training starts at the base model. */
export function initLora(model: Model, config: LoraConfig, random: Random): Lora {
  assertValidConfig(config);
  const lora: Lora = {};
  for (const name of LAYER_NAMES.filter((layer) => config.targetModules.includes(layer))) {
    const layer = model.layers[name];
    const bound = 1 / Math.sqrt(layer.in);
    lora[name] = {
      rank: config.rank,
      in: layer.in,
      out: layer.out,
      a: Float32Array.from({ length: config.rank * layer.in }, () => (2 * random.next() - 1) * bound),
      b: new Float32Array(layer.out * config.rank),
      scale: loraScale(config),
    };
  }
  return lora;
}

function assertValidConfig(config: LoraConfig): void {
  if (!Number.isInteger(config.rank) || config.rank < 1) throw new RangeError(`the rank must be a positive integer, got ${config.rank}`);
  if (!(config.alpha > 0)) throw new RangeError(`alpha must be positive, got ${config.alpha}`);
  const unknown = config.targetModules.find((name) => !LAYER_NAMES.includes(name));
  if (unknown !== undefined) throw new RangeError(`unknown target module "${unknown}"; the model has ${LAYER_NAMES.join(", ")}`);
}

export interface WeightedAdapter {
  lora: Lora;
  weight: number;
}

/**
 * One LoRA equal to the weighted sum of the adapters: per module, the A matrices stacked along the
 * rank axis and the B columns scaled by weight · scale, so the result's scale is 1. A module that only
 * some adapters target gets only their ranks; no adapters give an empty LoRA (the base model).
 */
export function combineAdapters(adapters: readonly WeightedAdapter[]): Lora {
  const invalid = adapters.find(({ weight }) => !Number.isFinite(weight));
  if (invalid) throw new RangeError(`an adapter weight must be a finite number, got ${invalid.weight}`);
  const combined: Lora = {};
  for (const name of LAYER_NAMES) {
    const parts = adapters.flatMap(({ lora, weight }) => {
      const module = lora[name];
      return module ? [{ module, factor: weight * module.scale }] : [];
    });
    if (parts.length > 0) combined[name] = concatenateRanks(name, parts);
  }
  return combined;
}

function concatenateRanks(name: LayerName, parts: readonly { module: LoraModule; factor: number }[]): LoraModule {
  const { in: inputs, out: outputs } = parts[0]!.module;
  if (parts.some(({ module }) => module.in !== inputs || module.out !== outputs)) {
    throw new RangeError(`the adapters' ${name} modules have different shapes`);
  }
  const rank = parts.reduce((sum, { module }) => sum + module.rank, 0);
  const a = new Float32Array(rank * inputs);
  const b = new Float32Array(outputs * rank);
  let rankOffset = 0;
  for (const { module, factor } of parts) {
    a.set(module.a, rankOffset * inputs);
    for (let row = 0; row < outputs; row += 1) {
      for (let column = 0; column < module.rank; column += 1) b[row * rank + rankOffset + column] = factor * module.b[row * module.rank + column]!;
    }
    rankOffset += module.rank;
  }
  return { rank, in: inputs, out: outputs, a, b, scale: 1 };
}
