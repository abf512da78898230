import { readFile } from "node:fs/promises";
import { workerData } from "node:worker_threads";
import type ort from "onnxruntime-node";
import { loadBaseModel } from "../inference/base-model.js";
import { createSession, onnxLogits, type ExecutionProvider } from "../inference/onnx-runtime.js";
import { peftLora, peftScaling } from "../inference/peft-lora.js";
import { combineAdapters, type WeightedAdapter } from "../ml/lora.js";
import type { Melody } from "../ml/melody.js";
import type { LogitsFunction, Model } from "../ml/model.js";
import { buildInferenceGraph } from "../ml/onnx-graph.js";
import { sampleMelodies } from "../ml/sampling.js";
import { executionProvider, inferenceTask, type AdapterFiles, type GenerateTask } from "../contracts/inference-tasks.js";

/*
 * An inference worker of the sidecar: it opens each base model's inference graph once and keeps the session warm for
 * every later job. A job's adapters are read from the adapter cache, combined by concatenating their ranks (B scaled by
 * weight · alpha / r) and fed as the graph's LoRA inputs for that job only: nothing is merged into the session, so a
 * job without adapters (R = 0) computes exactly the base model whatever ran before it.
 */

const provider: ExecutionProvider = executionProvider.parse(workerData?.provider ?? "cpu");

interface WarmModel {
  model: Model;
  session: ort.InferenceSession;
  provider: ExecutionProvider;
}

const warmModels = new Map<string, Promise<WarmModel>>();

function warmModel(baseModelId: string): Promise<WarmModel> {
  let warm = warmModels.get(baseModelId);
  if (!warm) {
    warm = (async () => {
      const model = loadBaseModel(baseModelId);
      const opened = await createSession(buildInferenceGraph(model), provider === "cuda" ? ["cuda", "cpu"] : ["cpu"]);
      return { model, ...opened };
    })();
    warm.catch(() => warmModels.delete(baseModelId));
    warmModels.set(baseModelId, warm);
  }
  return warm;
}

async function weightedAdapter(model: Model, adapter: AdapterFiles): Promise<WeightedAdapter> {
  const what = `adapter ${adapter.label}`;
  const scaling = adapter.configPath ? peftScaling(await readFile(adapter.configPath, "utf8")) : { alpha: adapter.alpha, rsLora: adapter.useRslora };
  return { lora: peftLora(model, new Uint8Array(await readFile(adapter.weightsPath)), scaling, what), weight: adapter.weight };
}

async function generate(task: GenerateTask): Promise<Melody[]> {
  const { model, session } = await warmModel(task.baseModelId);
  const lora = combineAdapters(await Promise.all(task.adapters.map((adapter) => weightedAdapter(model, adapter))));
  const logits = onnxLogits(session, model, lora);
  let steps = 0;
  const counted: LogitsFunction = async (inputs) => {
    const rows = await logits(inputs);
    steps += 1;
    task.progress.postMessage(steps / task.maxSteps);
    return rows;
  };
  const requests = Array.from({ length: task.samples }, () => ({ prompt: task.prompt, meter: task.meter }));
  return sampleMelodies(model.spec, requests, counted, { temperature: task.temperature, topK: task.topK ?? undefined, seed: task.seed, maxSteps: task.maxSteps });
}

export default async function run(raw: unknown): Promise<unknown> {
  const task = inferenceTask.parse(raw);
  if (task.kind === "warm") {
    const models = await Promise.all(task.baseModelIds.map(warmModel));
    return { provider: models[0]!.provider };
  }
  try {
    return await generate(task);
  } finally {
    task.progress.close();
  }
}
