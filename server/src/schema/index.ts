import { builder } from "./builder.js";
import "./scalars.js";
import "./errors.js";
import "./health.js";
import "../base-models/types.js";
import "../adapters/types.js";
import "../adapters/civitai-types.js";
import "../datasets/types.js";
import "../activity/types.js";
import "../training-config/types.js";

export const schema = builder.toSchema({ sortSchema: true });
