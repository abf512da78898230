import { builder } from "../schema/builder.js";
import { BUILTIN_TRAINER_KEYS, SET_BY_EXPERIMENT } from "./validate.js";
import {
  TRAINING_PARAMETER_CATEGORIES,
  TRAINING_PARAMETER_VALUE_TYPES,
  TRAINING_PARAMETERS,
  type TrainingParameter,
} from "./parameters.js";

const TrainingParameterCategoryEnum = builder.enumType("TrainingParameterCategory", { values: TRAINING_PARAMETER_CATEGORIES });

const TrainingParameterValueTypeEnum = builder.enumType("TrainingParameterValueType", {
  description: "SIZE is one number for a square or [width, height]",
  values: TRAINING_PARAMETER_VALUE_TYPES,
});

const TrainingParameterRef = builder.objectRef<TrainingParameter>("TrainingParameter").implement({
  description: "A parameter of an adapter's trainingConfig: where it belongs, what it does, which values it takes",
  fields: (t) => ({
    key: t.exposeString("key", { description: "its key in trainingConfig" }),
    category: t.expose("category", { type: TrainingParameterCategoryEnum }),
    label: t.exposeString("label"),
    description: t.exposeString("description", { description: "one line, for tooltips and form help" }),
    unit: t.exposeString("unit", { nullable: true }),
    valueType: t.expose("valueType", { type: TrainingParameterValueTypeEnum }),
    default: t.expose("default", { type: "JSON", nullable: true, description: "null where no trainer of ours sets it" }),
    min: t.exposeFloat("min", { nullable: true }),
    max: t.exposeFloat("max", { nullable: true }),
    setByExperiment: t.boolean({
      description: "an experiment's own field (its base model), never a key of its config",
      resolve: (parameter) => parameter.key === SET_BY_EXPERIMENT,
    }),
    usedByBuiltinTrainer: t.boolean({
      description: "the built-in trainer of the reference models reads it; it refuses the others",
      resolve: (parameter) => BUILTIN_TRAINER_KEYS.has(parameter.key) && parameter.key !== SET_BY_EXPERIMENT,
    }),
  }),
});

builder.queryField("trainingConfigSchema", (t) =>
  t.field({
    authScopes: { read: true },
    type: [TrainingParameterRef],
    description: "the training configuration schema: every known parameter, category by category",
    resolve: () => TRAINING_PARAMETERS,
  }),
);
