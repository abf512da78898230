import { readFileSync } from "node:fs";
import { modelSpec, type Model } from "../ml/model.js";
import { modelFromTensors } from "../ml/weights.js";
import { float32Tensors } from "./float32-tensors.js";

const MODELS_DIR = new URL("../../models/", import.meta.url);

/** A committed base model (server/models/<id>.safetensors, float32 tensors) by its id. */
export function loadBaseModel(id: string): Model {
  const spec = modelSpec(id);
  const file = new Uint8Array(readFileSync(new URL(`${id}.safetensors`, MODELS_DIR)));
  return modelFromTensors(spec, float32Tensors(file, `base weights ${id}`));
}
