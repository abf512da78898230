import { z } from "zod";
import { FormatError } from "./errors.js";
import { parseJson, withoutMissing } from "./json.js";

const MAX_REPORTED_ISSUES = 5;

/** `adapter_config.json` of a PEFT LoRA adapter; unknown keys are kept. */
export const peftConfigSchema = z.looseObject({
  peft_type: z
    .string()
    .refine((type) => type.toUpperCase() === "LORA", { message: 'expected "LORA"; only LoRA adapters are supported' })
    .transform(() => "LORA" as const),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  /** A list of module names, or one regular expression matched against full module paths. */
  target_modules: z.union([z.array(z.string()), z.string()]).nullable().default(null),
  base_model_name_or_path: z.string().nullable().default(null),
  use_rslora: z.boolean().optional(),
  lora_dropout: z.number().min(0).max(1).optional(),
  bias: z.enum(["none", "all", "lora_only"]).optional(),
  task_type: z.string().nullable().optional(),
  fan_in_fan_out: z.boolean().optional(),
  modules_to_save: z.array(z.string()).nullable().optional(),
  revision: z.string().nullable().optional(),
  /** Per-module rank overrides, keyed by module name pattern. */
  rank_pattern: z.record(z.string(), z.number().int().positive()).optional(),
  alpha_pattern: z.record(z.string(), z.number().positive()).optional(),
});

export type PeftConfig = z.output<typeof peftConfigSchema>;

export function parsePeftConfig(text: string): PeftConfig {
  const result = peftConfigSchema.safeParse(parseJson(text, "adapter_config.json"));
  if (!result.success) {
    throw new FormatError(`adapter_config.json is invalid: ${describeIssues(result.error.issues)}`);
  }
  return result.data;
}

/** Maps a PEFT config onto our training-config keys, leaving out what it does not say. */
export function peftTrainingConfig(config: PeftConfig): Record<string, unknown> {
  return withoutMissing({
    baseModel: config.base_model_name_or_path,
    rank: config.r,
    alpha: config.lora_alpha,
    useRslora: config.use_rslora,
    dropout: config.lora_dropout,
    targetModules: config.target_modules,
    bias: config.bias,
    taskType: config.task_type,
  });
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const described = issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)"}: ${issue.message}`);
  const more = issues.length - described.length;
  return more > 0 ? `${described.join("; ")}; and ${more} more` : described.join("; ");
}
