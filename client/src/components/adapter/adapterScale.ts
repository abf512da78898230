import { formatDecimal } from "../../utils/format";

export interface ScaleFacts {
  weight: number;
  alpha: number;
  rank: number;
  useRslora: boolean;
}

/**
 * How "weight 1.0" turns into the factor applied to the LoRA update, in symbols and in numbers:
 * weight × alpha / r, or weight × alpha / √r with rsLoRA.
 */
export function effectiveScaleFormula(facts: ScaleFacts): { symbolic: string; numeric: string } {
  const rank = facts.useRslora ? `√${facts.rank}` : String(facts.rank);
  return {
    symbolic: `weight × alpha / ${facts.useRslora ? "√r" : "r"}`,
    numeric: `${formatDecimal(facts.weight)} × ${formatDecimal(facts.alpha)} / ${rank}`,
  };
}

const BASE_MODEL_WARNING = /does not say which base model|no base_model_name_or_path/i;

/** Warnings that leave the base model unknown (PEFT configs without base_model_name_or_path and the like), and the rest. */
export function splitWarnings(warnings: readonly string[]): { baseModel: string[]; other: string[] } {
  return {
    baseModel: warnings.filter((warning) => BASE_MODEL_WARNING.test(warning)),
    other: warnings.filter((warning) => !BASE_MODEL_WARNING.test(warning)),
  };
}
