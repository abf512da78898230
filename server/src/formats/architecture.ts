import type { ArchitectureFingerprint, ArchitectureFit, ArchitectureReport, ShapeRule } from "../contracts/worker-tasks.js";
import { quoteName } from "./errors.js";
import { pairFactors } from "./lora.js";
import type { SafetensorsHeader } from "./safetensors.js";

/*
 * Which model a LoRA's modules belong to, from their names and sizes. A fingerprint lists the module names of an
 * architecture (regular expressions over normalised names, see normaliseModuleName) and either the sizes some of its
 * modules always have (external models: the context width of Stable Diffusion's cross-attention, GPT-2's fused q/k/v)
 * or its exact layers (the built-in models, which the sidecar loads as they are).
 */

/** A LoRA module of a file: its name and its layer's input and output sizes (null where only the name is known). */
export interface LoraModuleShape {
  name: string;
  in: number | null;
  out: number | null;
}

export type ArchitectureVerdict = { fits: true } | { fits: false; reason: string; looksLike: string | null; examples: string[] };

const MAX_EXAMPLES = 3;

/** The LoRA modules of a safetensors file with their layers' sizes: down/A is [r, in, …], up/B is [out, r, …]. */
export function loraModuleShapes(header: SafetensorsHeader): LoraModuleShape[] {
  return pairFactors(header.tensors).pairs.map(({ module, in: inputs, out }) => ({ name: module, in: inputs, out }));
}

/** Names only, as a PEFT config's target_modules gives them (pickled weights are never opened). */
export function namedModules(names: readonly string[]): LoraModuleShape[] {
  return names.map((name) => ({ name, in: null, out: null }));
}

/** PEFT's `base_model.model.` and kohya's `lora_` prefixes dropped, dots as underscores: one spelling for every trainer. */
export function normaliseModuleName(name: string): string {
  return name.replace(/^base_model\.model\./, "").replace(/^lora_/, "").replaceAll(".", "_");
}

/** `c_attn` for transformer.h.0.attn.c_attn, `proj_in` for lora_unet_down_blocks_0_attentions_0_proj_in. */
function shortName(name: string): string {
  const dotted = name.lastIndexOf(".");
  return dotted >= 0 ? name.slice(dotted + 1) : name.split(/_\d+_/).at(-1)!;
}

export function architectureReport(modules: readonly LoraModuleShape[], fingerprints: readonly ArchitectureFingerprint[]): ArchitectureReport {
  return { modules: modules.length, fits: fingerprints.map((fingerprint) => fitArchitecture(modules, fingerprint)) };
}

function fitArchitecture(modules: readonly LoraModuleShape[], fingerprint: ArchitectureFingerprint): ArchitectureFit {
  return fingerprint.layers ? fitLayers(modules, fingerprint, fingerprint.layers) : fitPatterns(modules, fingerprint);
}

function fitLayers(modules: readonly LoraModuleShape[], fingerprint: ArchitectureFingerprint, layers: Record<string, { in: number; out: number }>): ArchitectureFit {
  const fit: ArchitectureFit = { id: fingerprint.id, claimed: 0, examples: [], contradiction: null };
  for (const module of modules) {
    const name = normaliseModuleName(module.name);
    const layer = Object.hasOwn(layers, name) ? layers[name] : undefined;
    const problem = layer ? layerProblem(module, name, layer, fingerprint.label) : `module ${quoteName(module.name)} is not one of ${fingerprint.label}'s layers (${Object.keys(layers).join(", ")})`;
    if (problem === null) claim(fit, name);
    else fit.contradiction ??= problem;
  }
  return fit;
}

function layerProblem(module: LoraModuleShape, name: string, layer: { in: number; out: number }, label: string): string | null {
  if (module.in === null || module.out === null || (module.in === layer.in && module.out === layer.out)) return null;
  return `module ${name} maps ${module.in} → ${module.out} (inputs → outputs); ${label}'s ${name} maps ${layer.in} → ${layer.out}`;
}

function fitPatterns(modules: readonly LoraModuleShape[], fingerprint: ArchitectureFingerprint): ArchitectureFit {
  const names = fingerprint.modules.map((source) => new RegExp(source));
  const rules = (fingerprint.shapes ?? []).map((rule) => ({ rule, pattern: new RegExp(rule.module) }));
  const fit: ArchitectureFit = { id: fingerprint.id, claimed: 0, examples: [], contradiction: null };
  for (const module of modules) {
    const name = normaliseModuleName(module.name);
    if (!names.some((pattern) => pattern.test(name))) continue;
    claim(fit, shortName(module.name));
    const broken = rules.find(({ rule, pattern }) => pattern.test(name) && !obeys(module, rule));
    if (broken) fit.contradiction ??= `module ${quoteName(module.name)} maps ${module.in} → ${module.out}, but ${broken.rule.description}`;
  }
  return fit;
}

function claim(fit: ArchitectureFit, example: string): void {
  fit.claimed += 1;
  if (fit.examples.length < MAX_EXAMPLES && !fit.examples.includes(example)) fit.examples.push(example);
}

function obeys(module: LoraModuleShape, rule: ShapeRule): boolean {
  if (module.in === null || module.out === null) return true;
  if (rule.in !== undefined && module.in !== rule.in) return false;
  if (rule.out !== undefined && module.out !== rule.out) return false;
  return rule.outPerIn === undefined || module.out === rule.outPerIn * module.in;
}

/**
 * Whether a file fits the architecture `expected`, given its report: `expected` must claim the file's modules at least
 * as well as any other architecture that holds, and no size may break it. A file whose modules are unknown is not judged.
 */
export function architectureVerdict({ modules, fits }: ArchitectureReport, fingerprints: readonly ArchitectureFingerprint[], expected: ArchitectureFingerprint): ArchitectureVerdict {
  if (modules === 0) return { fits: true };
  const own = fits.find((fit) => fit.id === expected.id) ?? { id: expected.id, claimed: 0, examples: [], contradiction: null };
  const rival = bestFit(fits.filter((fit) => fit.id !== expected.id && fit.contradiction === null && fit.claimed > 0));
  if (own.contradiction === null && own.claimed > 0 && (!rival || own.claimed >= rival.claimed)) return { fits: true };
  const looksLike = rival ? (fingerprints.find((fingerprint) => fingerprint.id === rival.id)?.label ?? rival.id) : null;
  const why = own.contradiction ?? (own.claimed === 0 ? `none of its modules is one of ${expected.label}'s` : `more of its modules are ${looksLike}'s than ${expected.label}'s`);
  return { fits: false, reason: why, looksLike, examples: rival?.examples ?? [] };
}

function bestFit(fits: readonly ArchitectureFit[]): ArchitectureFit | undefined {
  return fits.reduce<ArchitectureFit | undefined>((best, fit) => (!best || fit.claimed > best.claimed ? fit : best), undefined);
}

/** "looks like a GPT-2 LoRA (c_attn, c_proj …)", or what could not be told. */
export function describeLookalike(verdict: Extract<ArchitectureVerdict, { fits: false }>): string {
  if (verdict.looksLike === null) return "its modules match no architecture LoRA Studio knows";
  return `it looks like a ${verdict.looksLike} LoRA (${verdict.examples.join(", ")} …)`;
}
