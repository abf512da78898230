import ort from "onnxruntime-node";
import { forwardLogits, LAYER_NAMES, type LogitsFunction } from "../ml/model.js";
import { buildInferenceGraph } from "../ml/onnx-graph.js";
import { buildTrainingGraph, gradientNames, LOSS_NAME, TARGETS_NAME, trainingFeeds } from "../ml/onnx-train-graph.js";
import { applyLoraGradients, stepDropoutMasks, trainStep, type Batch, type LoraGradients, type StepResult, type Trainer } from "../ml/train.js";
import { candidateProviders, createSession, onnxLogits, toTensors, type DevicePreference, type ExecutionProvider } from "../inference/onnx-runtime.js";

/*
 * How the trainer computes its steps: the ONNX training graph on onnxruntime (CUDA when present, else the CPU), with
 * AdamW, the schedule and clipping in TypeScript; or, where onnxruntime cannot open the graph, the TypeScript reference
 * backward. Either way the dropout masks come from the trainer's seeded source, so a run is reproducible.
 */

export interface TrainingEngine {
  provider: ExecutionProvider;
  /** The provider and what runs on it, for the header. */
  description: string;
  step(batch: Batch): Promise<StepResult>;
  /** The model with the LoRA as trained so far (eval loss and sampling). */
  logits: LogitsFunction;
}

/** The ONNX engine on the first provider the preference allows; the TypeScript engine, with a warning, when none opens. */
export async function createEngine(trainer: Trainer, preference: DevicePreference, warn: (text: string) => void): Promise<TrainingEngine> {
  try {
    return await createOnnxEngine(trainer, preference);
  } catch (error) {
    warn(`${error instanceof Error ? error.message : String(error)}; training with the TypeScript reference backward instead`);
    return createTypeScriptEngine(trainer);
  }
}

export async function createOnnxEngine(trainer: Trainer, preference: DevicePreference): Promise<TrainingEngine> {
  const { model, lora } = trainer;
  const training = await createSession(buildTrainingGraph(model, lora, trainer.options.dropout > 0), candidateProviders(preference));
  const inference = await createSession(buildInferenceGraph(model), [training.provider]);
  return {
    provider: training.provider,
    description: `${training.provider} (onnxruntime ${ort.env.versions.node}, ONNX training graph)`,
    step: (batch) => onnxStep(training.session, trainer, batch),
    logits: onnxLogits(inference.session, model, lora),
  };
}

export function createTypeScriptEngine(trainer: Trainer): TrainingEngine {
  return {
    provider: "cpu",
    description: "cpu (TypeScript reference backward)",
    step: async (batch) => trainStep(trainer, batch),
    logits: forwardLogits(trainer.model, trainer.lora),
  };
}

/** One run of the training graph for the loss and the LoRA gradients, then clipping and AdamW in TypeScript. */
async function onnxStep(session: ort.InferenceSession, trainer: Trainer, batch: Batch): Promise<StepResult> {
  const masks = stepDropoutMasks(trainer, batch.inputs.rows);
  const feeds = toTensors(trainingFeeds(trainer.model, trainer.lora, batch.inputs, masks));
  feeds[TARGETS_NAME] = new ort.Tensor("int32", batch.targets, [batch.targets.length]);
  const results = await session.run(feeds);
  const gradients: LoraGradients = {};
  for (const name of LAYER_NAMES.filter((layer) => trainer.lora[layer])) {
    const names = gradientNames(name);
    gradients[name] = { a: Float64Array.from(results[names.a]!.data as Float32Array), b: Float64Array.from(results[names.b]!.data as Float32Array) };
  }
  return applyLoraGradients(trainer, (results[LOSS_NAME]!.data as Float32Array)[0]!, gradients);
}
