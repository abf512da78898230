import { z } from "zod";
import { displayName } from "../adapters/inputs.js";

/** `{experiment}-{run}` names the trained adapter, which may have 100 characters. */
export const EXPERIMENT_NAME_MAX = 60;
export const RUN_NAME_MAX = 39;

const trainingConfig = z.record(z.string().max(100), z.unknown()).refine((config) => Object.keys(config).length <= 200, "at most 200 keys");
const description = z.string().max(20_000, "description must be at most 20000 characters");
const id = z.string().trim().min(1).max(200);

export const createExperimentInput = z.object({
  name: displayName(EXPERIMENT_NAME_MAX),
  description: description.optional(),
  baseModelId: id,
  datasetId: id.nullish(),
  config: trainingConfig.nullish(),
});
export type CreateExperimentInput = z.infer<typeof createExperimentInput>;

export const updateExperimentInput = z.object({
  name: displayName(EXPERIMENT_NAME_MAX).optional(),
  description: description.optional(),
  datasetId: id.nullish(),
  /** the whole config: keys left out fall back to their defaults, null unsets one */
  config: trainingConfig.optional(),
});
export type UpdateExperimentInput = z.infer<typeof updateExperimentInput>;

export const startRunInput = z.object({
  name: displayName(RUN_NAME_MAX).nullish(),
  configOverride: trainingConfig.nullish(),
});
export type StartRunInput = z.infer<typeof startRunInput>;
